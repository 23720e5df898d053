"""Catalog imports in the background: start, run in batches, report progress.

``import_start`` checks the upload cheaply (a catalog at all, at most
``catalog.max_rows()`` rows), stores it privately, creates a
:class:`CatalogImport` row and queues ``tasks.import_catalog`` when the
transaction commits. ``import_run`` (the task) parses the file, then saves the
products in batches of ``catalog.BATCH_SIZE``: each batch is one transaction
that also records the progress (``done``, ``created``, ``updated``, the errors
of its rows), so other writers get the database between batches, and a crash
loses at most the batch in flight. A re-run (the worker died and the task was
queued again) resumes after the last committed batch; saving a product is an
upsert by handle, so running an import twice changes nothing more. Then the
products' new pictures are copied into the cell's storage (``images.py``); a
picture the network could not deliver does not fail the import, it shows a
placeholder and the periodic retry fills it in. The file is deleted when the
import ends, whichever way.
"""

from __future__ import annotations

import logging
import secrets
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from clipdeck.kernel.errors import DomainError, InvalidInput, NotFound
from clipdeck.shop import catalog, images
from clipdeck.shop.importers import fetch
from clipdeck.shop.models import CatalogImport, ImageState, ImportStatus, Merchant

log = logging.getLogger(__name__)

MAX_REPORTED_ERRORS = 1_000  # problems listed in one import's report
UNFINISHED = (ImportStatus.QUEUED, ImportStatus.RUNNING)


def import_start(*, merchant: Merchant, data: bytes | None = None, url: str = "") -> CatalogImport:
    """A queued import of ``data`` (an uploaded file) or of the document at ``url``."""
    if data is None:
        return _start_from_url(merchant, url)
    catalog.check_row_count(catalog.count_rows(data))
    job = CatalogImport(merchant=merchant)
    job.file.save(f"{secrets.token_hex(16)}.catalog", ContentFile(data), save=False)
    return _queued(job)


def _start_from_url(merchant: Merchant, url: str) -> CatalogImport:
    if not url:
        raise InvalidInput(
            "Choose a Shopify product CSV or products.json file to import.",
            code="missing_file",
            field="file",
        )
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname or len(url) > 2000:
        raise InvalidInput(
            "Give a full http:// or https:// address.", code="bad_catalog_url", field="url"
        )
    return _queued(CatalogImport(merchant=merchant, url=url.strip()))


def _queued(job: CatalogImport) -> CatalogImport:
    job.save()
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(import_id) -> None:
    from clipdeck.shop.tasks import import_catalog

    result = import_catalog.enqueue(str(import_id))
    CatalogImport.objects.filter(pk=import_id).update(task_id=str(result.id)[:64])


def import_access(*, merchant: Merchant, import_id) -> CatalogImport:
    """One of the merchant's imports; anyone else's (or none) is NotFound."""
    try:
        job = CatalogImport.objects.filter(pk=import_id, merchant=merchant).first()
    except (ValidationError, ValueError):  # not a UUID
        job = None
    if job is None:
        raise NotFound("There is no such import.")
    return job


def latest_import(merchant: Merchant) -> CatalogImport | None:
    """The merchant's most recent import, if any."""
    return CatalogImport.objects.filter(merchant=merchant).order_by("-created_at").first()


def import_run(import_id) -> None:
    """Run (or resume) an import; does nothing for one that has ended."""
    job = CatalogImport.objects.select_related("merchant").filter(pk=import_id).first()
    if job is None or job.status not in UNFINISHED:
        return
    try:
        _run(job)
        message = _copy_images(job)
    except DomainError as error:  # the file or the download was refused
        _finish(job, ImportStatus.FAILED, error.message)
    except Exception as exc:
        log.exception("catalog import %s stopped", import_id)
        job.refresh_from_db(fields=["done", "total"])
        _finish(job, ImportStatus.FAILED, _stopped_message(job, exc))
    else:
        _finish(job, ImportStatus.DONE, message)


def _run(job: CatalogImport) -> None:
    data = _read(job)
    catalog.check_row_count(catalog.count_rows(data))
    parsed = catalog.parse_catalog(data, job.merchant.currency)
    if job.status == ImportStatus.QUEUED:
        job.status, job.started_at, job.total = (
            ImportStatus.RUNNING,
            timezone.now(),
            len(parsed.products),
        )
        job.errors = [error.as_dict() for error in parsed.errors[:MAX_REPORTED_ERRORS]]
        job.save(update_fields=["status", "started_at", "total", "errors"])
    for batch in catalog.batches(parsed.products[job.done :]):
        with transaction.atomic():
            result = catalog.ImportResult()
            catalog.save_batch(job.merchant, batch, result)
            _record_batch(job, len(batch), result)


def _copy_images(job: CatalogImport) -> str:
    """Copy the new pictures into the cell; a note when some must wait or were refused."""
    counts = images.copy_merchant_images(job.merchant_id)
    notes = []
    if counts[ImageState.FAILED]:
        notes.append(
            f"{counts[ImageState.FAILED]:,} picture(s) could not be downloaded yet; "
            "they show a placeholder and are tried again automatically."
        )
    if counts[ImageState.REFUSED]:
        notes.append(f"{counts[ImageState.REFUSED]:,} picture(s) were not usable images.")
    return " ".join(notes)


def _read(job: CatalogImport) -> bytes:
    if job.url:
        return fetch.fetch_catalog(job.url)
    with job.file.open("rb") as file:
        return file.read()


def _record_batch(job: CatalogImport, size: int, result: catalog.ImportResult) -> None:
    """Add a saved batch to the import's progress, in the batch's transaction."""
    room = MAX_REPORTED_ERRORS - len(job.errors)
    job.errors = job.errors + [error.as_dict() for error in result.errors[: max(room, 0)]]
    CatalogImport.objects.filter(pk=job.pk).update(
        done=F("done") + size,
        created=F("created") + result.created,
        updated=F("updated") + result.updated,
        errors=job.errors,
    )
    job.done += size


def _stopped_message(job: CatalogImport, exc: Exception) -> str:
    return (
        f"The import stopped after {job.done:,} of {job.total:,} products "
        f"({type(exc).__name__}). Import the file again to finish: products already "
        "imported are updated, not duplicated."
    )[:500]


def _finish(job: CatalogImport, status: str, message: str) -> None:
    """End the import and delete its file."""
    CatalogImport.objects.filter(pk=job.pk, status__in=UNFINISHED).update(
        status=status, message=message[:500], finished_at=timezone.now(), file=""
    )
    if job.file:
        job.file.storage.delete(job.file.name)


def import_out(job: CatalogImport) -> dict:
    """The progress report of an import, as the API shows it."""
    status, message = job.status, job.message
    if status in UNFINISHED and _task_failed(job):
        status = ImportStatus.FAILED
        message = _stopped_message(job, RuntimeError("the worker stopped")).replace(
            " (RuntimeError)", ""
        )
    errors = sorted(job.errors, key=lambda error: error["row"])
    return {
        "id": str(job.pk),
        "status": status,
        "total": job.total,
        "done": job.done,
        "created": job.created,
        "updated": job.updated,
        "errors": errors,
        "message": message,
    }


def _task_failed(job: CatalogImport) -> bool:
    """Whether the task running the import was given up (its workers kept dying)."""
    if not job.task_id:
        return False
    from clipdeck.shop.tasks import import_catalog

    try:
        return import_catalog.get_result(job.task_id).status == "FAILED"
    except Exception:  # no such result (pruned): the row's own status stands
        return False
