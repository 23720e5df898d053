"""Writes of the search index: bring one thing up to date, or rebuild it all."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from clipdeck.accounts.models import User
from clipdeck.search import documents
from clipdeck.search.index import search_index
from clipdeck.videos.models import Hashtag, Sound


def index_videos(video_ids: Iterable[object]) -> None:
    """Index those of the videos that are public; take the others out."""
    ids = {str(pk) for pk in video_ids}
    if not ids:
        return
    found = list(documents.public_videos().filter(pk__in=ids))
    index = search_index()
    index.upsert([documents.video_document(video) for video in found])
    index.delete("videos", ids - {str(video.pk) for video in found})
    tags = Hashtag.objects.filter(videos__pk__in=ids).distinct()
    index_hashtags(tags)
    sounds = Sound.objects.filter(source_video__pk__in=ids).values_list("pk", flat=True)
    index_sounds(list(sounds))


def index_users(user_ids: Iterable[int]) -> None:
    """Index the active accounts among ``user_ids``; take the others out."""
    ids = set(user_ids)
    found = list(User.objects.filter(pk__in=ids, is_active=True))
    index = search_index()
    index.upsert(documents.user_documents(found))
    index.delete("users", [str(pk) for pk in ids - {user.pk for user in found}])


def index_hashtags(tags: Iterable[Hashtag]) -> None:
    tags = list(tags)
    docs = documents.hashtag_documents(tags)
    index = search_index()
    index.upsert(docs)
    index.delete("hashtags", {tag.name for tag in tags} - {doc.ref for doc in docs})


def index_sounds(sound_ids: Iterable[int]) -> None:
    ids = set(sound_ids)
    found = list(documents.findable_sounds().filter(pk__in=ids))
    index = search_index()
    index.upsert(documents.sound_documents(found))
    index.delete("sounds", [str(pk) for pk in ids - {sound.pk for sound in found}])


def forget(kind: str, refs: Iterable[str]) -> None:
    """Take things that no longer exist out of the index."""
    search_index().delete(kind, refs)


@transaction.atomic
def rebuild() -> int:
    """Empty the index and fill it again from the database; the number of documents."""
    index = search_index()
    index.clear()
    total = 0
    for batch in documents.everything():
        index.upsert(batch)
        total += len(batch)
    return total
