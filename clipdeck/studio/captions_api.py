"""Auto-captions API: ask for a transcription, then read the suggestion to review.

The suggestion is the owner's alone (everyone else gets 404, like a draft); it is
published by PUTting the reviewed WebVTT to ``/videos/{id}/captions``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Router, Schema, Status
from pydantic import Field

from clipdeck.kernel.auth import user_auth
from clipdeck.kernel.errors import NotFound
from clipdeck.studio import auto_captions, captions
from clipdeck.studio.models import AutoCaptions
from clipdeck.videos.visibility import video_access

router = Router(tags=["studio"])


class CueOut(Schema):
    start_ms: int
    end_ms: int
    text: str


class AutoCaptionsOut(Schema):
    status: Literal["queued", "running", "ready", "empty", "failed", "accepted"] = Field(
        description="queued, running (listening), ready (to review), empty (no speech "
        "or no sound), failed, accepted (the owner published captions since)"
    )
    message: str = Field(description="a sentence for the owner: what was found, or why not")
    vtt: str = Field(description="the suggested captions as WebVTT; empty until ready")
    cues: list[CueOut] = Field(description="the same cues, for an editor")
    requested_at: datetime
    finished_at: datetime | None


def _out(row: AutoCaptions) -> dict:
    cues = captions.parse(row.vtt) if row.vtt else []
    return {
        "status": row.status,
        "message": row.message,
        "vtt": row.vtt,
        "cues": [{"start_ms": c.start_ms, "end_ms": c.end_ms, "text": c.text} for c in cues],
        "requested_at": row.requested_at,
        "finished_at": row.finished_at,
    }


@router.post(
    "/videos/{video_id}/captions/auto",
    auth=user_auth,
    operation_id="video_captions_auto",
    summary="Transcribe the video's speech on this server into captions for you to review",
    response={202: AutoCaptionsOut},
)
def video_captions_auto(request, video_id: str):
    video = video_access(request.auth, video_id, require_owner=True)
    return Status(202, _out(auto_captions.request(video)))


@router.get(
    "/videos/{video_id}/captions/auto",
    auth=user_auth,
    operation_id="video_captions_auto_get",
    summary="Where the transcription stands, and the suggested captions (owner only)",
    response={200: AutoCaptionsOut},
)
def video_captions_auto_get(request, video_id: str):
    video = video_access(request.auth, video_id, require_owner=True)
    row = AutoCaptions.objects.filter(video=video).first()
    if row is None:
        raise NotFound("No auto-captions were asked for this video.", code="no_auto_captions")
    return _out(row)
