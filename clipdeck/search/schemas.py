from __future__ import annotations

from typing import Literal

from ninja import Schema
from pydantic import Field

from clipdeck.accounts.schemas import UserBrief
from clipdeck.videos.schemas import SoundOut, VideoOut

SearchType = Literal["videos", "users", "hashtags", "sounds"]


class HashtagOut(Schema):
    name: str
    videos: int = Field(description="videos with this hashtag that you may see")


class SearchOut(Schema):
    query: str
    type: SearchType
    corrected: str | None = Field(
        description="the words actually searched, when the query had a typo (else null)"
    )
    videos: list[VideoOut] = Field(description="filled when type is videos")
    users: list[UserBrief] = Field(description="filled when type is users")
    hashtags: list[HashtagOut] = Field(description="filled when type is hashtags")
    sounds: list[SoundOut] = Field(description="filled when type is sounds")
    next_offset: int | None = Field(description="pass as offset for the next page")


class SuggestionOut(Schema):
    type: Literal["user", "hashtag", "sound"]
    text: str
    url: str


class SuggestionsOut(Schema):
    items: list[SuggestionOut]


class TrendingHashtagOut(Schema):
    name: str
    videos: int
    views: int


class DiscoverOut(Schema):
    hashtags: list[TrendingHashtagOut]
    sounds: list[SoundOut]
    creators: list[UserBrief]


class HashtagPageOut(Schema):
    name: str
    videos: int = Field(description="videos with this hashtag that you may see")
    views: int = Field(description="views of those videos")
