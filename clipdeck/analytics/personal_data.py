"""Analytics holds aggregates only: counts per video and day, no viewer."""

from __future__ import annotations

from clipdeck.analytics.models import CreatorDay, VideoDay
from clipdeck.kernel.personal_data import DataClass, Retention, declare

INT = DataClass.INTERNAL
KEPT = "Until the video or the account is deleted; identifies no viewer."

declare(
    VideoDay,
    {
        "id": (INT, "Internal key.", Retention.OPERATIONAL),
        "video": (INT, "The creator's video the counts describe.", KEPT),
        "day": (INT, "The day counted.", KEPT),
        "views": (INT, "Views that day.", KEPT),
        "watch_time_ms": (INT, "Total watch time that day.", KEPT),
        "completion_sum_pm": (INT, "Sum of completion, for the average.", KEPT),
        "likes": (INT, "Likes that day.", KEPT),
        "comments": (INT, "Comments that day.", KEPT),
        "shares": (INT, "Shares that day.", KEPT),
        "sources": (INT, "Views per traffic source (For You, search…).", KEPT),
        "retention": (INT, "Views still watching at each second.", KEPT),
    },
)
declare(
    CreatorDay,
    {
        "id": (INT, "Internal key.", Retention.OPERATIONAL),
        "creator": (INT, "The creator the count describes.", KEPT),
        "day": (INT, "The day counted.", KEPT),
        "new_followers": (INT, "New followers that day.", KEPT),
    },
)
