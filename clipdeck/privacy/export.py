"""Personal-data exports: request, build in the background, download, expire.

``export_request`` creates the row and queues ``tasks.build_export`` when the
transaction commits. One export per user per day: a request while one is
pending, or while one made in the last ``EXPORT_INTERVAL`` is ready, returns
that one; a new export deletes the user's older ones (file and row).
``export_build`` is idempotent: it only builds a pending export, writes the ZIP
to a temporary file, stores it atomically, then marks the row ready with a
conditional update. Downloads go through a signed URL that names the export
and its owner and expires after ``CLIPDECK_EXPORT_LINK_SECONDS``; the export
itself (file and row) is deleted after ``CLIPDECK_EXPORT_RETENTION_DAYS``.

The ZIP holds ``about.json`` (for every kind of data the cell stores: its
class, purpose, retention and where it is stored, GDPR art. 15(1)(a), (d) and
20) and then what each app's export hook gives (see
``clipdeck.kernel.personal_data.register``).
"""

from __future__ import annotations

import json
import logging
import secrets
import shutil
import tempfile
import zipfile
from datetime import timedelta
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clipdeck.kernel.errors import NotFound
from clipdeck.kernel.personal_data import FieldRecord, exporters, iso, records
from clipdeck.kernel.sealed_media import open_plain
from clipdeck.privacy import transparency
from clipdeck.privacy.models import DataExport, ExportStatus
from clipdeck.privacy.residency import locations

log = logging.getLogger(__name__)
SIGNING_SALT = "clipdeck.privacy.export-download"
# At most one export (pending or ready) per user in this interval.
EXPORT_INTERVAL = timedelta(days=1)


def export_request(*, user) -> DataExport:
    """A new export for ``user``, or the one being built or built in the last day."""
    exports_prune()
    with transaction.atomic():
        # Lock the user's row so that two requests at once make one export.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        current = (
            DataExport.objects.filter(user=user, status=ExportStatus.PENDING)
            .order_by("-created_at")
            .first()
        ) or (
            DataExport.objects.filter(
                user=user,
                status=ExportStatus.READY,
                created_at__gt=timezone.now() - EXPORT_INTERVAL,
                expires_at__gt=timezone.now(),
            )
            .order_by("-created_at")
            .first()
        )
        if current is not None:
            return current
        for older in DataExport.objects.filter(user=user):
            _delete(older)
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


def write_archive(user, target: IO[bytes]) -> None:
    """Write the export ZIP of ``user`` into the binary file ``target``."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _write_json(archive, "about", about(user))
        for hooks in exporters():
            for name, document in (hooks.export(user) if hooks.export else {}).items():
                _write_json(archive, name, document)
        for hooks in exporters():
            for name, file in hooks.export_files(user) if hooks.export_files else ():
                with (
                    _open_plain(file) as source,
                    archive.open(name, "w", force_zip64=True) as sink,
                ):
                    shutil.copyfileobj(source, sink, length=1024 * 1024)


def _open_plain(file) -> IO[bytes]:
    """A stored file's content: decrypted when it is sealed with its owner's key."""
    return open_plain(file.storage, file.name)


def _write_json(archive: zipfile.ZipFile, name: str, document: Any) -> None:
    archive.writestr(
        f"{name}.json", json.dumps(document, indent=2, ensure_ascii=False, default=str)
    )


def about(user) -> dict:
    """Every kind of data the cell stores: class, purpose, retention, where it is kept."""
    where = {p.name: f"{p.where} (region {p.region})" for p in locations() if p.configured}
    return {
        "generated_at": iso(timezone.now()),
        "account": user.handle,
        "cell_region": settings.CLIPDECK_REGION,
        "stored_in": where,
        "data_kinds": [
            {
                **record.as_dict(),
                "stored_in": [name for name in where if name != "media"]
                + (["media"] if _is_file(record) and "media" in where else []),
            }
            for record in records()
        ],
    }


def _is_file(record: FieldRecord) -> bool:
    field = apps.get_model(record.model)._meta.get_field(record.field)
    return field.get_internal_type() in {"FileField", "ImageField"}


def exports_prune() -> int:
    """Delete exports past their retention (file and row); how many."""
    expired = list(DataExport.objects.filter(expires_at__lte=timezone.now()))
    for export in expired:
        _delete(export)
    return len(expired)


def _delete(export: DataExport) -> None:
    if export.file.name:
        export.file.storage.delete(export.file.name)
    export.delete()


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
