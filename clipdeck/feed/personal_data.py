from clipdeck.feed.models import Event, FeedControl, VideoStats
from clipdeck.kernel.personal_data import DataClass, Retention, declare

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
