from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field

from clipdeck.accounts.schemas import UserBrief


class MediaOut(Schema):
    mp4: str | None
    mp4_720: str | None
    poster: str | None


class SoundOut(Schema):
    id: int
    title: str
    artist: str
    genre: str
    licence: str
    duration_ms: int
    is_original: bool
    audio: str | None
    created_by: str | None = Field(None, description="handle, for original sounds")


class SoundPage(Schema):
    items: list[SoundOut]
    next_cursor: str | None


class VideoCounts(Schema):
    likes: int
    comments: int
    shares: int
    views: int


class ViewerState(Schema):
    liked: bool
    is_owner: bool
    author_follow: str = Field(description="none, following or requested")


class RemixOut(Schema):
    id: str
    kind: str
    author: UserBrief | None


class VideoOut(Schema):
    id: str
    author: UserBrief
    caption: str
    hashtags: list[str]
    mentions: list[str]
    status: str
    error: str | None
    error_code: str | None
    visibility: str
    allow_duet: bool
    allow_react: bool
    allow_comments: bool
    duration_ms: int
    width: int
    height: int
    media: MediaOut
    sound: SoundOut | None
    remix_of: RemixOut | None
    counts: VideoCounts
    viewer: ViewerState | None
    created_at: datetime
    published_at: datetime | None


class VideoPage(Schema):
    items: list[VideoOut]
    next_cursor: str | None


class VideoPatch(Schema):
    caption: str | None = Field(None, max_length=2200)
    visibility: str | None = None
    allow_duet: bool | None = None
    allow_react: bool | None = None
    allow_comments: bool | None = None


class CommentIn(Schema):
    text: str = Field(max_length=2000)


class CommentOut(Schema):
    id: int
    author: UserBrief
    text: str
    created_at: datetime


class CommentPage(Schema):
    items: list[CommentOut]
    next_cursor: str | None


class ShareOut(Schema):
    url: str
    count: int


class LikeOut(Schema):
    liked: bool
    count: int
