from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field

from clipdeck.videos.schemas import VideoOut


class ReasonOut(Schema):
    source: str = Field(
        description="the candidate source: collaborative, coengagement, ease, following, "
        "hashtags, sounds, trending, exploration or fresh"
    )
    label: str = Field(description="why, in a few words")
    factors: list[str] = Field(description="the top factors, in words")


class FeedItem(Schema):
    video: VideoOut
    reason: ReasonOut


class FeedPage(Schema):
    items: list[FeedItem]
    next_cursor: str | None


class EventIn(Schema):
    type: str = Field(
        description="impression, view, replay, skip, like, comment, share, follow or not_interested"
    )
    video: str = Field(description="the video's id")
    watched_ms: int = Field(0, ge=0, le=86_400_000, description="for views: time watched")
    at: datetime | None = Field(None, description="when it happened; default: now")
    source: str | None = Field(
        None,
        description="for views: where the video was opened (for_you, following, profile, search, "
        "hashtag, sound, share_link); creators see only totals per source",
    )


class EventsIn(Schema):
    events: list[EventIn] = Field(max_length=100)


class EventsOut(Schema):
    accepted: int
    ignored: int = Field(description="events on videos you may not see, or too old")


class ResetOut(Schema):
    reset_at: datetime
