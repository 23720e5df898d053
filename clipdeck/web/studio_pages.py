"""The studio page, and reopening a draft in it.

``/studio?draft=ID`` opens the editor on one of the viewer's own drafts (or a
failed render) with its current edit, caption and settings, and the preview
playing the kept original from ``/studio/drafts/ID/original``. Saving sends the
new edit to ``PATCH /api/v1/videos/{id}``, which renders it again.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_safe

from clipdeck.kernel.ranged import serve_file
from clipdeck.studio.models import RenderJob
from clipdeck.videos.models import Video, VideoStatus

REOPENABLE = (VideoStatus.DRAFT, VideoStatus.FAILED)


def _own_draft(request: HttpRequest, video_id) -> Video:
    """The viewer's own draft (or failed render) with a kept original; 404 otherwise."""
    video = (
        Video.objects.filter(pk=video_id, author=request.user, status__in=REOPENABLE)
        .exclude(original="")
        .first()
    )
    if video is None:
        raise Http404
    return video


def draft_state(video: Video) -> dict:
    """What the editor needs to reopen ``video``: its edit, words and settings."""
    return {
        "id": str(video.pk),
        "status": video.status,
        "caption": video.caption,
        "visibility": video.visibility,
        "allow_duet": video.allow_duet,
        "allow_react": video.allow_react,
        "allow_comments": video.allow_comments,
        "allow_stitch": video.allow_stitch,
        "edit": video.edit or {},
        "original": f"/studio/drafts/{video.pk}/original",
        "length_limit_seconds": _length_limit_seconds(video),
        "error": video.error_message or None,
    }


def _length_limit_seconds(video: Video) -> int | None:
    """The length limit the draft was made under (its render job's), in seconds."""
    max_ms = RenderJob.objects.filter(video=video).values_list("max_output_ms", flat=True).first()
    return max_ms // 1000 if max_ms else None


@login_required
def studio_page(request: HttpRequest) -> HttpResponse:
    """The studio; with ``?draft=ID`` the editor opens on that draft."""
    context: dict = {"nav": "studio"}
    draft_id = request.GET.get("draft")
    if draft_id:
        try:
            video_id = uuid.UUID(draft_id)
        except ValueError as error:
            raise Http404 from error
        context["draft"] = draft_state(_own_draft(request, video_id))
    return render(request, "web/studio.html", context)


@login_required
@require_safe
def draft_original(request: HttpRequest, video_id) -> HttpResponseBase:
    """The kept original of the viewer's own draft, for the editor's preview."""
    video = _own_draft(request, video_id)
    return serve_file(
        request, video.original.storage, video.original.name, cache_control="private, no-store"
    )
