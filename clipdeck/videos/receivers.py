"""The videos app's signal receivers: rule R2 when a source stops being for everyone.

Accounts may not import videos, so it announces an account going private and
a block (``clipdeck.accounts.signals``); deletions arrive as ``pre_delete``,
so a source deleted with its account (a cascade) withholds its remixes too.
"""

from __future__ import annotations

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from clipdeck.accounts.models import User
from clipdeck.accounts.signals import account_made_private, block_made
from clipdeck.videos.caption_words import index_caption
from clipdeck.videos.models import Video, WithheldReason
from clipdeck.videos.remixes import (
    remixes_withhold,
    remixes_withhold_between,
    remixes_withhold_of_author,
)


@receiver(account_made_private, dispatch_uid="videos.withhold_remixes_of_private_account")
def withhold_remixes_of_private_account(sender, *, user: User, **kwargs) -> None:
    """The account went private: others' remixes of its videos fall back to their owners."""
    remixes_withhold_of_author(user, reason=WithheldReason.SOURCE_NOT_PUBLIC)


@receiver(block_made, dispatch_uid="videos.withhold_remixes_across_block")
def withhold_remixes_across_block(sender, *, blocker: User, blocked: User, **kwargs) -> None:
    """A block, either way, ends each one's remixes of the other's videos."""
    remixes_withhold_between(blocker, blocked)


@receiver(pre_delete, sender=Video, dispatch_uid="videos.withhold_remixes_of_deleted")
def withhold_remixes_of_deleted(sender, *, instance: Video, **kwargs) -> None:
    """A deleted video's remixes fall back to their owners before the credit is cleared."""
    remixes_withhold(instance, reason=WithheldReason.SOURCE_DELETED)


@receiver(post_save, sender=Video, dispatch_uid="videos.index_caption_words")
def index_caption_words(sender, *, instance: Video, update_fields=None, **kwargs) -> None:
    """Keep the caption's derived words (for the viewer filters) in step with the caption."""
    if kwargs.get("raw"):  # rows loaded by a restore or a fixture: nothing happened
        return
    if update_fields is None or "caption" in update_fields:
        index_caption(instance)
