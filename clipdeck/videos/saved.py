"""Favourites (saved videos, seen only by their owner) and videos pinned to a profile."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from clipdeck.accounts.models import User
from clipdeck.kernel.errors import Conflict, InvalidInput
from clipdeck.videos.models import Favorite, Video, VideoStatus

MAX_PINS = 3


def favorite_create(*, user: User, video: Video) -> bool:
    """Save a video the user may see (the caller checks); saving again changes nothing."""
    try:
        with transaction.atomic():
            Favorite.objects.create(user=user, video=video)
    except IntegrityError:
        pass
    return True


def favorite_delete(*, user: User, video: Video) -> bool:
    Favorite.objects.filter(user=user, video=video).delete()
    return False


def favorites_of(user: User) -> QuerySet[Video]:
    """The user's saved videos that they may still see (newest videos first when paged)."""
    return (
        Video.objects.visible_to(user)
        .filter(favorited_by__user=user, status=VideoStatus.PUBLISHED)
        .order_by("-favorited_by__created_at")
    )


@transaction.atomic
def video_pin(*, owner: User, video: Video) -> Video:
    """Pin one of the owner's published videos to the top of their profile (at most three)."""
    if video.status != VideoStatus.PUBLISHED:
        raise InvalidInput("Only a published video can be pinned.", code="pin_unpublished")
    if video.pinned_at is not None:
        return video
    # Two pins at once must not make four: lock the owner's row (SQLite locks the database).
    User.objects.select_for_update().filter(pk=owner.pk).first()
    pinned = Video.objects.filter(author=owner, pinned_at__isnull=False).count()
    if pinned >= MAX_PINS:
        raise Conflict(
            f"You can pin at most {MAX_PINS} videos. Unpin one first.", code="too_many_pins"
        )
    video.pinned_at = timezone.now()
    video.save(update_fields=["pinned_at"])
    return video


def video_unpin(*, owner: User, video: Video) -> Video:
    video.pinned_at = None
    video.save(update_fields=["pinned_at"])
    return video
