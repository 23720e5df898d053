"""Remote videos are downloaded, probed again in the sandbox and served from this cell.

A remote server's file is never hot-linked: it is fetched once (through the
transport's address rules and size cap), then goes through the same upload
pipeline as a local upload (sandboxed probe, render, poster), owned by the
remote actor's mirror account and public (for followers only when the
operator limited its domain), so feeds and media URLs treat it like any
other video.
"""

from __future__ import annotations

import logging

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from clipdeck.federation import policies
from clipdeck.federation.models import RemoteVideo
from clipdeck.federation.transport import TransportError, signed_get
from clipdeck.kernel.errors import DomainError
from clipdeck.studio.limits import length_options_ms, probe_limits
from clipdeck.studio.uploads import VideoFields, upload_video

logger = logging.getLogger(__name__)


def import_remote_video(remote_video_id: int) -> str:
    """Store the video behind a ``RemoteVideo``; ``stored``, ``skipped`` or ``failed``."""
    remote = RemoteVideo.objects.select_related("actor__user").filter(pk=remote_video_id).first()
    if remote is None or remote.video_id is not None:
        return "skipped"
    try:
        body = signed_get(remote.media_url, limit=probe_limits().max_bytes)
    except TransportError as exc:
        return _failed(remote, f"The video could not be downloaded: {exc}")
    upload = SimpleUploadedFile("remote.mp4", body, content_type="video/mp4")
    # A limited domain's videos reach only the people who follow its accounts (rule F3).
    limited = policies.is_limited(remote.actor.domain)
    fields = VideoFields(
        caption=remote.caption,
        visibility="followers" if limited else "public",
        allow_duet=False,
        allow_react=False,
        allow_stitch=False,
        length_ms=max(length_options_ms()),
    )
    try:
        with transaction.atomic():
            video = upload_video(author=remote.actor.user, upload=upload, fields=fields)
            remote.video = video
            remote.error = ""
            remote.save(update_fields=["video", "error"])
    except DomainError as exc:
        return _failed(remote, exc.message)
    logger.info("remote video %s stored as %s", remote.uri, video.pk)
    return "stored"


def _failed(remote: RemoteVideo, message: str) -> str:
    remote.error = message[:300]
    remote.save(update_fields=["error"])
    logger.warning("remote video %s refused: %s", remote.uri, message)
    return "failed"
