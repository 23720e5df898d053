"""Reads of trust and safety: the queue, a case under review, statements, appeals."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from clipdeck.accounts.models import User
from clipdeck.kernel.errors import NotFound
from clipdeck.kernel.gateway import read_protected
from clipdeck.moderation import targets
from clipdeck.moderation.models import Appeal, AppealStatus, Case, CaseStatus, Decision, Report
from clipdeck.moderation.reasons import reason_for
from clipdeck.moderation.statements import statement

REVIEW_FIELD = "moderation_review"


def queue() -> QuerySet[Case]:
    """Open cases, the most severe first, then the oldest."""
    return (
        Case.objects.filter(status=CaseStatus.OPEN)
        .select_related("target_owner")
        .prefetch_related(Prefetch("reports", queryset=Report.objects.order_by("pk")))
        .order_by("-severity", "opened_at", "pk")
    )


def queue_entries(cases: list[Case]) -> list[dict]:
    """A page of the queue, its items loaded in one query per kind."""
    loaded = targets.load_many([(c.target_type, c.target_id) for c in cases])
    return [queue_entry(c, loaded.get((c.target_type, c.target_id))) for c in cases]


def queue_entry(case: Case, target: targets.Target | bool | None = False) -> dict:
    """One line of the queue: the item, its reasons, how many reports, how severe."""
    if target is False:
        target = targets.load(case.target_type, case.target_id)
    reports = list(case.reports.all())  # prefetched by ``queue``, in report order
    reasons = list(dict.fromkeys(r.reason for r in reports))
    return {
        "id": case.pk,
        "report_id": reports[0].pk if reports else None,
        "target": {"type": case.target_type, "id": case.target_id},
        "summary": target.summary if target else "(deleted by its owner)",
        "owner": case.target_owner.handle if case.target_owner else None,
        "severity": case.severity,
        "source": case.source,
        "reasons": [reason_for(code).label if reason_for(code) else code for code in reasons],
        "report_count": case.report_count,
        "opened_at": case.opened_at,
    }


def case_of_report(report_id: int) -> int:
    """The case a report is grouped on (NotFound for an unknown report)."""
    case_id = Report.objects.filter(pk=report_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise NotFound("This report does not exist.")
    return case_id


def case_for_review(moderator: User, case_id: int | str) -> dict:
    """A case as its moderator reviews it: the item, the reports, earlier decisions.

    The item is read through the audited gateway unless it is public now
    (a removed, restricted or private video, a held comment, a suspended
    account), so every look at non-public content lands in the audit chain.
    Reporters appear as "account" or "notice", never by name.
    """
    case = Case.objects.select_related("target_owner").filter(pk=_int(case_id)).first()
    if case is None:
        raise NotFound("This case does not exist.")
    target = targets.load(case.target_type, case.target_id)
    content = None
    if target is not None:
        content = (
            review_content(target)
            if target.is_public
            else read_protected(
                actor=moderator,
                subject=target.obj,
                field=REVIEW_FIELD,
                purpose=f"Reviewing moderation case {case.pk}",
            )
        )
    return {
        **queue_entry(case),
        "status": case.status,
        "reason_codes": list(case.reports.order_by("pk").values_list("reason", flat=True)),
        "public": bool(target and target.is_public),
        "content": content,
        "allowed_actions": list(targets.ACTIONS[case.target_type]) if target else ["dismiss"],
        "reports": [
            {
                "id": r.pk,
                "reason": r.reason,
                "label": reason_for(r.reason).label if reason_for(r.reason) else r.reason,
                "details": r.details,
                "from": "account" if r.reporter_id else "notice",
                "created_at": r.created_at,
            }
            for r in case.reports.order_by("created_at", "pk")
        ],
        "history": [
            statement(d) for d in decisions_about(case.target_owner).select_related("appeal")[:20]
        ]
        if case.target_owner
        else [],
    }


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound("This case does not exist.") from None


def review_content(target: targets.Target) -> dict:
    """What a moderator sees of the item: its text and, for a video, its media."""
    obj = target.obj
    content: dict = {"text": "", "media": None}
    if target.type == "video":
        content.update(text=obj.caption, media=f"/moderation/media/{obj.pk}")
    elif target.type == "comment":
        content.update(text=obj.text)
    elif target.type == "user":
        content.update(text=f"@{obj.handle} · {obj.display_name} · {obj.bio}")
    elif target.type == "product":
        content.update(text=obj.title)
    else:
        content.update(text=f"{obj.title} – {obj.artist}")
    return content


def decisions_about(user: User | None) -> QuerySet[Decision]:
    """Decisions whose statement ``user`` receives, newest first."""
    return Decision.objects.filter(affected=user).order_by("-created_at", "-pk")


def my_decisions(user: User) -> QuerySet[Decision]:
    """The statements of reasons for ``user``, newest first, with their appeals."""
    return decisions_about(user).select_related("appeal")


def decision_of(user: User, decision_id) -> Decision:
    """One of ``user``'s statements; NotFound for anyone else's."""
    found = my_decisions(user).filter(pk=_int_or_none(decision_id)).first()
    if found is None:
        raise NotFound("This decision does not exist or is not yours.")
    return found


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def pending_appeals() -> QuerySet[Appeal]:
    """Appeals waiting for a moderator, oldest first."""
    return (
        Appeal.objects.filter(status=AppealStatus.PENDING)
        .select_related("decision", "decision__moderator", "appellant")
        .order_by("created_at", "pk")
    )


def appeal_entry(appeal: Appeal) -> dict:
    """An appeal as a moderator reads it: the decision, its statement and the appellant's text."""
    decision = appeal.decision
    return {
        "id": appeal.pk,
        "text": appeal.text,
        "created_at": appeal.created_at,
        "decided_by": decision.moderator.handle if decision.moderator else None,
        "decision": statement(decision),
    }


def my_reports(user: User) -> QuerySet[Report]:
    """The reports ``user`` made, newest first, with their cases."""
    return Report.objects.filter(reporter=user).select_related("case")


def report_outcome(report: Report) -> dict:
    """A report as its reporter follows it (DSA art. 16(5)): received, then what was decided."""
    case = report.case
    decision = case.decisions.order_by("-created_at").first() if case.decided_at else None
    return {
        "id": report.pk,
        "target": {"type": case.target_type, "id": case.target_id},
        "reason": report.reason,
        "created_at": report.created_at,
        "status": case.status,
        "outcome": decision.action if decision else None,
        "decided_at": case.decided_at,
    }
