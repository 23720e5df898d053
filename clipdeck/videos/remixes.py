"""Rule R2: a remix whose source stops being for everyone falls back to its owner.

A remix is a duet, reaction or stitch (``remix_of``) or a video using another video's
original sound. When its source stops being public (its visibility changes,
its account goes private, it is deleted) or its author and the remixer come to
be in a block, either way, the remix is *withheld*: ``withheld_reason`` is set
and the visibility policy shows it to its owner alone. Remixes of a withheld
remix are withheld in turn. A creator's own remixes of their own videos are
theirs to show and are left alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from clipdeck.accounts.models import User
from clipdeck.videos.models import Video, WithheldReason


def _built_on(sources: Iterable[object]) -> Q:
    """Videos that remix one of the videos ``sources`` (ids) or use its original sound."""
    ids = list(sources)
    return Q(remix_of__in=ids) | Q(sound__source_video__in=ids)


def _built_on_videos_of(author: User) -> Q:
    """Videos that remix a video of ``author`` or use one of its original sounds."""
    return Q(remix_of__author=author) | Q(sound__source_video__author=author)


def _withhold(direct: QuerySet[Video], reason: WithheldReason) -> int:
    """Withhold ``direct`` for ``reason``, then every remix built on them; how many."""
    frontier = set(direct.filter(withheld_reason="").values_list("pk", flat=True))
    count = 0
    while frontier:
        Video.objects.filter(pk__in=frontier).update(withheld_reason=reason)
        count += len(frontier)
        reason = WithheldReason.SOURCE_NOT_PUBLIC
        later = Video.objects.filter(_built_on(frontier), withheld_reason="")
        frontier = set(later.values_list("pk", flat=True))
    return count


def remixes_withhold(source: Video, *, reason: WithheldReason) -> int:
    """Withhold the remixes others made of ``source`` (and theirs); how many were withheld."""
    remixes = Video.objects.filter(_built_on([source.pk])).exclude(author_id=source.author_id)
    return _withhold(remixes, reason)


def remixes_withhold_of_author(author: User, *, reason: WithheldReason) -> int:
    """Withhold the remixes others made of any video of ``author`` (the account went private)."""
    return _withhold(
        Video.objects.filter(_built_on_videos_of(author)).exclude(author=author), reason
    )


def remixes_withhold_between(first: User, second: User) -> int:
    """Withhold each one's remixes of the other's videos: the two are now in a block."""
    either = (Q(author=first) & _built_on_videos_of(second)) | (
        Q(author=second) & _built_on_videos_of(first)
    )
    return _withhold(Video.objects.filter(either), WithheldReason.BLOCKED)


__all__ = ["remixes_withhold", "remixes_withhold_between", "remixes_withhold_of_author"]
