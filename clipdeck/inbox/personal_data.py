"""The inbox's personal data: notifications, kept 90 days."""

from __future__ import annotations

from datetime import datetime

from clipdeck.inbox.models import Notification
from clipdeck.kernel.personal_data import DataClass, declare, iso, register

PROT = DataClass.PROTECTED
KEPT = "90 days, then deleted (or with the account)."

declare(
    Notification,
    {
        "id": (DataClass.INTERNAL, "Internal key; marks what was read.", KEPT),
        "recipient": (PROT, "Whose inbox.", KEPT),
        "type": (PROT, "What happened (like, comment, follow…).", KEPT),
        "actor": (PROT, "Who did it, shown in the inbox.", KEPT),
        "video": (PROT, "The video it is about.", KEPT),
        "comment": (PROT, "The comment it is about.", KEPT),
        "count": (PROT, "How many people are grouped in one like notification.", KEPT),
        "data": (PROT, "Details of an order update or a moderation decision.", KEPT),
        "created_at": (PROT, "When; the inbox's order and the retention.", KEPT),
        "read_at": (PROT, "When it was read: the unread badge.", KEPT),
    },
)


def export(user) -> dict:
    """The user's notifications still kept."""
    rows = Notification.objects.filter(recipient=user).select_related("actor").order_by("pk")
    return {
        "notifications": [
            {
                "type": n.type,
                "actor": n.actor.handle if n.actor else None,
                "video": str(n.video_id) if n.video_id else None,
                "comment": n.comment_id,
                "count": n.count,
                "data": n.data,
                "created_at": iso(n.created_at),
                "read_at": iso(n.read_at),
            }
            for n in rows
        ]
    }


def prune(now: datetime) -> dict[str, int]:
    from clipdeck.inbox.services import notifications_prune

    return {"notifications": notifications_prune(now=now)}


# Notifications cascade with the recipient's and the actor's accounts: no erase hook needed.
register("inbox", export=export, prune=prune, prunes=("inbox.Notification",))
