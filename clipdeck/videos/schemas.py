from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field, JsonValue

from clipdeck.accounts.schemas import FollowStateName, UserBrief
from clipdeck.kernel.auth import viewer_of
from clipdeck.videos.media import media_urls, sound_url
from clipdeck.videos.models import Sound, Video
from clipdeck.videos.presenters import viewer_state

VisibilityName = Literal["public", "followers", "private"]
VideoStatusName = Literal["processing", "draft", "published", "failed"]
RemixKindName = Literal["duet", "react"]
VISIBILITIES: list[JsonValue] = ["public", "followers", "private"]


def _viewer_id(context: dict) -> int | None:
    viewer = viewer_of(context["request"])
    return viewer.pk if viewer else None


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

    @staticmethod
    def resolve_audio(obj: Sound, context: dict) -> str | None:
        return sound_url(obj, _viewer_id(context))

    @staticmethod
    def resolve_created_by(obj: Sound) -> str | None:
        return obj.created_by.handle if obj.created_by else None


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
    author_follow: FollowStateName = Field(description="none, following or requested")


class RemixOut(Schema):
    id: str
    kind: RemixKindName
    author: UserBrief | None


class VideoOut(Schema):
    id: str
    author: UserBrief
    caption: str
    hashtags: list[str]
    mentions: list[str]
    status: VideoStatusName
    error: str | None
    error_code: str | None
    visibility: VisibilityName
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

    @staticmethod
    def resolve_id(obj: Video) -> str:
        return str(obj.pk)

    @staticmethod
    def resolve_hashtags(obj: Video) -> list[str]:
        return [tag.name for tag in obj.hashtags.all()]

    @staticmethod
    def resolve_mentions(obj: Video) -> list[str]:
        return [user.handle for user in obj.mentions.all()]

    @staticmethod
    def resolve_error(obj: Video) -> str | None:
        return obj.error_message or None

    @staticmethod
    def resolve_error_code(obj: Video) -> str | None:
        return obj.error_code or None

    @staticmethod
    def resolve_media(obj: Video, context: dict) -> dict[str, str | None]:
        return media_urls(obj, _viewer_id(context))

    @staticmethod
    def resolve_remix_of(obj: Video) -> dict[str, Any] | None:
        if not obj.remix_kind:
            return None
        source = obj.remix_of
        return {
            "id": str(source.pk) if source else "",
            "kind": obj.remix_kind,
            "author": source.author if source else None,
        }

    @staticmethod
    def resolve_counts(obj: Video) -> dict[str, int]:
        return {
            "likes": obj.like_count,
            "comments": obj.comment_count,
            "shares": obj.share_count,
            "views": obj.view_count,
        }

    @staticmethod
    def resolve_viewer(obj: Video, context: dict) -> dict[str, Any] | None:
        """The viewer's own state; ``viewer_state`` fills it for a whole page at once."""
        viewer = viewer_of(context["request"])
        if viewer is None:
            return None
        if not hasattr(obj, "viewer_liked"):
            viewer_state([obj], viewer)
        return {
            "liked": obj.viewer_liked,
            "is_owner": viewer.pk == obj.author_id,
            "author_follow": obj.viewer_author_follow,
        }


class VideoPage(Schema):
    items: list[VideoOut]
    next_cursor: str | None


class VideoPatch(Schema):
    caption: str | None = Field(None, max_length=2200)
    # Listed in the document; the service checks it and names the field when wrong.
    visibility: str | None = Field(None, json_schema_extra={"enum": VISIBILITIES})
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
