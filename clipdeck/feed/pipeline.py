"""Building a For You page: sources → visibility filter → ranking → re-ranking → reasons.

The personalised feed uses every source and the viewer's interests; the
non-personalised one (``personalized=False``, DSA art. 38) uses only what is
trending in the region and what is fresh, ranked without anything about the
viewer; anonymous viewers get the personalised pipeline with an empty profile
(trending, fresh and the exploration pool).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from clipdeck.accounts.models import User
from clipdeck.feed import artefacts as trained
from clipdeck.feed import page_queue, ranking, rendered, session, viewer_state
from clipdeck.feed.affinity import affinity
from clipdeck.feed.context import ViewerContext, viewer_context
from clipdeck.feed.features import FEATURES, feature_row, known_interest, visible_facts
from clipdeck.feed.reasons import reason
from clipdeck.feed.rerank import Scored, rerank_pages
from clipdeck.feed.sources import (
    Candidate,
    coengagement,
    collaborative,
    ease,
    exploration,
    following,
    fresh,
    hashtags,
    sounds,
    trending,
)
from clipdeck.feed.visible_rows import visible_rows
from clipdeck.videos.filters import viewer_filters, without_filtered_videos
from clipdeck.videos.models import Video
from clipdeck.videos.selectors import with_relations

PER_SOURCE = 50
EXPLORATION = 20
# Only the shortlist is checked, featurised and ranked in full (see ``shortlist``).
SHORTLIST = 150  # about the best 17 of each of 9 sources: 90 cost the taste-shift simulation
SHORTLIST_PER_ITEM = 8  # a page of ``limit`` videos shortlists at least 8 × limit candidates
SHORTLIST_EXPLORATION = 10
FUSION_K = 10
# One like of a hashtag (~0.9 once squashed) is worth about the first place in one
# source (1/10); a skip (~ -0.3) pushes a video about 20 places down a list.
# 0.05 gave 34 of 50 viewers in the taste-shift simulation, 0.1 gave 35 (docs/benchmarks.md).
INTEREST_BONUS = 0.1
# When several sources propose a video, the reason names the first of these.
PRIORITY = (
    "following",
    "coengagement",
    "collaborative",
    "ease",
    "sounds",
    "hashtags",
    "exploration",
    "trending",
    "fresh",
)


@dataclass
class Page:
    items: list[tuple[Video, dict]]
    next_cursor: str | None


def _candidates(
    context: ViewerContext,
    artefacts,
    exclude: set[str],
    *,
    explore: bool,
    personal: list[Candidate] | None = None,
) -> list[Candidate]:
    """Shared lists, the query-free personal sources, and the precomputed personal ones.

    ``personal`` is the viewer's precomputed list (``viewer_state``); without
    it (tools, tests) the personal sources that need the database run now.
    """
    found = [
        *trending.candidates(context, limit=PER_SOURCE, exclude=exclude),
        *fresh.candidates(context, limit=PER_SOURCE // 2, exclude=exclude),
    ]
    if explore:
        found += exploration.candidates(context, limit=EXPLORATION, exclude=exclude)
    if not context.personalized:
        return found
    found += collaborative.candidates(context, artefacts, limit=PER_SOURCE, exclude=exclude)
    found += ease.candidates(context, artefacts, limit=PER_SOURCE, exclude=exclude)
    if personal is None:
        return [
            *found,
            *coengagement.candidates(context, artefacts, limit=PER_SOURCE, exclude=exclude),
            *following.candidates(context, limit=PER_SOURCE // 2, exclude=exclude),
            *hashtags.candidates(context, limit=PER_SOURCE // 2, exclude=exclude),
            *sounds.candidates(context, limit=PER_SOURCE // 2, exclude=exclude),
        ]
    # The trained neighbours of what the viewer engaged with up to this moment
    # (no query): a like a second ago already brings its neighbours.
    if artefacts is not None:
        found += coengagement.known_candidates(
            context, artefacts, limit=PER_SOURCE, exclude=exclude
        )
    return [*found, *_per_source(personal, exclude)]


PERSONAL_LIMITS = {
    "coengagement": PER_SOURCE,
    "following": PER_SOURCE // 2,
    "hashtags": PER_SOURCE // 2,
    "sounds": PER_SOURCE // 2,
}


def _per_source(personal: list[Candidate], exclude: set[str]) -> list[Candidate]:
    """The best unserved precomputed candidates, as many per source as a live source gives."""
    taken: dict[str, int] = {}
    found = []
    for candidate in personal:  # stored best first within each source
        if candidate.video_id in exclude:
            continue
        if taken.get(candidate.source, 0) < PERSONAL_LIMITS.get(candidate.source, PER_SOURCE):
            taken[candidate.source] = taken.get(candidate.source, 0) + 1
            found.append(candidate)
    return found


def shortlist(
    candidates: list[Candidate], *, limit: int, context: ViewerContext | None = None
) -> list[Candidate]:
    """The candidates worth ranking in full: the sources' own orders fused, plus fresh interests.

    Each source lists its candidates best first; a video scores ``1 / (10 +
    rank)`` in every source that proposes it, summed, so videos several
    sources agree on come first. With a ``context``, each video also gains
    ``0.1 ×`` the viewer's interest in its creator, sound and hashtags (the
    ranker's interest features, short-term profile included, read from this
    process's memo without a query), so a video matching what the viewer just
    liked survives the cut from deep in a list and one matching what they
    just skipped drops. The best ``max(150, 8 × limit)`` stay, plus the best
    exploration candidates up to 10 (the re-ranker reserves slots for them).
    Everything after this step — the visibility check, the features, the
    ranker, the re-ranker — costs in proportion to the shortlist, never to
    the catalogue or to the number of sources.
    """
    size = max(SHORTLIST, SHORTLIST_PER_ITEM * limit)
    rank: Counter = Counter()
    fused: dict[str, float] = {}
    exploring: list[str] = []
    for candidate in candidates:
        fused[candidate.video_id] = fused.get(candidate.video_id, 0.0) + 1.0 / (
            FUSION_K + rank[candidate.source]
        )
        rank[candidate.source] += 1
        if candidate.source == "exploration":
            exploring.append(candidate.video_id)
    if len(fused) <= size:
        return candidates
    if context is not None and context.personalized:
        clock = time.monotonic()
        for pk in fused:
            fused[pk] += INTEREST_BONUS * known_interest(context, pk, clock)
    kept = set(sorted(fused, key=lambda pk: -fused[pk])[:size])
    kept.update(exploring[:SHORTLIST_EXPLORATION])
    return [candidate for candidate in candidates if candidate.video_id in kept]


def _merge(candidates: list[Candidate]) -> dict[str, dict]:
    """Per video: the reason's source and evidence, and each source's score."""
    merged: dict[str, dict] = {}
    for candidate in candidates:
        entry = merged.setdefault(candidate.video_id, {"scores": {}})
        entry["scores"][candidate.source] = candidate.score
        current = entry.get("source")
        if current is None or PRIORITY.index(candidate.source) < PRIORITY.index(current):
            entry["source"], entry["because"] = candidate.source, candidate.because
    return merged


def feature_rows(context: ViewerContext, facts: dict, artefacts) -> np.ndarray:
    """The ranker's features of each video of ``facts``, computed as training computes them."""
    scores = affinity(context, artefacts)
    return np.array(
        [feature_row(context, video, *scores.scores(pk)) for pk, video in facts.items()]
    ).reshape(len(facts), len(FEATURES))


