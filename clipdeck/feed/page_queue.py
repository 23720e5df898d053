"""The viewer's next pages, ranked once: a personalised page pops from them.

Building a personalised page (sources, shortlist, visibility, features, the
ranker, the re-ranker, reasons) costs far more than serving ten ids, and
without a new event the next page would rank the same shortlist again. So a
page that is built ranks ``AHEAD`` pages more, re-ranked page after page as
if served one by one (``pipeline.build_page(ahead=…)``), and keeps them here,
in the feed store, under the viewer's key. The next page (of this session or
a new one) pops from them when:

- nothing of the viewer changed since they were ranked: every recorded event
  (like, skip, view, share, "not interested", …), a follow or unfollow, and a
  reset stamp the viewer anew (``touch``), and a queue ranked under an older
  stamp is never read — so a like is reflected on the very next page;
- they are younger than ``TTL_S`` and ranked with the model now in use;
- enough of them are left for the page once what the session already served
  is dropped.

What a queue cannot know is checked on every page all the same: the page's
ids go through the visibility policy in one query (``visible_rows``: a video
turned private, removed, or an author who blocked the viewer since), and the
viewer's word and hashtag filters. Whatever fails is dropped, never served.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings

from clipdeck.feed import session
from clipdeck.feed.rerank import WINDOW, Previous
from clipdeck.feed.store import store

AHEAD = 3  # pages ranked beyond the one served (``CLIPDECK_FEED_PAGES_AHEAD``)
TTL_S = 180.0
STAMP_TTL_S = 7 * 24 * 3600
# A request popping a page and the background ranking pages behind it both
# rewrite the queue; in one process they take turns (across processes a lost
# race costs a page built in the request, never a page served twice: ``take``
# drops what the session served).
_lock = threading.Lock()


@dataclass
class Queued:
    """One ranked video waiting: what the page and the re-ranking rules need of it."""

    video_id: str
    reason: dict
    author: str
    sound: str | None
    hashtags: list[str] = field(default_factory=list)


@dataclass
class Queue:
    items: list[Queued]
    stamp: str | None
    version: str | None
    at: float
    limit: int


def pages_ahead() -> int:
    """How many pages a built page ranks ahead for the queue (0: none, every page built)."""
    return max(int(getattr(settings, "CLIPDECK_FEED_PAGES_AHEAD", AHEAD)), 0)


def _key(user_id) -> str:
    return f"feed:queue:{user_id}"


def _stamp_key(user_id) -> str:
    return f"feed:stamp:{user_id}"


def _latest_key(user_id) -> str:
    return f"feed:latest:{user_id}"


def stamp(user_id) -> str | None:
    """The viewer's current stamp: read before ranking, stored with the queue."""
    return store().get(_stamp_key(user_id))


def touch(user_id) -> None:
    """Something of the viewer changed: no queue ranked before now may be served."""
    store().set(_stamp_key(user_id), secrets.token_hex(8), STAMP_TTL_S)
    store().delete(_key(user_id))


def keep(user_id, items: list[Queued], *, stamp: str | None, version: str | None, limit: int):
    """Keep ``items`` (ranked, in serving order) for the viewer's next pages."""
    if not items:
        store().delete(_key(user_id))
        return
    queue = Queue(items=items, stamp=stamp, version=version, at=time.time(), limit=limit)
    store().set(_key(user_id), queue, int(TTL_S) + 1)


def extend(user_id, items: list[Queued], *, stamp: str | None, version: str | None, limit: int):
    """Add ``items``, ranked after what is queued, to the end of the viewer's queue.

    A queue that may no longer be served (ranked under another stamp or
    model, or gone) is replaced by ``items`` alone.
    """
    with _lock:
        queue = waiting(user_id, version=version, limit=limit)
        if queue is None or queue.stamp != stamp:
            keep(user_id, items, stamp=stamp, version=version, limit=limit)
            return
        queued = {item.video_id for item in queue.items}
        queue.items += [item for item in items if item.video_id not in queued]
        queue.at = time.time()
        store().set(_key(user_id), queue, int(TTL_S) + 1)


def remember(user_id, feed: session.FeedSession, limit: int) -> None:
    """The viewer's latest personalised session: the one pages ranked behind continue."""
    store().set(_latest_key(user_id), (feed.owner, feed.key, limit), session.TTL_S)


def latest(user_id) -> tuple[session.FeedSession, int] | None:
    """The viewer's latest personalised session as stored, and its page size."""
    found = store().get(_latest_key(user_id))
    if not isinstance(found, tuple):
        return None
    owner, key, limit = found
    return session.resume(owner, key), limit


def erase(user_id) -> None:
    """Delete the viewer's queue, stamp, latest-session pointer and that session (erasure)."""
    found = latest(user_id)
    keys = [_key(user_id), _stamp_key(user_id), _latest_key(user_id)]
    store().delete_many([*keys, *([found[0].cache_key] if found else [])])


def pop(user_id, *, version: str | None, limit: int, served: set[str], allowed):
    """The next page from the viewer's queue (None if it cannot serve one).

    ``allowed`` as for ``take``.
    """
    with _lock:
        queue = waiting(user_id, version=version, limit=limit)
        if queue is None:
            return None
        return take(user_id, queue, limit=limit, served=served, allowed=allowed)


def waiting(user_id, *, version: str | None, limit: int) -> Queue | None:
    """The viewer's queue if it may still be served from, else None."""
    found = store().get_many([_key(user_id), _stamp_key(user_id)])
    queue = found.get(_key(user_id))
    if not isinstance(queue, Queue):
        return None
    if (
        queue.stamp != found.get(_stamp_key(user_id))
        or queue.version != version
        or time.time() - queue.at > TTL_S
        or queue.limit != limit
    ):
        return None
    return queue


def take(user_id, queue: Queue, *, limit: int, served: set[str], allowed) -> list[Queued] | None:
    """The next ``limit`` queued videos ``allowed`` keeps, or None when too few are left.

    ``allowed(ids)`` is the set of those ids that may be served now (the
    visibility policy and the viewer's filters); what it refuses is dropped
    from the queue for good. The rest stays queued.
    """
    left = [item for item in queue.items if item.video_id not in served]
    if len(left) < limit:
        return None
    wanted = left[: limit + limit // 2]  # a few spare for what the check refuses
    ok = allowed([item.video_id for item in wanted])
    page = [item for item in wanted if item.video_id in ok][:limit]
    if len(page) < limit:
        return None
    taken = {item.video_id for item in page}
    refused = {item.video_id for item in wanted} - ok
    queue.items = [i for i in left if i.video_id not in taken and i.video_id not in refused]
    if queue.items:
        store().set(_key(user_id), queue, int(TTL_S) + 1)
    else:
        store().delete(_key(user_id))
    return page


def after(previous: Previous, page: list[Queued]) -> Previous:
    """What the re-ranking rules remember once ``page`` is shown after ``previous``."""
    if not page:
        return previous
    last = page[-1]
    tags = [*previous.recent_tags, *[item.hashtags for item in page]][-WINDOW:]
    return Previous(creator=last.author, sound=last.sound, recent_tags=tags)
