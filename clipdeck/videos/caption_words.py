"""The words of each caption, for the viewer filters' keyword match.

Captions are sealed with their author's key, so the database cannot look
inside them. This table keeps each caption's distinct words (case and accents
folded) beside the video, so ``without_filtered_videos`` can exclude by
keyword in SQL. It is a derived table (``kernel.derived``): backups leave it
out and a restore rebuilds it from the sealed captions, so an erasure that
shredded a key also leaves no caption words in any later backup; the rows go
with their video.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import transaction

from clipdeck.kernel.derived import register_derived_table
from clipdeck.videos.models import CaptionWord, Video

MAX_WORDS = 300
MAX_WORD = CaptionWord._meta.get_field("word").max_length
_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """``text`` in lower case without accents: ``Dümplings`` → ``dumplings``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words_of(text: str) -> list[str]:
    """The distinct folded words of ``text``, in order, at most ``MAX_WORDS``."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(fold(text)):
        seen.setdefault(word[:MAX_WORD], None)
        if len(seen) >= MAX_WORDS:
            break
    return list(seen)


def index_caption(video: Video) -> None:
    """Replace ``video``'s caption words with those of its current caption."""
    with transaction.atomic():
        CaptionWord.objects.filter(video=video).delete()
        CaptionWord.objects.bulk_create(
            CaptionWord(video=video, word=word) for word in words_of(video.caption)
        )


def rebuild_all() -> int:
    """Rebuild the table from every caption (after a restore); how many videos were read."""
    count = 0
    with transaction.atomic():
        CaptionWord.objects.all().delete()
        for video in Video.objects.only("pk", "author_id", "caption").iterator(chunk_size=500):
            CaptionWord.objects.bulk_create(
                CaptionWord(video=video, word=word) for word in words_of(video.caption)
            )
            count += 1
    return count


def videos_with_words(keyword: str):
    """A subquery of the ids of videos whose caption holds every word of ``keyword``
    (each as a word or the start of one: ``spoil`` finds ``spoilers``); None when
    ``keyword`` has no words."""
    tokens = words_of(keyword)
    if not tokens:
        return None
    ids = None
    for token in tokens:
        having = CaptionWord.objects.filter(word__startswith=token).values("video_id")
        ids = having if ids is None else ids.filter(video_id__in=having)
    return ids


register_derived_table("videos.CaptionWord", rebuild=rebuild_all)
