"""The feed's personal data: declarations, export of events and their pruning."""

from __future__ import annotations

from datetime import datetime

from clipdeck.feed import page_queue, realtime, viewer_state
from clipdeck.feed.models import Event, FeedControl, VideoStats
from clipdeck.kernel.personal_data import DataClass, Retention, declare, iso, register

PROT, INT = DataClass.PROTECTED, DataClass.INTERNAL

declare(
    Event,
    {
        "id": (INT, "Internal key.", Retention.EVENTS),
        "user": (PROT, "Whose activity: personalises their For You feed.", Retention.EVENTS),
        "video": (PROT, "Which video: recommendations and not showing it again.", Retention.EVENTS),
        "kind": (PROT, "What happened (view, skip, like, not interested…).", Retention.EVENTS),
        "watched_ms": (PROT, "How long it was watched: ranking and training.", Retention.EVENTS),
        "completion_pm": (PROT, "Share of the video watched: ranking.", Retention.EVENTS),
        "source": (
            PROT,
            "Where the view came from (For You, search…): creators' traffic-source totals.",
            Retention.EVENTS,
        ),
        "at": (PROT, "When: recency, the data window of training.", Retention.EVENTS),
    },
)
declare(
    VideoStats,
    {
        "video": (INT, "The video the counters describe.", Retention.OPERATIONAL),
        "exposures": (INT, "Audience size: exploration pools, trending.", Retention.OPERATIONAL),
        "completions": (INT, "Completion rate: exploration and ranking.", Retention.OPERATIONAL),
        "completion_sum": (INT, "Mean completion: ranking.", Retention.OPERATIONAL),
        "likes": (INT, "Like rate among the feed audience.", Retention.OPERATIONAL),
        "shares": (INT, "Share rate among the feed audience.", Retention.OPERATIONAL),
        "skips": (INT, "Skip rate: ranking.", Retention.OPERATIONAL),
        "not_interested": (INT, "How often it was hidden: ranking.", Retention.OPERATIONAL),
        "pool": (INT, "The exploration pool reached.", Retention.OPERATIONAL),
        "updated_at": (INT, "Trending (recent activity).", Retention.OPERATIONAL),
    },
)
declare(
    FeedControl,
    {
        "user": (PROT, "Whose feed controls.", Retention.ACCOUNT),
        "reset_at": (
            PROT,
            "When the viewer reset For You: older activity is not used for it.",
            Retention.ACCOUNT,
        ),
    },
)


def export(user) -> dict:
    """The user's feed events (views, skips, likes…) still kept."""
    rows = Event.objects.filter(user=user).order_by("at")
    events = [
        {
            "type": event.get_kind_display(),
            "video": str(event.video_id),
            "watched_ms": event.watched_ms,
            "completion": event.completion,
            "source": event.get_source_display(),
            "at": iso(event.at),
        }
        for event in rows.iterator()
    ]
    return {"feed_events": events}


def prune(now: datetime) -> dict[str, int]:
    """Delete events past their retention (``events_prune``)."""
    from clipdeck.feed.services import events_prune

    return {"feed_events": events_prune(now=now)}


def erase(user) -> None:
    """Delete what the feed keeps of the user outside the database, at once.

    Their events cascade with the account. The feed store holds their
    precomputed state, short-term interests, ranked queue and latest session;
    the served lists of earlier sessions (ids of videos shown) expire within
    ``session.TTL_S`` (6 hours).
    """
    viewer_state.erase(user.pk)
    realtime.erase(user.pk)
    page_queue.erase(user.pk)


register("feed", export=export, erase=erase, prune=prune, prunes=("feed.Event",))
