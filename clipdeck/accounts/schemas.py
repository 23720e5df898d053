from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import AliasChoices, Field

FollowStateName = Literal["none", "following", "requested"]


class SignupIn(Schema):
    handle: str = Field(max_length=64)
    email: str = Field(max_length=254)
    password: str = Field(max_length=256)
    display_name: str = Field("", max_length=50)


class LoginIn(Schema):
    login: str = Field(max_length=254, description="Handle (with or without @) or email")
    password: str = Field(max_length=256)
    otp: str | None = Field(
        None, max_length=32, description="Authenticator code or recovery code, when 2FA is on"
    )


class ProfilePatch(Schema):
    display_name: str | None = Field(None, max_length=50)
    bio: str | None = Field(None, max_length=500)
    is_private: bool | None = None
    comments_from: Literal["everyone", "followers", "nobody"] | None = Field(
        None, description="who may comment on your videos"
    )
    comment_filter_keywords: list[str] | None = Field(
        None,
        max_length=100,
        description="comments containing one of these words wait for your approval",
    )
    captions_when_muted: bool | None = Field(
        None, description="show a video's captions while it plays muted (default true)"
    )


class PasswordChangeIn(Schema):
    old_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256)
    otp: str | None = Field(None, max_length=32, description="Required when 2FA is on")


class UserBrief(Schema):
    # Reads a ``User`` (its ``name`` is the display name) or a dictionary. A
    # comment, not a docstring: a docstring would become the schema's description.
    handle: str
    display_name: str = Field(validation_alias=AliasChoices("display_name", "name"))
    avatar: str | None
    is_private: bool


class Counts(Schema):
    followers: int
    following: int
    videos: int | None = Field(
        description="published videos; null for a viewer who may not see them"
    )
    likes: int | None = Field(
        description="likes on those videos; null for a viewer who may not see the videos"
    )


class Relationship(Schema):
    follow: FollowStateName = Field(description="none, following or requested")
    follows_you: bool
    blocked: bool = Field(description="whether you blocked this account")
    can_see_videos: bool


class UserOut(UserBrief):
    bio: str
    counts: Counts
    relationship: Relationship | None = None
    created_at: datetime | None = None


class MeOut(UserOut):
    email: str
    comments_from: str = "everyone"
    comment_filter_keywords: list[str] = []
    captions_when_muted: bool = True
    suspended_until: datetime | None = None


class AuthOut(Schema):
    user: MeOut
    token: str


class FollowOut(Schema):
    state: FollowStateName = Field(description="following, requested or none")


class FollowRequestOut(Schema):
    user: UserBrief
    created_at: datetime

    @staticmethod
    def resolve_user(obj) -> object:
        return obj.follower


class FollowRequestPage(Schema):
    items: list[FollowRequestOut]
    next_cursor: str | None


class UserPage(Schema):
    items: list[UserBrief]
    next_cursor: str | None


class OkOut(Schema):
    ok: bool = True
