"""Reads of search: ranked results the viewer may see, and suggestions while typing.

The index answers which documents match; whether the viewer may see each one
is decided here again by the visibility policy (``Video.objects.visible_to``,
``User.objects.visible_to``, ``sound_access`` rules), with blocks excluded
either way, so a stale index entry can never show what it must not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from clipdeck.accounts.models import User
from clipdeck.accounts.policies import blocked_either_way
from clipdeck.kernel.auth import as_viewer
from clipdeck.kernel.errors import InvalidInput
from clipdeck.search.index import KINDS, Hit, SearchIndex, search_index
from clipdeck.search.ranking import ranked
from clipdeck.search.text import edit_distance, query_words
from clipdeck.videos import selectors as video_selectors
from clipdeck.videos.filters import viewer_filters, without_filtered_videos
from clipdeck.videos.models import Hashtag, Sound, Video, VideoStatus

MAX_QUERY = 100
CANDIDATES = 300  # matches read from the index before ranking and the visibility check
SUGGEST_MIN_CHARS = 2


@dataclass
class Results:
    """One page of results of one kind; ``corrected`` is the query actually searched."""

    kind: str
    query: str
    corrected: str | None
    items: list = field(default_factory=list)
    next_offset: int | None = None


def _clean(query: str, kind: str) -> str:
    query = (query or "").strip()
    if kind not in KINDS:
        raise InvalidInput(
            f"type must be one of {', '.join(KINDS)}.", code="bad_search_type", field="type"
        )
    if len(query) > MAX_QUERY:
        raise InvalidInput(
            f"A search is at most {MAX_QUERY} characters.", code="query_too_long", field="q"
        )
    return query


def _correct(index: SearchIndex, term: str, *, prefix: bool) -> str:
    """``term``, or the closest word of the index when ``term`` is not in it (a typo)."""
    if index.known(term, prefix=prefix) or len(term) < 3:
        return term
    allowed = 1 if len(term) <= 5 else 2
    best: tuple[int, int, str] | None = None
    for word, docs in index.near(term, limit=2000):
        distance = edit_distance(term, word, limit=allowed)
        if distance <= allowed and (best is None or (distance, -docs) < best[:2]):
            best = (distance, -docs, word)
    return best[2] if best else term


def corrected_terms(index: SearchIndex, terms: list[str], *, prefix: bool) -> list[str]:
    """Each word, corrected where it is unknown (the last may be the start of a word)."""
    return [
        _correct(index, term, prefix=prefix and i == len(terms) - 1) for i, term in enumerate(terms)
    ]


def _hits(kind: str, query: str, *, prefix: bool) -> tuple[list[Hit], str | None]:
    index = search_index()
    terms = query_words(query)
    if not terms:
        return [], None
    hits = index.match(kind, terms, prefix=prefix, limit=CANDIDATES)
    if hits:
        return hits, None
    fixed = corrected_terms(index, terms, prefix=prefix)
    if fixed == terms:
        return [], None
    return index.match(kind, fixed, prefix=prefix, limit=CANDIDATES), " ".join(fixed)


def search(viewer: User | None, query: str, kind: str, *, offset: int = 0, limit: int = 20):
    """Ranked ``kind`` results for ``query`` that ``viewer`` may see, ``limit`` from ``offset``.

    The visibility check runs on every candidate (ids only); only the page
    itself is loaded with what it shows.
    """
    query = _clean(query, kind)
    hits, corrected = _hits(kind, query, prefix=True)
    order = [hit.ref for hit in ranked(hits)]
    viewer = as_viewer(viewer)
    allowed = _ALLOWED[kind](viewer, order)
    shown = [ref for ref in order if ref in allowed]
    page = shown[offset : offset + limit]
    loaded = _LOAD[kind](viewer, page)
    items = [loaded[ref] for ref in page if ref in loaded]
    more = offset + limit if len(shown) > offset + limit else None
    return Results(kind=kind, query=query, corrected=corrected, items=items, next_offset=more)


def _allowed_videos(viewer: User | None, refs: list[str]) -> set[str]:
    visible = Video.objects.visible_to(viewer).filter(status=VideoStatus.PUBLISHED, pk__in=refs)
    visible = without_filtered_videos(visible, viewer)
    return {str(pk) for pk in visible.values_list("pk", flat=True)}


def _videos(viewer: User | None, refs: list[str]) -> dict:
    videos = video_selectors.with_relations(Video.objects.filter(pk__in=refs))
    return {str(video.pk): video for video in videos}


def _visible_users(viewer: User | None, refs: list[str]):
    users = User.objects.visible_to(viewer).filter(pk__in=[int(ref) for ref in refs])
    if viewer is not None:
        users = users.exclude(blocked_either_way(viewer, "pk")).exclude(pk=viewer.pk)
    return users


def _allowed_users(viewer: User | None, refs: list[str]) -> set[str]:
    return {str(pk) for pk in _visible_users(viewer, refs).values_list("pk", flat=True)}


def _users(viewer: User | None, refs: list[str]) -> dict:
    return {str(user.pk): user for user in User.objects.filter(pk__in=[int(r) for r in refs])}


def _allowed_hashtags(viewer: User | None, refs: list[str]) -> set[str]:
    visible = Video.objects.visible_to(viewer).filter(status=VideoStatus.PUBLISHED)
    tags = Hashtag.objects.filter(name__in=refs, videos__in=visible).exclude(
        name__in=viewer_filters(viewer)["hashtags"]
    )
    return set(tags.values_list("name", flat=True).distinct())


def _hashtags(viewer: User | None, refs: list[str]) -> dict:
    """The page's hashtags, each with how many of its videos the viewer may see."""
    visible = Video.objects.visible_to(viewer).filter(status=VideoStatus.PUBLISHED)
    counts = dict(
        visible.filter(hashtags__name__in=refs)
        .values_list("hashtags__name")
        .annotate(n=Count("pk", distinct=True))
        .values_list("hashtags__name", "n")
    )
    return {name: {"name": name, "videos": counts.get(name, 0)} for name in refs}


