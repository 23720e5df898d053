from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from clipdeck.accounts.schemas import UserBrief
from clipdeck.inbox.presenters import link, sentence
from clipdeck.videos.media import media_urls

NotificationTypeName = Literal[
    "like",
    "comment",
    "reply",
    "mention",
    "follow",
    "follow_request",
    "follow_approved",
    "duet",
    "react",
    "stitch",
    "comment_like",
    "order",
    "moderation",
    "captions",
]


class NotifiedVideo(Schema):
    id: str
    poster: str | None


class NotifiedComment(Schema):
    id: int
    text: str


class NotificationOut(Schema):
    id: int
    type: NotificationTypeName
    actor: UserBrief | None
    others: int = Field(description="how many more people did the same (grouped likes)")
    video: NotifiedVideo | None
    comment: NotifiedComment | None
    text: str = Field(description="what happened, as a sentence")
    url: str = Field(description="where it leads in the web app")
    data: dict
    created_at: datetime
    read: bool

    @staticmethod
    def resolve_others(obj) -> int:
        return max(obj.count - 1, 0)

    @staticmethod
    def resolve_video(obj) -> dict | None:
        if obj.video is None:
            return None
        poster = media_urls(obj.video, obj.recipient_id)["poster"]
        return {"id": str(obj.video_id), "poster": poster}

    @staticmethod
    def resolve_text(obj) -> str:
        return sentence(obj)

    @staticmethod
    def resolve_url(obj) -> str:
        return link(obj)

    @staticmethod
    def resolve_read(obj) -> bool:
        return obj.read_at is not None


class NotificationPage(Schema):
    items: list[NotificationOut]
    unread: int
    next_cursor: str | None


class UnreadOut(Schema):
    unread: int


class ReadIn(Schema):
    up_to: int = Field(description="the id of the newest notification you have seen")


class ReadOut(Schema):
    marked: int
    unread: int
