"""Delivery of activities to remote inboxes: one row per inbox, retried with backoff.

Each delivery is its own task on the ``federation`` queue, so a slow or dead
server holds up only its own deliveries. A server that keeps failing is
marked unavailable (``Destination.retry_after``): its deliveries wait without
connecting until then, and the others go out as usual.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from clipdeck.federation import policies, uris
from clipdeck.federation.models import Delivery, DeliveryStatus, Destination
from clipdeck.federation.transport import TransportError, signed_post, timeout_seconds

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
FIRST_BACKOFF_SECONDS = 30
MAX_BACKOFF = timedelta(hours=6)
FAILURES_BEFORE_UNAVAILABLE = 3


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: 30 s, 2 min, 8 min, … up to 6 h."""
    seconds = FIRST_BACKOFF_SECONDS * 4 ** min(max(attempts - 1, 0), 10)
    return min(timedelta(seconds=seconds), MAX_BACKOFF)


def deliver(activity: dict, *, signer, inboxes) -> list[Delivery]:
    """Queue ``activity`` for each inbox (each once; none on a blocked domain)."""
    rows = []
    for inbox in dict.fromkeys(i for i in inboxes if i and not uris.is_local(i)):
        domain = uris.domain_of(inbox)
        if policies.is_blocked(domain):
            continue
        rows.append(
            Delivery.objects.create(inbox=inbox, domain=domain, activity=activity, signer=signer)
        )
    for row in rows:
        transaction.on_commit(lambda pk=row.pk: enqueue(pk))
    return rows


def enqueue(delivery_id: int, run_after=None) -> None:
    from clipdeck.federation.tasks import deliver_activity

    task = deliver_activity.using(run_after=run_after) if run_after else deliver_activity
    task.enqueue(delivery_id)


def _claim(delivery_id: int) -> Delivery | None:
    """Take the delivery for one attempt, or None when it is not due (or taken)."""
    now = timezone.now()
    lease = now + timedelta(seconds=timeout_seconds() * 3)
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=lease)
    if not claimed:
        return None
    return Delivery.objects.select_related("signer").get(pk=delivery_id)


def attempt(delivery_id: int) -> str:
    """One attempt at a delivery; what happened (``done``, ``retry``, ``failed``, ``waiting``)."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return "not_due"
    destination, _ = Destination.objects.get_or_create(domain=delivery.domain)
    now = timezone.now()
    if policies.is_blocked(delivery.domain):
        return _give_up(delivery, "The domain was blocked.")
    if destination.retry_after and destination.retry_after > now:
        _reschedule(delivery, destination.retry_after)
        return "waiting"
    try:
        signed_post(delivery.inbox, delivery.activity, signer=delivery.signer)
    except TransportError as exc:
        return _failed(delivery, destination, exc)
    delivery.status = DeliveryStatus.DONE
    delivery.attempts = F("attempts") + 1
    delivery.save(update_fields=["status", "attempts"])
    Destination.objects.filter(pk=destination.pk).update(failures=0, retry_after=None)
    return "done"


def _failed(delivery: Delivery, destination: Destination, exc: TransportError) -> str:
    delivery.attempts += 1
    delivery.last_error = str(exc)[:300]
    permanent = exc.status is not None and 400 <= exc.status < 500 and exc.status not in {408, 429}
    if permanent or delivery.attempts >= MAX_ATTEMPTS:
        return _give_up(delivery, delivery.last_error)
    wait = backoff(delivery.attempts)
    destination.failures += 1
    if destination.failures >= FAILURES_BEFORE_UNAVAILABLE:
        destination.retry_after = timezone.now() + backoff(destination.failures - 2)
    destination.save(update_fields=["failures", "retry_after"])
    logger.info(
        "delivery %s to %s failed (%s); retry in %s", delivery.pk, delivery.domain, exc, wait
    )
    _reschedule(delivery, timezone.now() + wait)
    return "retry"


def _reschedule(delivery: Delivery, when) -> None:
    delivery.next_attempt_at = when
    delivery.save(update_fields=["next_attempt_at", "attempts", "last_error"])
    transaction.on_commit(lambda: enqueue(delivery.pk, run_after=when))


def _give_up(delivery: Delivery, reason: str) -> str:
    delivery.status = DeliveryStatus.FAILED
    delivery.last_error = reason[:300]
    delivery.save(update_fields=["status", "attempts", "last_error"])
    logger.warning("delivery %s to %s abandoned: %s", delivery.pk, delivery.domain, reason)
    return "failed"


def requeue_overdue() -> int:
    """Queue again the pending deliveries whose time has come (after a worker died)."""
    overdue = Delivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lt=timezone.now() - timedelta(minutes=1)
    ).values_list("pk", flat=True)[:500]
    for pk in overdue:
        enqueue(pk)
    return len(overdue)