def _scored(context, merged, facts, artefacts) -> list[Scored]:
    ids = list(facts)
    rows = feature_rows(context, facts, artefacts)
    scores = ranking.page_scores(context, facts, rows, artefacts)
    return [
        Scored(facts[pk], float(s), merged[pk]["source"]) for pk, s in zip(ids, scores, strict=True)
    ]


def build_page(
    context: ViewerContext,
    feed: session.FeedSession,
    limit: int,
    *,
    explore: bool = True,
    personal: list[Candidate] | None = None,
    ahead: int = 0,
) -> list[Scored]:
    """The ranked, re-ranked videos of the next page, all visible to the viewer.

    ``explore=False`` (the non-personalised feed) leaves out the exploration
    pool and the trained model, so the page is the same for everyone. With
    ``ahead``, up to that many pages more follow the page in the list, each
    re-ranked after the one before as if served one by one (``page_queue``);
    ``feed.previous`` is left as after the first page.
    """
    artefacts = trained.load_current() if explore else None
    exclude = context.seen | context.hidden | set(feed.served)
    found = _candidates(context, artefacts, exclude, explore=explore, personal=personal)
    merged = _merge(shortlist(found, limit=limit, context=context))
    facts = visible_facts(context, merged, timezone.now())
    if context.viewer is not None:
        facts = {pk: f for pk, f in facts.items() if f.author != str(context.viewer.pk)}
    scored = _scored(context, merged, facts, artefacts)
    pages = rerank_pages(scored, limit=limit, previous=feed.previous, pages=1 + ahead)
    picked = [item for page in pages for item in page]
    trending_now = {pk for pk, _ in trending.trending_ids()[:200]}
    for item in picked:
        entry = merged[item.facts.id]
        item.reason = reason(
            entry["source"],
            entry.get("because", ""),
            item.facts,
            context,
            trending=item.facts.id in trending_now,
        )
    return picked


