"""Viewer filters: words and hashtags a viewer never wants to see.

A preference, not a visibility rule: a filtered video still opens from a
direct link, but no feed, search result, hashtag or sound page shows it to the
viewer, and no comment containing a filtered word is listed to them. Every such
read path calls :func:`without_filtered_videos` or
:func:`without_filtered_comments` after the visibility policy.
"""

from __future__ import annotations

from django.core.cache import caches
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from clipdeck.accounts.models import User
from clipdeck.accounts.services import clean_keywords
from clipdeck.kernel.auth import as_viewer
from clipdeck.kernel.errors import InvalidInput
from clipdeck.videos.caption_words import videos_with_words
from clipdeck.videos.models import Comment, Video, ViewerFilter

MAX_HASHTAG = 100
FILTERS_KEPT_SECONDS = 24 * 3600


def _cache_key(user_id) -> str:
    return f"viewer-filters:{user_id}"


def viewer_filters(viewer: User | None) -> dict[str, list[str]]:
    """``{keywords, hashtags}`` of ``viewer``; empty for anonymous viewers.

    Read on every feed page, so kept in the serving-state store (``CACHES["feed"]``,
    which never culls live state); saving filters replaces the stored copy.
    """
    viewer = as_viewer(viewer)
    if viewer is None:
        return {"keywords": [], "hashtags": []}
    store = caches["feed"]
    found = store.get(_cache_key(viewer.pk))
    if found is None:
        row = ViewerFilter.objects.filter(user=viewer).first()
        found = {
            "keywords": list(row.keywords) if row else [],
            "hashtags": list(row.hashtags) if row else [],
        }
        store.set(_cache_key(viewer.pk), found, timeout=FILTERS_KEPT_SECONDS)
    return {"keywords": list(found["keywords"]), "hashtags": list(found["hashtags"])}


@transaction.atomic
def viewer_filters_set(*, user: User, keywords: list[str], hashtags: list[str]) -> dict:
    """Replace ``user``'s filters; hashtags are kept without ``#`` and in lower case."""
    words = clean_keywords(keywords, field="keywords")
    tags = clean_keywords([t.strip().lstrip("#") for t in hashtags], field="hashtags")
    for tag in tags:
        if not tag.replace("_", "").isalnum() or len(tag) > MAX_HASHTAG:
            raise InvalidInput(
                f"#{tag} is not a hashtag: letters, digits and _ only.",
                code="invalid_hashtag",
                field="hashtags",
            )
    ViewerFilter.objects.update_or_create(
        user=user, defaults={"keywords": words, "hashtags": tags, "updated_at": timezone.now()}
    )
    caches["feed"].delete(_cache_key(user.pk))  # read again from the row from now on
    transaction.on_commit(lambda: caches["feed"].delete(_cache_key(user.pk)))
    return {"keywords": words, "hashtags": tags}


def _caption_matches(filters: dict[str, list[str]]) -> Q | None:
    """Videos whose caption holds a filtered word or whose hashtags a filtered one.

    Captions are sealed, so their words are matched in their derived index
    (``caption_words``): a keyword matches words, or the start of words, in
    any case and with or without accents.
    """
    query = Q()
    for word in filters["keywords"]:
        having = videos_with_words(word)
        if having is not None:
            query |= Q(pk__in=having)
    tags = filters["hashtags"] + [w.lstrip("#") for w in filters["keywords"]]
    if tags:
        query |= Q(
            pk__in=Video.hashtags.through.objects.filter(hashtag__name__in=tags).values("video_id")
        )
    return query or None


def without_filtered_videos(queryset: QuerySet[Video], viewer: User | None) -> QuerySet[Video]:
    """``queryset`` less the videos ``viewer``'s filters hide (keywords in captions, hashtags).

    The viewer's own videos are never hidden from them.
    """
    viewer = as_viewer(viewer)
    if viewer is None:
        return queryset
    matches = _caption_matches(viewer_filters(viewer))
    if matches is None:
        return queryset
    return queryset.exclude(matches & ~Q(author=viewer))


def without_filtered_comments(
    queryset: QuerySet[Comment], viewer: User | None
) -> QuerySet[Comment]:
    """``queryset`` less the comments holding one of ``viewer``'s filtered words or hashtags."""
    viewer = as_viewer(viewer)
    if viewer is None:
        return queryset
    filters = viewer_filters(viewer)
    query = Q()
    for word in filters["keywords"] + [f"#{tag}" for tag in filters["hashtags"]]:
        query |= Q(text__icontains=word)
    return queryset.exclude(query & ~Q(author=viewer)) if query else queryset
