"""Personal-data exports: request, build in the background, download, expire.

``export_request`` creates the row and queues ``tasks.build_export`` when the
transaction commits; a second request while one is pending returns that one.
``export_build`` is idempotent: it only builds a pending export, writes the ZIP
to a temporary file, stores it atomically, then marks the row ready with a
conditional update. Downloads go through a signed URL that names the export
and its owner and expires after ``CLIPDECK_EXPORT_LINK_SECONDS``; the export
itself (file and row) is deleted after ``CLIPDECK_EXPORT_RETENTION_DAYS``.
"""

from __future__ import annotations

import json
import logging
import secrets
import shutil
import tempfile
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clipdeck.kernel.errors import NotFound
from clipdeck.privacy import export_data, transparency
from clipdeck.privacy.models import DataExport, ExportStatus

log = logging.getLogger(__name__)
SIGNING_SALT = "clipdeck.privacy.export-download"


def export_request(*, user) -> DataExport:
    """A new export for ``user`` (or the one already being built)."""
    exports_prune()
    pending = DataExport.objects.filter(user=user, status=ExportStatus.PENDING).first()
    if pending is not None:
        return pending
    export = DataExport.objects.create(
        user=user,
        expires_at=timezone.now() + timedelta(days=settings.CLIPDECK_EXPORT_RETENTION_DAYS),
    )
    transparency.count_event(transparency.EXPORT)
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id) -> None:
    from clipdeck.privacy.tasks import build_export

    build_export.enqueue(str(export_id))


def export_access(*, user, export_id) -> DataExport:
    """The user's own export, or NotFound (also for other people's exports)."""
    export = DataExport.objects.filter(pk=export_id, user=user).first()
    if export is None:
        raise NotFound("There is no such export.")
    return export


def exports_of(user):
    return DataExport.objects.filter(user=user).order_by("-created_at")


def export_build(export_id) -> None:
    """Build the ZIP of a pending export; does nothing for any other state."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != ExportStatus.PENDING:
        return
    try:
        with tempfile.NamedTemporaryFile(suffix=".zip") as archive:
            write_archive(export.user, archive)
            size = archive.tell()
            archive.seek(0)
            name = export.file.field.generate_filename(
                export, f"{export.pk}-{secrets.token_hex(8)}.zip"
            )
            stored = export.file.storage.save(name, File(archive))
    except Exception as exc:  # a failed export is reported, never retried forever
        log.exception("export %s failed", export_id)
        DataExport.objects.filter(pk=export_id, status=ExportStatus.PENDING).update(
            status=ExportStatus.FAILED, error=str(exc)[:255], finished_at=timezone.now()
        )
        return
    updated = DataExport.objects.filter(pk=export_id, status=ExportStatus.PENDING).update(
        status=ExportStatus.READY, file=stored, size=size, finished_at=timezone.now()
    )
    if not updated:  # erased or built by another worker meanwhile
        export.file.storage.delete(stored)


def write_archive(user, target) -> None:
    """Write the export ZIP of ``user`` into the binary file ``target``."""
    from clipdeck.videos.models import Video

    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for category, collect in export_data.CATEGORIES.items():
            document = json.dumps(collect(user), indent=2, ensure_ascii=False, default=str)
            archive.writestr(f"{category}.json", document)
        for video in Video.objects.filter(author=user).exclude(original="").order_by("pk"):
            with (
                video.original.open("rb") as source,
                archive.open(export_data.original_name(video), "w", force_zip64=True) as sink,
            ):
                shutil.copyfileobj(source, sink, length=1024 * 1024)


def exports_prune() -> int:
    """Delete exports past their retention (file and row); how many."""
    expired = list(DataExport.objects.filter(expires_at__lte=timezone.now()))
    for export in expired:
        if export.file:
            export.file.storage.delete(export.file.name)
        export.delete()
    return len(expired)


def download_url(export: DataExport) -> str | None:
    """A signed, expiring link to a ready export, naming its owner."""
    if export.status != ExportStatus.READY:
        return None
    token = signing.dumps({"e": str(export.pk), "u": export.user_id}, salt=SIGNING_SALT)
    return reverse("privacy-export-download", args=[token])


def export_for_download(token: str) -> DataExport:
    """The ready, unexpired export a download token names; NotFound otherwise."""
    try:
        claims = signing.loads(
            token, salt=SIGNING_SALT, max_age=settings.CLIPDECK_EXPORT_LINK_SECONDS
        )
    except signing.BadSignature as exc:
        raise NotFound("This download link is not valid or has expired.") from exc
    export = DataExport.objects.filter(
        pk=claims.get("e"),
        user_id=claims.get("u"),
        status=ExportStatus.READY,
        expires_at__gt=timezone.now(),
    ).first()
    if export is None or not export.file:
        raise NotFound("This download link is not valid or has expired.")
    return export
