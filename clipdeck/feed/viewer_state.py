"""Per-viewer state computed ahead of the request: the long-term profile and personal candidates.

A viewer's long-term interests (the event log since their last reset, likes,
follows, "not interested" choices) and the sources that need the database per
viewer (following, hashtags, sounds, co-engagement of videos newer than the
model) cost about ten queries; a page should not pay for them. They are kept
in the feed store (``store``) and:

- computed in the request only when missing (a viewer's first page, or just
  after a reset);
- refreshed behind the request when the viewer's events are recorded, their
  follows change, the model changes version, the list runs low, or it is
  older than ``STALE_S`` (one refresh per viewer at a time, on a background
  thread of this process, so a local store sees it too).

After a refresh that follows a change of the viewer, the same thread ranks
their next pages (``pipeline.rank_behind``), so the page they ask for after
their events pops from a queue instead of being built in the request.

Real time does not wait for a refresh: the short-term profile (``realtime``)
is folded in at request time, and the sources that need no query (the
collaborative ANN search and the trained co-engagement neighbours) run in the
request on the up-to-date interests, so the next page reflects a like or a
skip at once.
"""

from __future__ import annotations

import copy
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import connections, transaction

from clipdeck.accounts.models import User
from clipdeck.feed import artefacts as trained
from clipdeck.feed import page_queue
from clipdeck.feed.context import ViewerContext, long_term_context, with_short_term
from clipdeck.feed.features import warm
from clipdeck.feed.sources import Candidate, coengagement, following, hashtags, sounds
from clipdeck.feed.store import store

log = logging.getLogger(__name__)

TTL_S = 7 * 24 * 3600
STALE_S = 600
PER_SOURCE = 100  # twice a page's share, so a few pages go by before a refresh
LOW_WATER = 40  # fewer personal candidates left than this: refresh behind
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-viewer-state")
_pending: set[int] = set()
_again: dict[int, tuple[str, set[str] | None]] = {}  # the job to run once the running one ends
_lock = threading.Lock()
# Jobs: recompute the state and rank the next pages (the viewer changed), which
# covers recomputing the state only (it ran low or grew stale).
REFRESH, STATE = "refresh", "state"


@dataclass
class ViewerState:
    """What the request reads about a viewer: their long-term profile and personal candidates."""

    profile: ViewerContext
    candidates: list[Candidate] = field(default_factory=list)
    version: str | None = None  # the model version the candidates were computed with
    at: float = 0.0
    excluded: set[str] = field(default_factory=set)  # served when computed, left out


def _key(user_id) -> str:
    return f"feed:viewer:{user_id}"


def compute(viewer: User, *, served: set[str] | None = None) -> ViewerState:
    """Compute and store ``viewer``'s state now (about ten queries)."""
    profile = long_term_context(viewer)
    # a deep copy: folding the short term in must not reach the stored long-term profile
    context = with_short_term(replace(copy.deepcopy(replace(profile, viewer=None)), viewer=viewer))
    model = trained.load_current()
    excluded = set(served or ())
    exclude = context.seen | context.hidden | excluded
    found = [
        *coengagement.candidates(context, model, limit=PER_SOURCE, exclude=exclude),
        *following.candidates(context, limit=PER_SOURCE // 2, exclude=exclude),
        *hashtags.candidates(context, limit=PER_SOURCE // 2, exclude=exclude),
        *sounds.candidates(context, limit=PER_SOURCE // 2, exclude=exclude),
    ]
    warm({candidate.video_id for candidate in found})
    state = ViewerState(
        profile=replace(profile, viewer=None),
        candidates=found,
        version=model.version if model else None,
        at=time.time(),
        excluded=excluded,
    )
    store().set(_key(viewer.pk), state, TTL_S)
    return state


def load(viewer: User, *, served: list[str]) -> tuple[ViewerContext, list[Candidate]]:
    """The viewer's context (short term folded in) and precomputed personal candidates."""
    state = store().get(_key(viewer.pk))
    if not isinstance(state, ViewerState):
        state = compute(viewer)
    context = with_short_term(replace(state.profile, viewer=viewer))
    exclude = context.seen | context.hidden | set(served)
    left = [c for c in state.candidates if c.video_id not in exclude]
    model = trained.load_current()
    if (
        len(left) < LOW_WATER
        or time.time() - state.at > STALE_S
        or state.version != (model.version if model else None)
    ):
        _refresh_from_request(viewer.pk, set(served))
    return context, left


def _refresh_from_request(user_id, served: set[str]) -> None:
    # Inline mode (tests, one-shot tools) refreshes where events are recorded only:
    # a page must not do the background's work in its own request.
    if getattr(settings, "CLIPDECK_FEED_REFRESH", "background") != "inline":
        refresh_behind(user_id, served=served, changed=False)


def forget(user_id) -> None:
    """Drop the viewer's state: their next page computes it afresh (after a reset)."""
    store().delete(_key(user_id))
    page_queue.touch(user_id)


def erase(user_id) -> None:
    """Delete the viewer's state (erasure; ``forget`` also stamps the viewer anew)."""
    store().delete(_key(user_id))


def refresh_behind(user_id, *, served: set[str] | None = None, changed: bool = True) -> None:
    """Recompute the viewer's state in the background once the current transaction commits.

    ``changed`` (events, follows): the pages ranked ahead for the viewer are
    dropped at once, so the next page is ranked on what just happened.
    """
    if changed:
        page_queue.touch(user_id)
    if getattr(settings, "CLIPDECK_FEED_REFRESH", "background") == "inline":
        _refresh(user_id, served, rank=changed)  # tests, one-shot tools: now, in this transaction
        return
    job = REFRESH if changed else STATE
    transaction.on_commit(lambda: _submit(user_id, job, served))


def _submit(user_id, job: str, served) -> None:
    with _lock:
        if user_id in _pending:
            # once the running job ends, one more: a refresh if one was asked for meanwhile
            if _again.get(user_id, (STATE, None))[0] == STATE:
                _again[user_id] = (job, served)
            return
        _pending.add(user_id)
    _executor.submit(_run, user_id, job, served)


def _run(user_id, job: str, served) -> None:
    try:
        _refresh(user_id, served, rank=job == REFRESH)
    except Exception:  # a failed refresh or ranking leaves the last state in place
        log.exception("the feed's %s for viewer %s failed", job, user_id)
    finally:
        connections.close_all()  # this thread's own connections
        with _lock:
            _pending.discard(user_id)
            again = _again.pop(user_id, None)
        if again is not None:
            _submit(user_id, *again)


def _refresh(user_id, served, *, rank: bool) -> None:
    viewer = User.objects.filter(pk=user_id, is_active=True).first()
    if viewer is None:
        forget(user_id)
        return
    compute(viewer, served=served)
    if rank:  # the viewer changed: their next pages, ranked on what just happened
        from clipdeck.feed.pipeline import rank_behind  # the pipeline reads this module

        rank_behind(viewer)