@dataclass
class PageIds:
    """A For You page as ids and reasons, in order, each visible to the viewer now."""

    items: list[tuple[str, dict]]
    next_cursor: str | None
    rows: list[tuple] | None = None  # ``rows_of``'s rows of the page, when it was called


def for_you_ids(
    viewer: User | None,
    *,
    cursor: str | None,
    limit: int,
    personalized: bool,
    rows_of: Callable[[User, list[str]], list[tuple]] | None = None,
) -> PageIds:
    """One page of For You for ``viewer`` (None when anonymous), as ids and reasons.

    A signed-in viewer's personalised page pops from their ranked queue when
    it may (``page_queue``); otherwise the page is built, and the pages after
    it are kept in the queue. Either way each id passed the visibility policy
    and the viewer's filters in this request. ``rows_of(viewer, ids)``, when
    given, is the visibility check of a queued page (rows of the visible ids,
    the id first; the presenter's query), and the page carries its rows.
    """
    feed = session.open_session(viewer, cursor, personalized=personalized)
    if personalized and viewer is not None and page_queue.pages_ahead():
        queued, read = _from_queue(viewer, feed, limit, rows_of)
        if queued is not None:
            feed.previous = page_queue.after(feed.previous, queued)
            ids = [item.video_id for item in queued]
            next_cursor = session.save_session(feed, ids)
            page_queue.remember(viewer.pk, feed, limit)
            rows = [read[pk] for pk in ids if pk in read] if rows_of is not None else None
            return PageIds([(item.video_id, item.reason) for item in queued], next_cursor, rows)
    personal, stamp = None, None
    if personalized and viewer is not None:
        stamp = page_queue.stamp(viewer.pk)  # read before the state the page is ranked on
        context, personal = viewer_state.load(viewer, served=feed.served)
    elif personalized:
        context = viewer_context(None)
    else:
        context = ViewerContext.without_profile(viewer)
    ahead = page_queue.pages_ahead() if personal is not None else 0
    ranked = build_page(context, feed, limit, explore=personalized, personal=personal, ahead=ahead)
    picked, later = ranked[:limit], ranked[limit:]
    if personal is not None:
        model = trained.load_current()
        page_queue.keep(
            viewer.pk,
            [_queued(item) for item in later],
            stamp=stamp,
            version=model.version if model else None,
            limit=limit,
        )
    # Every id passed the visibility check of this request (``visible_facts``).
    ids = [item.facts.id for item in picked]
    kept = unfiltered_ids(viewer, ids)
    picked = [item for item in picked if item.facts.id in kept]
    next_cursor = session.save_session(feed, ids) if ids else None
    if personal is not None and ids:
        page_queue.remember(viewer.pk, feed, limit)
    return PageIds([(item.facts.id, item.reason) for item in picked], next_cursor)


