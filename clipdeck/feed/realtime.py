"""Short-term interests, kept in the feed store (``store``) so that Redis can back it.

Each event updates the viewer's profile at once (creators, sounds, hashtags
and the last videos they engaged with, decaying with a half-life of an hour),
so the next page reflects it without retraining. ``reset`` forgets it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from clipdeck.feed.store import store

HALF_LIFE_S = 3600.0
KEEP = 50  # entries kept per kind of interest
RECENT = 30  # recently engaged videos kept
TTL_S = 7 * 24 * 3600


@dataclass
class ShortTerm:
    """A viewer's short-term interests: weights by creator, sound and hashtag."""

    creators: dict[str, float] = field(default_factory=dict)
    sounds: dict[str, float] = field(default_factory=dict)
    hashtags: dict[str, float] = field(default_factory=dict)
    engaged: list[str] = field(default_factory=list)  # video ids, newest first
    seen: list[str] = field(default_factory=list)  # video ids, newest first
    muted_creators: list[str] = field(default_factory=list)
    updated: float = 0.0

    def decayed(self, now: float) -> ShortTerm:
        factor = math.pow(0.5, max(now - self.updated, 0.0) / HALF_LIFE_S) if self.updated else 1
        for weights in (self.creators, self.sounds, self.hashtags):
            for key in list(weights):
                weights[key] *= factor
        self.updated = now
        return self


def _key(user_id) -> str:
    return f"feed:short:{user_id}"


def load(user_id) -> ShortTerm:
    """The viewer's short-term interests as of now (empty when there are none)."""
    raw = store().get(_key(user_id))
    state = ShortTerm(**raw) if raw else ShortTerm()
    return state.decayed(time.time())


def _bump(weights: dict[str, float], key, amount: float) -> None:
    if key is None:
        return
    weights[str(key)] = weights.get(str(key), 0.0) + amount


def _trim(weights: dict[str, float]) -> dict[str, float]:
    top = sorted(weights.items(), key=lambda kv: abs(kv[1]), reverse=True)[:KEEP]
    return {key: round(value, 4) for key, value in top if abs(value) > 0.01}


def _front(items: list[str], new: str, limit: int) -> list[str]:
    return [new, *[item for item in items if item != new]][:limit]


def apply(user_id, observations: list[tuple[dict, float]]) -> ShortTerm:
    """Fold ``(video facts, interest)`` pairs into the viewer's profile and save it.

    ``video facts`` has ``id``, ``author``, ``sound`` and ``hashtags``.
    """
    state = load(user_id)
    for video, amount in observations:
        _bump(state.creators, video["author"], amount)
        _bump(state.sounds, video["sound"], amount)
        for tag in video["hashtags"]:
            _bump(state.hashtags, tag, amount / max(len(video["hashtags"]), 1))
        state.seen = _front(state.seen, video["id"], 500)
        if amount > 0.5:
            state.engaged = _front(state.engaged, video["id"], RECENT)
        if amount <= -5:
            state.muted_creators = _front(state.muted_creators, str(video["author"]), 200)
    state.creators, state.sounds = _trim(state.creators), _trim(state.sounds)
    state.hashtags = _trim(state.hashtags)
    store().set(_key(user_id), state.__dict__, TTL_S)
    return state


def reset(user_id) -> None:
    """Forget the viewer's short-term interests (``seen`` and mutes are kept)."""
    state = load(user_id)
    kept = ShortTerm(seen=state.seen, muted_creators=state.muted_creators)
    store().set(_key(user_id), kept.__dict__, TTL_S)


def erase(user_id) -> None:
    """Delete the viewer's short-term state, what they saw and muted included (erasure)."""
    store().delete(_key(user_id))
