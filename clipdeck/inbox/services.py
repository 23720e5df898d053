"""Writes of the inbox: ``notify`` (written on commit), marking read, pruning.

Any app may call ``notify``; the videos and accounts apps announce their
changes with signals, which ``receivers`` turn into notifications.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from clipdeck.accounts.models import Block, User
from clipdeck.inbox.models import Notification, NotificationType
from clipdeck.kernel.errors import InvalidInput
from clipdeck.videos.models import Comment, Video

RETENTION = timedelta(days=90)
# Unread notifications of these types about the same video (or comment) become one:
# "maya and 12 others liked your video".
GROUPED = {NotificationType.LIKE, NotificationType.COMMENT_LIKE}


def notify(
    recipient: User,
    type: str,
    actor: User | None = None,
    video: Video | None = None,
    comment: Comment | None = None,
    **data,
) -> None:
    """Tell ``recipient`` that ``type`` happened, once the current transaction commits.

    Nothing is written when the recipient is the actor, is no longer active,
    is in a block with the actor either way, or may not see the video. A
    rolled-back change notifies nobody. ``data``: JSON-safe details (an
    order's number and status, a decision's statement).
    """
    if type not in NotificationType.values:
        raise ValueError(f"unknown notification type {type!r}")
    transaction.on_commit(lambda: _create(recipient, type, actor, video, comment, data))


def _create(recipient, type_, actor, video, comment, data) -> Notification | None:
    if not _wanted(recipient, actor, video):
        return None
    if type_ in GROUPED:
        grouped = _group_into(recipient, type_, actor, video, comment)
        if grouped is not None:
            return grouped
    return Notification.objects.create(
        recipient=recipient, type=type_, actor=actor, video=video, comment=comment, data=data
    )


def _wanted(recipient: User, actor: User | None, video: Video | None) -> bool:
    recipient = User.objects.filter(pk=recipient.pk, is_active=True).first()
    if recipient is None:
        return False
    if actor is not None:
        if actor.pk == recipient.pk:
            return False
        either_way = Q(blocker=recipient, blocked=actor) | Q(blocker=actor, blocked=recipient)
        if Block.objects.filter(either_way).exists():
            return False
    return video is None or Video.objects.visible_to(recipient).filter(pk=video.pk).exists()


def _group_into(recipient, type_, actor, video, comment) -> Notification | None:
    """Fold a like into the unread one about the same thing: the latest liker leads."""
    with transaction.atomic():
        existing = (
            Notification.objects.select_for_update()
            .filter(recipient=recipient, type=type_, video=video, comment=comment)
            .filter(read_at__isnull=True)
            .first()
        )
        if existing is None:
            return None
        if existing.actor_id == (actor.pk if actor else None):
            return existing
        Notification.objects.filter(pk=existing.pk).update(
            actor=actor, count=F("count") + 1, created_at=timezone.now()
        )
    existing.refresh_from_db()
    return existing


def notifications_mark_read(*, user: User, up_to: int) -> int:
    """Mark read everything ``user`` was told up to notification ``up_to``; how many."""
    newest = Notification.objects.filter(recipient=user, pk=up_to).first()
    if newest is None:
        raise InvalidInput(
            "up_to must be the id of one of your notifications.", code="bad_up_to", field="up_to"
        )
    unread = Notification.objects.filter(
        recipient=user, read_at__isnull=True, created_at__lte=newest.created_at
    )
    return unread.update(read_at=timezone.now())


def notifications_prune(*, now: datetime | None = None) -> int:
    """Delete notifications older than the retention; how many."""
    deleted, _ = Notification.objects.filter(
        created_at__lt=(now or timezone.now()) - RETENTION
    ).delete()
    return deleted