def _allowed_sounds(viewer: User | None, refs: list[str]) -> set[str]:
    """Library sounds, and original sounds whose video the viewer may see (S1, S2)."""
    visible = Video.objects.visible_to(viewer)
    sounds = Sound.objects.filter(pk__in=[int(ref) for ref in refs]).filter(
        Q(is_original=False) | Q(source_video__in=visible)
    )
    return {str(pk) for pk in sounds.values_list("pk", flat=True)}


def _sounds(viewer: User | None, refs: list[str]) -> dict:
    sounds = Sound.objects.filter(pk__in=[int(r) for r in refs]).select_related("created_by")
    return {str(sound.pk): sound for sound in sounds}


_ALLOWED = {
    "videos": _allowed_videos,
    "users": _allowed_users,
    "hashtags": _allowed_hashtags,
    "sounds": _allowed_sounds,
}
_LOAD = {"videos": _videos, "users": _users, "hashtags": _hashtags, "sounds": _sounds}


def suggest(viewer: User | None, query: str, *, limit: int = 8) -> list[dict]:
    """Completions while typing (from ``SUGGEST_MIN_CHARS``): accounts, hashtags, sounds."""
    query = (query or "").strip()
    if len(query) < SUGGEST_MIN_CHARS:
        return []
    query = _clean(query, "users")
    found: list[dict] = []
    for user in search(viewer, query, "users", limit=3).items:
        found.append({"type": "user", "text": f"@{user.handle}", "url": f"/@{user.handle}"})
    for tag in search(viewer, query, "hashtags", limit=3).items:
        found.append({"type": "hashtag", "text": f"#{tag['name']}", "url": f"/tag/{tag['name']}"})
    for sound in search(viewer, query, "sounds", limit=2).items:
        found.append({"type": "sound", "text": sound.title, "url": f"/sounds/{sound.pk}"})
    return found[:limit]
