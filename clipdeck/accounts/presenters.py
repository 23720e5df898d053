"""Turning accounts into API dictionaries."""

from __future__ import annotations

from clipdeck.accounts.models import User
from clipdeck.accounts.selectors import profile_counts, relationship
from clipdeck.accounts.services import user_email

# What ``Counts`` shows of the content numbers when the viewer may not see the videos.
HIDDEN_CONTENT_COUNTS = {"videos": None, "likes": None}


def avatar_url(user: User) -> str | None:
    """The avatar's URL, or None without one."""
    return user.avatar.url if user.avatar else None


def user_brief(user: User) -> dict:
    """The short form of an account, as ``UserBrief`` has it."""
    return {
        "handle": user.handle,
        "display_name": user.name,
        "avatar": avatar_url(user),
        "is_private": user.is_private,
    }


def user_profile(user: User, viewer: User | None) -> dict:
    """A profile as ``viewer`` sees it: counts and the relationship between the two."""
    return {
        **user_brief(user),
        "bio": user.bio,
        "counts": {**HIDDEN_CONTENT_COUNTS, **profile_counts(user, viewer)},
        "relationship": relationship(viewer, user),
    }


def me(user: User) -> dict:
    """The account holder's own profile, with the email address."""
    return {
        **user_profile(user, user),
        "email": user_email(user),
        "created_at": user.created_at,
        "comments_from": user.comments_from,
        "comment_filter_keywords": list(user.comment_filter_keywords),
        "captions_when_muted": user.captions_when_muted,
        "suspended_until": user.suspended_until if user.is_suspended else None,
    }
