"""Who may see which profile, and whose videos and connections a viewer may list.

The profile half of the one visibility policy; the video rules
(``clipdeck.videos.visibility``) and the product rules
(``clipdeck.shop.policies``) are built on it. The rules:

Profiles (``User.objects.visible_to``, ``profile_access``)
    P1. A deactivated account, or one suspended by moderation (until its
        ``suspended_until``), is seen by nobody but itself.
    P2. A profile is hidden from anyone its owner has blocked.
    P3. Otherwise it is visible, to anonymous viewers too; a private account's
        profile shows its name and counts, not its videos (see V5) nor its
        followers and following lists.

An account's content (``can_see_videos_of``, ``profile_access(...,
require_content=...)``): its owner sees it; nobody in a block with the owner,
either way, sees it (V3); a private account's content is for its approved
followers (V5); anyone else sees a public account's content.

Viewers are normalised with ``clipdeck.kernel.auth.as_viewer``: anonymous
callers are ``None``. "Not allowed" and "does not exist" answer the same
``NotFound``.
"""

from __future__ import annotations

import enum
from typing import TypeVar

from django.db.models import Q, QuerySet
from django.utils import timezone

from clipdeck.accounts.models import Block, Follow, FollowState, User
from clipdeck.kernel.auth import as_viewer
from clipdeck.kernel.errors import Forbidden, NotFound

NO_ACCOUNT = "This account does not exist or is not available."
# Any queryset of users, ``UserQuerySet`` included: the rules keep its class.
UsersT = TypeVar("UsersT", bound=QuerySet[User])


class ProfileContent(enum.Enum):
    """What of a profile ``profile_access`` must also let the viewer see; the value is the 404."""

    VIDEOS = "This account's videos are only visible to approved followers."
    CONNECTIONS = "This list is only visible to approved followers."


def blocked_either_way(viewer: User, field: str) -> Q:
    """Rows whose ``field`` (a user) is in a block with ``viewer``, either direction."""
    blocked_by_viewer = Block.objects.filter(blocker=viewer).values("blocked")
    blocking_viewer = Block.objects.filter(blocked=viewer).values("blocker")
    return Q(**{f"{field}__in": blocked_by_viewer}) | Q(**{f"{field}__in": blocking_viewer})


def not_suspended(field: str = "") -> Q:
    """Accounts (at ``field``, e.g. ``"author__"``) under no moderation suspension now (P1)."""
    return Q(**{f"{field}suspended_until__isnull": True}) | Q(
        **{f"{field}suspended_until__lte": timezone.now()}
    )


def ensure_not_suspended(user: User) -> None:
    """Refuse to let a suspended account post, comment or report (P1)."""
    if user.is_suspended:
        until = user.suspended_until.strftime("%Y-%m-%d %H:%M UTC") if user.suspended_until else ""
        raise Forbidden(
            f"Your account is suspended until {until}. See Settings → Decisions to appeal.",
            code="account_suspended",
        )


def profiles_visible_to(queryset: UsersT, viewer: User | None) -> UsersT:
    """Rules P1–P3: the accounts of ``queryset`` whose profile ``viewer`` may open."""
    viewer = as_viewer(viewer)
    visible = queryset.filter(is_active=True)
    if viewer is None:
        return visible.filter(not_suspended())
    visible = visible.filter(not_suspended() | Q(pk=viewer.pk))
    return visible.exclude(pk__in=Block.objects.filter(blocked=viewer).values("blocker"))


def can_see_videos_of(viewer: User | None, owner: User) -> bool:
    """Whether ``viewer`` may list ``owner``'s videos and connections (V3, V5)."""
    viewer = as_viewer(viewer)
    if viewer is not None and viewer.pk == owner.pk:
        return True
    if viewer is not None and _in_a_block(viewer, owner):
        return False
    if not owner.is_private:
        return True
    return viewer is not None and _approved_follower(viewer, owner)


def profile_access(
    viewer: User | None, handle: str, *, require_content: ProfileContent | None = None
) -> User:
    """The account ``@handle`` if ``viewer`` may open its profile, else NotFound.

    With ``require_content``, the viewer must also be allowed to see that
    content of the account (``can_see_videos_of``); otherwise the 404 names it.
    Missing and not allowed answer the same NotFound.
    """
    found = User.objects.visible_to(viewer).filter(handle__iexact=(handle or "").lstrip("@"))
    owner = found.first()
    if owner is None:
        raise NotFound(NO_ACCOUNT)
    if require_content is not None and not can_see_videos_of(viewer, owner):
        raise NotFound(require_content.value)
    return owner


def _in_a_block(viewer: User, owner: User) -> bool:
    either_way = Q(blocker=viewer, blocked=owner) | Q(blocker=owner, blocked=viewer)
    return Block.objects.filter(either_way).exists()


def _approved_follower(viewer: User, owner: User) -> bool:
    return Follow.objects.filter(
        follower=viewer, followee=owner, state=FollowState.FOLLOWING
    ).exists()


__all__ = [
    "NO_ACCOUNT",
    "ProfileContent",
    "blocked_either_way",
    "can_see_videos_of",
    "ensure_not_suspended",
    "not_suspended",
    "profile_access",
    "profiles_visible_to",
]