def rank_behind(viewer: User) -> None:
    """Rank the viewer's next pages after their queue, for their latest session, and dump
    their videos (``rendered.warm``).

    Runs behind the requests (``viewer_state``), once the viewer's state is
    recomputed after an event or a follow (which dropped the queue). The stamp
    is read before ranking, so a change of the viewer while it runs leaves
    what it ranks unserved.
    """
    found = page_queue.latest(viewer.pk)
    ahead = page_queue.pages_ahead()
    if found is None or not ahead:
        return
    feed, limit = found
    stamp = page_queue.stamp(viewer.pk)
    model = trained.load_current()
    version = model.version if model else None
    queue = page_queue.waiting(viewer.pk, version=version, limit=limit)
    served = set(feed.served)
    queued = [item for item in queue.items if item.video_id not in served] if queue else []
    if len(queued) < ahead * limit:
        feed.served = [*feed.served, *(item.video_id for item in queued)]
        feed.previous = page_queue.after(feed.previous, queued)
        context, personal = viewer_state.load(viewer, served=feed.served)
        ranked = [
            _queued(item)  # as many pages as a request builds
            for item in build_page(context, feed, limit, personal=personal, ahead=ahead)
        ]
        page_queue.extend(viewer.pk, ranked, stamp=stamp, version=version, limit=limit)
        queued += ranked
    # the next pages' videos, dumped now: popping a page then costs one query
    rendered.warm(viewer, [item.video_id for item in queued[: (ahead + 1) * limit]])


def _queued(item: Scored) -> page_queue.Queued:
    facts = item.facts
    return page_queue.Queued(facts.id, item.reason, facts.author, facts.sound, facts.hashtags)


def _from_queue(viewer: User, feed: session.FeedSession, limit: int, rows_of):
    """The next page from the viewer's queue (or None) and the rows ``rows_of`` read."""
    model = trained.load_current()
    read: dict[str, tuple] = {}

    def allowed(ids: list[str]) -> set[str]:
        if rows_of is not None:
            read.update((str(row[0]), row) for row in rows_of(viewer, ids))
            visible = set(read)
        else:
            visible = {str(row[0]) for row in visible_rows(viewer, ids, ("pk",))}
        return unfiltered_ids(viewer, [pk for pk in ids if pk in visible])

    page = page_queue.pop(
        viewer.pk,
        version=model.version if model else None,
        limit=limit,
        served=set(feed.served),
        allowed=allowed,
    )
    return page, read


def unfiltered_ids(viewer: User | None, ids: list[str]) -> set[str]:
    """Those of ``ids`` the viewer's word and hashtag filters let through (no query without)."""
    if viewer is None or not ids or not any(viewer_filters(viewer).values()):
        return set(ids)
    chosen = Video.objects.filter(pk__in=ids)
    return {str(pk) for pk in without_filtered_videos(chosen, viewer).values_list("pk", flat=True)}


def for_you(viewer: User | None, *, cursor: str | None, limit: int, personalized: bool) -> Page:
    """One page of For You for ``viewer`` (None when anonymous), with the videos read."""
    page = for_you_ids(viewer, cursor=cursor, limit=limit, personalized=personalized)
    ids = [pk for pk, _ in page.items]
    videos = with_relations(Video.objects.filter(pk__in=ids)).in_bulk()
    by_id = {str(pk): video for pk, video in videos.items()}
    items = [(by_id[pk], reason) for pk, reason in page.items if pk in by_id]
    return Page(items=items, next_cursor=page.next_cursor)
