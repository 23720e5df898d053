"""Files that go with their rows: a take or voice-over is deleted with its video."""

from __future__ import annotations

from django.db.models.signals import post_delete
from django.dispatch import receiver

from clipdeck.kernel.storage import delete_on_commit
from clipdeck.studio.models import ExtraOriginal


@receiver(post_delete, sender=ExtraOriginal, dispatch_uid="studio.extra_original_deleted")
def extra_original_deleted(sender, *, instance: ExtraOriginal, **kwargs) -> None:
    """The row went (its video was deleted, or the account erased): its file goes too."""
    delete_on_commit(instance.file)
