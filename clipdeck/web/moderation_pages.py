"""Trust and safety pages: reporting, one's own statements of reasons and appeals,
and the moderators' queue, case review and appeals (keyboard driven).

Moderator pages answer 404 to anyone but a moderator whose session passed a
second factor (``clipdeck.moderation.policies.moderator_of``). Forms post to
these views and call the same services as the API.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from clipdeck.api.errors import status_for
from clipdeck.kernel.auth import as_viewer
from clipdeck.kernel.errors import DomainError
from clipdeck.kernel.ranged import serve_file
from clipdeck.moderation import selectors, services
from clipdeck.moderation.policies import moderator_of
from clipdeck.moderation.reasons import REASONS
from clipdeck.moderation.statements import statement
from clipdeck.moderation.targets import ACTIONS
from clipdeck.videos.models import Video

REVIEWED = "moderation_reviewed_videos"
ACTION_KEYS = {
    "dismiss": "d",
    "remove": "r",
    "restrict": "x",
    "age_gate": "g",
    "suspend": "u",
    "warn": "w",
}
ACTION_LABELS = {
    "dismiss": "Dismiss",
    "remove": "Remove",
    "restrict": "Restrict",
    "age_gate": "Age-gate",
    "suspend": "Suspend",
    "warn": "Warn",
}


@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, kind: str, target_id: str) -> HttpResponse:
    """Report an item: signed in, or as a notice with an email address."""
    viewer = as_viewer(request.user)
    error = None
    if request.method == "POST":
        try:
            services.report_create(
                reporter=viewer,
                email=request.POST.get("email"),
                target_type=kind,
                target_id=target_id,
                reason=request.POST.get("reason", ""),
                details=request.POST.get("details", ""),
                ip=request.META.get("REMOTE_ADDR"),
            )
        except DomainError as exc:
            if status_for(exc) == 404:
                raise Http404 from exc
            error = exc
        else:
            return render(request, "web/moderation/reported.html", {"kind": kind})
    context = {"kind": kind, "target_id": target_id, "reasons": REASONS, "error": error}
    context["form"] = request.POST
    return render(
        request,
        "web/moderation/report.html",
        context,
        status=status_for(error) if error else 200,
    )


@login_required(login_url="/login")
@require_http_methods(["GET", "POST"])
def decisions_page(request: HttpRequest) -> HttpResponse:
    """The signed-in person's statements of reasons, each with its appeal."""
    error = None
    if request.method == "POST":
        try:
            services.appeal_create(
                user=request.user,
                decision_id=request.POST.get("decision", ""),
                text=request.POST.get("text", ""),
            )
        except DomainError as exc:
            error = exc
        else:
            return redirect("my-decisions")
    statements = [statement(d) for d in selectors.my_decisions(request.user)[:100]]
    return render(
        request,
        "web/moderation/decisions.html",
        {"statements": statements, "error": error},
        status=status_for(error) if error else 200,
    )


@require_safe
def queue_page(request: HttpRequest) -> HttpResponse:
    moderator_of(request, request.user)
    cases = selectors.queue_entries(list(selectors.queue()[:200]))
    return render(
        request,
        "web/moderation/queue.html",
        {"cases": cases, "decided": request.GET.get("decided"), "nav": "moderation"},
    )


@require_http_methods(["GET", "POST"])
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    moderator = moderator_of(request, request.user)
    error = None
    if request.method == "POST":
        try:
            decision = services.case_decide(
                moderator=moderator,
                case_id=case_id,
                action=request.POST.get("action", ""),
                ground=request.POST.get("ground", ""),
                explanation=request.POST.get("explanation", ""),
                duration_days=_int_or_none(request.POST.get("duration_days")),
            )
        except DomainError as exc:
            error = exc
        else:
            return redirect(f"/moderation?decided={decision.action}")
    case = selectors.case_for_review(moderator, case_id)
    if case["target"]["type"] == "video":
        _remember_reviewed(request, case["target"]["id"])
    actions = [
        {"code": a, "label": ACTION_LABELS[a], "key": ACTION_KEYS[a]}
        for a in case["allowed_actions"]
    ]
    return render(
        request,
        "web/moderation/case.html",
        {
            "case": case,
            "actions": actions,
            "reasons": REASONS,
            "error": error,
            "form": request.POST,
            "all_actions": ACTIONS,
        },
        status=status_for(error) if error else 200,
    )


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return -1  # refused by the service with a message naming the range


def _remember_reviewed(request: HttpRequest, video_id: str) -> None:
    """The videos this session opened through the gateway may be played (moderation media)."""
    reviewed = [v for v in request.session.get(REVIEWED, []) if v != video_id][-49:]
    request.session[REVIEWED] = [*reviewed, video_id]


@require_safe
def case_media(request: HttpRequest, video_id) -> HttpResponseBase:
    """A reviewed video's file for its moderator, whatever its state; never cached."""
    moderator_of(request, request.user)
    if str(video_id) not in request.session.get(REVIEWED, []):
        raise Http404
    video = Video.objects.filter(pk=video_id).first()
    if video is None or not video.mp4:
        raise Http404
    return serve_file(request, video.mp4.storage, video.mp4.name, cache_control="private, no-store")


@require_http_methods(["GET", "POST"])
def appeals_page(request: HttpRequest) -> HttpResponse:
    moderator = moderator_of(request, request.user)
    error = None
    if request.method == "POST":
        try:
            services.appeal_decide(
                moderator=moderator,
                appeal_id=_int_or_none(request.POST.get("appeal")) or 0,
                outcome=request.POST.get("outcome", ""),
                explanation=request.POST.get("explanation", ""),
            )
        except DomainError as exc:
            error = exc
        else:
            return redirect("/moderation/appeals?decided=1")
    appeals = [selectors.appeal_entry(a) for a in selectors.pending_appeals()[:200]]
    return render(
        request,
        "web/moderation/appeals.html",
        {"appeals": appeals, "error": error, "decided": request.GET.get("decided")},
        status=status_for(error) if error else 200,
    )
