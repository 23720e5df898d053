"""Keep the search index in sync: every write that changes what may be found, on commit.

Receivers only note what changed; the index is written after the change's
transaction commits (a rolled-back change never reaches it), and a failure to
write it is logged, not raised: ``clipdeck search rebuild`` repairs the index.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from clipdeck.accounts.models import User
from clipdeck.accounts.signals import account_made_private
from clipdeck.search import services
from clipdeck.videos.models import Hashtag, Sound, Video

log = logging.getLogger(__name__)


def _on_commit(work: Callable[[], None]) -> None:
    def run() -> None:
        try:
            work()
        except Exception:  # the index is derived: the write it follows must stand
            log.exception("search index update failed; run `clipdeck search rebuild`")

    transaction.on_commit(run)


@receiver(post_save, sender=Video, dispatch_uid="search.video_saved")
def video_saved(sender, *, instance: Video, **kwargs) -> None:
    _on_commit(lambda: services.index_videos([instance.pk]))


@receiver(m2m_changed, sender=Video.hashtags.through, dispatch_uid="search.video_tagged")
def video_tagged(sender, *, instance, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Video):
        _on_commit(lambda: services.index_videos([instance.pk]))


@receiver(post_delete, sender=Video, dispatch_uid="search.video_deleted")
def video_deleted(sender, *, instance: Video, **kwargs) -> None:
    ref = str(instance.pk)
    tags = list(Hashtag.objects.filter(videos__pk=instance.pk))
    _on_commit(lambda: (services.forget("videos", [ref]), services.index_hashtags(tags)))


@receiver(post_save, sender=User, dispatch_uid="search.user_saved")
def user_saved(sender, *, instance: User, update_fields=None, **kwargs) -> None:
    _on_commit(lambda: services.index_users([instance.pk]))
    if update_fields is None or {"is_private", "is_active"} & set(update_fields):
        _reindex_videos_of(instance)


@receiver(account_made_private, dispatch_uid="search.account_made_private")
def account_private(sender, *, user: User, **kwargs) -> None:
    _reindex_videos_of(user)


def _reindex_videos_of(user: User) -> None:
    _on_commit(
        lambda: services.index_videos(
            Video.objects.filter(author=user).values_list("pk", flat=True)
        )
    )


@receiver(post_delete, sender=User, dispatch_uid="search.user_deleted")
def user_deleted(sender, *, instance: User, **kwargs) -> None:
    ref = str(instance.pk)
    _on_commit(lambda: services.forget("users", [ref]))


@receiver(post_save, sender=Sound, dispatch_uid="search.sound_saved")
def sound_saved(sender, *, instance: Sound, **kwargs) -> None:
    _on_commit(lambda: services.index_sounds([instance.pk]))


@receiver(post_delete, sender=Sound, dispatch_uid="search.sound_deleted")
def sound_deleted(sender, *, instance: Sound, **kwargs) -> None:
    ref = str(instance.pk)
    _on_commit(lambda: services.forget("sounds", [ref]))
