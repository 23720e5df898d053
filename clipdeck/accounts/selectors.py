"""Reads for accounts: profile counts, relationships and follower lists.

Apps above accounts add their own numbers to a profile's counts (videos adds
``videos`` and ``likes``) with ``register_profile_counter``, so that accounts
imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

from clipdeck.accounts.models import Block, Follow, FollowState, User
from clipdeck.accounts.policies import can_see_videos_of

ProfileCounter = Callable[[User], dict[str, int]]
_profile_counters: list[ProfileCounter] = []


def register_profile_counter(counter: ProfileCounter) -> ProfileCounter:
    """Add ``counter``'s numbers to every profile's counts; registering twice adds it once."""
    if counter not in _profile_counters:
        _profile_counters.append(counter)
    return counter


def profile_counts(user: User, viewer: User | None) -> dict[str, int | None]:
    """A profile's numbers as ``viewer`` may see them.

    Followers and following are shown to everyone who may see the profile, as on
    other short-video platforms (a private account's lists stay hidden; only
    their sizes show). The numbers registered by other apps describe the
    account's content (``videos``, ``likes``): they are None for a viewer who
    may not see its videos (``can_see_videos_of``).
    """
    counts: dict[str, int | None] = {
        "followers": Follow.objects.filter(followee=user, state=FollowState.FOLLOWING).count(),
        "following": Follow.objects.filter(follower=user, state=FollowState.FOLLOWING).count(),
    }
    if not can_see_videos_of(viewer, user):
        return counts
    for counter in _profile_counters:
        counts.update(counter(user))
    return counts


def relationship(viewer: User | None, user: User) -> dict | None:
    """How ``viewer`` stands with ``user``; None for anonymous viewers or oneself."""
    if viewer is None or viewer.pk == user.pk:
        return None
    mine = Follow.objects.filter(follower=viewer, followee=user).values_list("state", flat=True)
    return {
        "follow": next(iter(mine), "none"),
        "follows_you": Follow.objects.filter(
            follower=user, followee=viewer, state=FollowState.FOLLOWING
        ).exists(),
        "blocked": Block.objects.filter(blocker=viewer, blocked=user).exists(),
        "can_see_videos": can_see_videos_of(viewer, user),
    }


def pending_follow_requests(owner: User) -> QuerySet[Follow]:
    """Requests to follow ``owner`` still waiting, from active accounts."""
    return Follow.objects.filter(
        followee=owner, state=FollowState.REQUESTED, follower__is_active=True
    ).select_related("follower")


def followers_of(user: User, viewer: User | None = None) -> QuerySet[Follow]:
    """Approved followers of ``user`` whose profiles ``viewer`` may open (P1–P3)."""
    return Follow.objects.filter(
        followee=user,
        state=FollowState.FOLLOWING,
        follower__in=User.objects.visible_to(viewer),
    ).select_related("follower")


def following_of(user: User, viewer: User | None = None) -> QuerySet[Follow]:
    """Accounts ``user`` follows whose profiles ``viewer`` may open (P1–P3)."""
    return Follow.objects.filter(
        follower=user,
        state=FollowState.FOLLOWING,
        followee__in=User.objects.visible_to(viewer),
    ).select_related("followee")
