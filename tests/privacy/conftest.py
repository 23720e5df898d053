from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from clipdeck.kernel import audit_guard
from clipdeck.kernel.audit import audit_append
from clipdeck.kernel.models import AuditEntry
from clipdeck.videos.models import RemixKind, Video
from tests.factories import VideoFactory


@pytest.fixture(autouse=True)
def _ledger_and_backups(settings, tmp_path):
    """Each test has its own shredded-key ledger and backup folder (in region sg)."""
    settings.CLIPDECK_SHREDDED_KEYS_FILE = tmp_path / "shredded-keys"
    settings.CLIPDECK_BACKUP_URL = str(tmp_path / "backups")
    settings.CLIPDECK_BACKUP_REGION = "sg"


@pytest.fixture
def unguarded(db):
    """The audit table without its append-only triggers, as whoever holds the
    database file (or owns the PostgreSQL table) can make it; rolled back with
    the test."""
    audit_guard.remove(connection)


def video_with_files(author, *, remix_of: Video | None = None, **fields) -> Video:
    """A published video whose original, rendition and poster exist in the media store."""
    kind = RemixKind.DUET if remix_of else RemixKind.NONE
    video = VideoFactory(author=author, remix_of=remix_of, remix_kind=kind, **fields)
    video.original.save(f"{video.pk}.mp4", ContentFile(b"original " + author.handle.encode()))
    video.mp4.save(f"{video.pk}.mp4", ContentFile(b"rendition"))
    video.poster.save(f"{video.pk}.jpg", ContentFile(b"poster"))
    return video


def media_paths(video: Video) -> list[str]:
    return [getattr(video, kind).path for kind in ("original", "mp4", "poster")]


def chain(length: int) -> list[AuditEntry]:
    """``length`` gateway reads appended to the audit chain, oldest first."""
    return [
        audit_append(
            actor_id=1,
            actor_role="support",
            action="read",
            subject=f"accounts.User:{n}",
            fields=["email"],
            justification=f"ticket {n}",
        )
        for n in range(length)
    ]
