"""How much each kind of event says about a viewer's interest in a video.

One table used by the real-time profile, by training (implicit feedback
weights for ALS) and by the docs. A view counts by how much was watched; the
other kinds are fixed nudges, negative for skips and "not interested".
"""

from __future__ import annotations

from clipdeck.feed.models import EventKind

COMPLETED = 0.8  # a view watched this far counts as completed
NUDGES = {
    EventKind.IMPRESSION: 0.0,
    EventKind.REPLAY: 1.0,
    EventKind.SKIP: -0.5,
    EventKind.LIKE: 2.0,
    EventKind.COMMENT: 1.5,
    EventKind.SHARE: 3.0,
    EventKind.FOLLOW: 3.0,
    EventKind.NOT_INTERESTED: -5.0,
}
SEEN = (EventKind.IMPRESSION, EventKind.VIEW, EventKind.SKIP, EventKind.REPLAY)


def interest(kind: int, completion: float = 0.0) -> float:
    """The interest an event shows: a view by completion (loops count up to 2x)."""
    if kind == EventKind.VIEW:
        return min(completion, 2.0) - 0.3
    return NUDGES.get(EventKind(kind), 0.0)


def implicit_weight(kind: int, completion: float = 0.0) -> float:
    """The non-negative confidence an event adds to a (viewer, video) pair for ALS."""
    if kind == EventKind.VIEW:
        return min(completion, 2.0)
    return max(NUDGES.get(EventKind(kind), 0.0), 0.0)
