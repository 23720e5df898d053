"""Emails as events: an outbox row and a log line, no mail server.

A mailer (or a task) can deliver unsent rows later and set ``sent_at``. The log
names the user by id, never by email address.
"""

from __future__ import annotations

import logging

from clipdeck.inbox.services import notify as inbox_notify
from clipdeck.shop.models import Notification, Order

logger = logging.getLogger("clipdeck.shop.notifications")


def notify(*, recipient, kind: str, subject: str, body: str, order: Order | None = None):
    """Record an email for ``recipient``, log it, and put order news in their inbox."""
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, subject=subject, body=body, order=order
    )
    logger.info("email %s to user %s: %s", kind, recipient.pk, subject)
    if order is not None:
        # The same news reaches the activity inbox (on commit).
        inbox_notify(recipient, "order", order=str(order.pk), kind=kind, message=subject)
    return notification
