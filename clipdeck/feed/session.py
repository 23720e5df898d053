"""For You sessions: an opaque cursor naming a served set kept in the feed store.

The cursor is signed and names the viewer, the mode and a random key; the key
addresses the list of videos served in this session (and what was shown last),
so the feed never repeats itself within a session and has no end until the
catalogue runs out.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.core import signing

from clipdeck.feed.rerank import Previous
from clipdeck.feed.store import store
from clipdeck.kernel.errors import InvalidInput

TTL_S = 6 * 3600
SALT = "clipdeck.feed.session"


@dataclass
class FeedSession:
    key: str
    owner: str
    served: list[str] = field(default_factory=list)
    previous: Previous = field(default_factory=Previous)

    @property
    def cache_key(self) -> str:
        return f"feed:served:{self.owner}:{self.key}"


def _owner(viewer, personalized: bool) -> str:
    who = viewer.pk if viewer is not None else "anon"
    return f"{who}:{'p' if personalized else 'n'}"


def open_session(viewer, cursor: str | None, *, personalized: bool) -> FeedSession:
    """The session a cursor continues, or a new one for the first page."""
    owner = _owner(viewer, personalized)
    if not cursor:
        return FeedSession(key=secrets.token_urlsafe(12), owner=owner)
    try:
        data = signing.loads(cursor, salt=SALT)
    except signing.BadSignature:
        data = None
    if not isinstance(data, dict) or data.get("o") != owner:
        raise InvalidInput(
            "The cursor is not valid; start again from the first page.",
            code="bad_cursor",
            field="cursor",
        )
    return resume(owner, data["k"])


def resume(owner: str, key: str) -> FeedSession:
    """Session ``key`` of ``owner`` as stored (empty once it expired)."""
    session = FeedSession(key=key, owner=owner)
    stored = store().get(session.cache_key) or {}
    session.served = stored.get("served", [])
    session.previous = Previous(**stored.get("previous", {}))
    return session


def save_session(session: FeedSession, served: list[str]) -> str:
    """Record this page as served; the cursor of the next page."""
    session.served = [*session.served, *served]
    state = {"served": session.served, "previous": session.previous.__dict__}
    store().set(session.cache_key, state, TTL_S)
    return signing.dumps({"k": session.key, "o": session.owner}, salt=SALT, compress=True)
