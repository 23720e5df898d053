from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field, JsonValue

from clipdeck.accounts.schemas import FollowStateName, UserBrief
from clipdeck.kernel.auth import viewer_of
from clipdeck.videos.media import captions_url, media_urls, sound_url
from clipdeck.videos.models import Sound, Video
from clipdeck.videos.presenters import captioned_ids, source_state, viewer_state

VisibilityName = Literal["public", "followers", "private"]
VideoStatusName = Literal["processing", "draft", "published", "failed"]
RemixKindName = Literal["duet", "react", "stitch"]
WithheldReasonName = Literal["source_not_public", "source_deleted", "blocked"]
VISIBILITIES: list[JsonValue] = ["public", "followers", "private"]


def _viewer_id(context: dict) -> int | None:
    viewer = viewer_of(context["request"])
    return viewer.pk if viewer else None


def _with_sources(obj: Video, context: dict) -> Video:
    """``obj`` marked with the sources its viewer may see (``viewer_state`` does whole pages)."""
    if not hasattr(obj, "shown_remix_of"):
        source_state([obj], viewer_of(context["request"]))
    return obj


class MediaOut(Schema):
    mp4: str | None
    mp4_720: str | None
    poster: str | None
    captions: str | None = Field(
        None,
        description="the published captions as WebVTT, for a <track> (same origin; "
        "as private as the video); null when it has none",
    )


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
    allow_stitch: bool
    allow_comments: bool
    duration_ms: int
    width: int
    height: int
    media: MediaOut
    sound: SoundOut | None
    remix_of: RemixOut | None = Field(
        description="the video this remixes, when you may see it (else null)"
    )
    withheld_reason: WithheldReasonName | None = Field(
        description="why only the owner can see this remix: its source stopped being public"
    )
    withheld: str | None = Field(description="withheld_reason, as a sentence for the owner")
    counts: VideoCounts
    viewer: ViewerState | None
    created_at: datetime
    published_at: datetime | None

    @staticmethod
    def resolve_id(obj: Video) -> str:
        return str(obj.pk)

    @staticmethod
    def resolve_hashtags(obj: Video) -> list[str]:
        named = getattr(obj, "hashtag_names", None)  # read with a feed page (``page_videos``)
        return named if named is not None else [tag.name for tag in obj.hashtags.all()]

    @staticmethod
    def resolve_mentions(obj: Video) -> list[str]:
        named = getattr(obj, "mention_handles", None)
        return named if named is not None else [user.handle for user in obj.mentions.all()]

    @staticmethod
    def resolve_error(obj: Video) -> str | None:
        return obj.error_message or None

    @staticmethod
    def resolve_error_code(obj: Video) -> str | None:
        return obj.error_code or None

    @staticmethod
    def resolve_media(obj: Video, context: dict) -> dict[str, str | None]:
        if not hasattr(obj, "has_captions"):
            obj.has_captions = bool(captioned_ids([obj]))
        return {**media_urls(obj, _viewer_id(context)), "captions": captions_url(obj)}

    @staticmethod
    def resolve_sound(obj: Video, context: dict) -> Sound | None:
        """Another video's original sound only while the viewer may see that video (R3)."""
        return _with_sources(obj, context).shown_sound

    @staticmethod
    def resolve_remix_of(obj: Video, context: dict) -> dict[str, Any] | None:
        """The source only when the viewer may see it (R3)."""
        source = _with_sources(obj, context).shown_remix_of
        if not obj.remix_kind or source is None:
            return None
        return {"id": str(source.pk), "kind": obj.remix_kind, "author": source.author}

    @staticmethod
    def resolve_withheld_reason(obj: Video) -> str | None:
        return obj.withheld_reason or None

    @staticmethod
    def resolve_withheld(obj: Video) -> str | None:
        return obj.get_withheld_reason_display() if obj.withheld_reason else None

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
    allow_stitch: bool | None = None
    allow_comments: bool | None = None
    edit: dict | None = Field(
        None,
        description="a draft only: a new edit object (as on upload); the draft renders "
        "again from its original",
    )


class CommentIn(Schema):
    text: str = Field(max_length=2000)
    reply_to: int | None = Field(None, description="the id of the comment this replies to")


class CommentOut(Schema):
    id: int
    author: UserBrief
    text: str
    created_at: datetime
    held: bool = Field(
        False,
        validation_alias="is_held",
        description="waiting for the video owner's approval (only its writer and the owner see it)",
    )
    reply_to: int | None = Field(None, description="the top-level comment of a reply's thread")
    reply_count: int = 0
    like_count: int = 0
    liked: bool = Field(False, description="whether you liked this comment")
    pinned: bool = Field(False, description="pinned to the top by the video's owner")

    @staticmethod
    def resolve_reply_to(obj) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_liked(obj) -> bool:
        return bool(getattr(obj, "viewer_liked", False))

    @staticmethod
    def resolve_pinned(obj) -> bool:
        return obj.pinned_at is not None


class CommentLikeOut(Schema):
    liked: bool
    count: int


class FavoriteOut(Schema):
    saved: bool


class PinOut(Schema):
    pinned: bool


class CommentPage(Schema):
    items: list[CommentOut]
    next_cursor: str | None


class ShareOut(Schema):
    url: str
    count: int


class LikeOut(Schema):
    liked: bool
    count: int


class FiltersIn(Schema):
    keywords: list[str] = Field(default_factory=list, max_length=100)
    hashtags: list[str] = Field(default_factory=list, max_length=100)


class FiltersOut(Schema):
    keywords: list[str]
    hashtags: list[str]


class HeldCommentOut(CommentOut):
    video: str = Field(validation_alias="video_id_text")
