"""The videos app's signal receivers: rule R2 when a source stops being for everyone.

Accounts may not import videos, so it announces an account going private and
a block (``clipdeck.accounts.signals``); deletions arrive as ``pre_delete``,
so a source deleted with its account (a cascade) withholds its remixes too.
"""

from __future__ import annotations

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from clipdeck.accounts.models import User
from clipdeck.accounts.signals import account_made_private, block_made
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
