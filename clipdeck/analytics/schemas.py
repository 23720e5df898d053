from __future__ import annotations

from datetime import date

from ninja import Schema
from pydantic import Field

from clipdeck.videos.media import media_urls


class Totals(Schema):
    views: int
    watch_time_ms: int
    avg_completion: float = Field(description="0..1: the average share of a video watched")
    likes: int
    comments: int
    shares: int
    new_followers: int


class Day(Totals):
    day: date


class TrafficSources(Schema):
    for_you: int
    following: int
    profile: int
    search: int
    hashtag: int
    sound: int
    share_link: int


class TopVideo(Schema):
    id: str
    caption: str
    poster: str | None
    views: int
    watch_time_ms: int
    avg_completion: float

    @staticmethod
    def resolve_id(obj: dict) -> str:
        return str(obj["video"].pk)

    @staticmethod
    def resolve_caption(obj: dict) -> str:
        return obj["video"].caption

    @staticmethod
    def resolve_poster(obj: dict) -> str | None:
        video = obj["video"]
        return media_urls(video, video.author_id)["poster"]


class RetentionPoint(Schema):
    second: int
    share: float = Field(description="share of viewers still watching at this second")


class AnalyticsOut(Schema):
    days: int
    totals: Totals
    daily: list[Day]
    traffic_sources: TrafficSources
    top_videos: list[TopVideo]


class VideoAnalyticsOut(Schema):
    days: int
    totals: Totals
    daily: list[Day]
    traffic_sources: TrafficSources
    retention: list[RetentionPoint]
