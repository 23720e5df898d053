"""The one visibility policy: who may see which profile, video and comment.

Every read path (API, pages, media files, feeds, search, duet/react sources)
starts from these functions; none re-implements them. The rules:

Profiles (``profiles_visible_to``)
    P1. A deactivated account is seen by nobody.
    P2. A profile is hidden from anyone its owner has blocked.
    P3. Otherwise it is visible, to anonymous viewers too; a private account's
        profile shows its name and counts, not its videos (see V5).

Videos (``videos_visible_to``)
    V1. The author sees every video of theirs in any status (processing, draft,
        failed, published) and any visibility.
    V2. Anyone else sees only ``published`` videos of an active author.
    V3. Nobody sees the videos of someone they blocked or who blocked them.
    V4. ``private`` ("only me") videos are seen by the author alone.
    V5. ``followers`` videos, and every video of a private account, are seen by
        the author's approved followers (a pending request is not enough).
    V6. ``public`` videos of a public account are seen by everyone, anonymous
        viewers included.

Comments (``comments_visible_to``)
    C1. A comment is visible only on a video the viewer may see.
    C2. Comments by someone the viewer blocked, or who blocked the viewer, are
        hidden from the viewer.

Remix sources (``remix_source_access``)
    R1. A video can be duetted or reacted to only when the viewer may see it,
        its author allows that kind of remix, and it is published.

Sounds (``sound_access``)
    S1. Library sounds are public.
    S2. An original sound (the audio of a video) is visible to a viewer only
        while its source video is (V1–V6).

"Not allowed" and "does not exist" answer the same ``NotFound``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from clipdeck.accounts.models import Block, Follow, FollowState
from clipdeck.kernel.errors import Forbidden, NotFound
from clipdeck.videos.models import RemixKind, Sound, Video, VideoStatus, Visibility

if TYPE_CHECKING:
    from clipdeck.accounts.models import User


def _viewer(viewer) -> User | None:
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return None
    return viewer


def _blocked_either_way(viewer: User, field: str) -> Q:
    """Rows whose ``field`` (a user) is in a block with ``viewer``, either direction."""
    blocked_by_viewer = Block.objects.filter(blocker=viewer).values("blocked")
    blocking_viewer = Block.objects.filter(blocked=viewer).values("blocker")
    return Q(**{f"{field}__in": blocked_by_viewer}) | Q(**{f"{field}__in": blocking_viewer})


def profiles_visible_to(queryset: QuerySet, viewer) -> QuerySet:
    """Rules P1–P3."""
    viewer = _viewer(viewer)
    visible = queryset.filter(is_active=True)
    if viewer is None:
        return visible
    return visible.exclude(pk__in=Block.objects.filter(blocked=viewer).values("blocker"))


def videos_visible_to(queryset: QuerySet, viewer) -> QuerySet:
    """Rules V1–V6."""
    viewer = _viewer(viewer)
    for_everyone = Q(visibility=Visibility.PUBLIC, author__is_private=False)
    shown = Q(status=VideoStatus.PUBLISHED, author__is_active=True)
    if viewer is None:
        return queryset.filter(shown & for_everyone)
    followed = Follow.objects.filter(follower=viewer, state=FollowState.FOLLOWING).values(
        "followee"
    )
    for_followers = Q(visibility__in=[Visibility.PUBLIC, Visibility.FOLLOWERS], author__in=followed)
    others = shown & (for_everyone | for_followers) & ~_blocked_either_way(viewer, "author")
    return queryset.filter(Q(author=viewer) | others)


def comments_visible_to(queryset: QuerySet, viewer) -> QuerySet:
    """Rules C1–C2."""
    on_visible = queryset.filter(video__in=Video.objects.visible_to(viewer))
    viewer = _viewer(viewer)
    if viewer is None:
        return on_visible
    return on_visible.exclude(_blocked_either_way(viewer, "author"))


def can_see_videos_of(viewer, owner: User) -> bool:
    """Whether ``viewer`` may list ``owner``'s videos (V3, V5)."""
    viewer = _viewer(viewer)
    if viewer is not None and viewer.pk == owner.pk:
        return True
    if (
        viewer is not None
        and Block.objects.filter(
            Q(blocker=viewer, blocked=owner) | Q(blocker=owner, blocked=viewer)
        ).exists()
    ):
        return False
    if not owner.is_private:
        return True
    return (
        viewer is not None
        and Follow.objects.filter(
            follower=viewer, followee=owner, state=FollowState.FOLLOWING
        ).exists()
    )


def video_access(viewer, video_id) -> Video:
    """The video if ``viewer`` may see it, else NotFound (same for missing)."""
    try:
        return Video.objects.visible_to(viewer).select_related("author", "sound").get(pk=video_id)
    except (Video.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound("This video does not exist or is not available.") from None


def profile_access(viewer, handle: str) -> User:
    """The profile if ``viewer`` may open it, else NotFound (same for missing)."""
    from clipdeck.accounts.models import User

    user = User.objects.visible_to(viewer).filter(handle__iexact=(handle or "").lstrip("@"))
    found = user.first()
    if found is None:
        raise NotFound("This account does not exist or is not available.")
    return found


def remix_source_access(viewer, video_id, kind: RemixKind) -> Video:
    """The video ``viewer`` wants to duet or react to, if rule R1 allows it."""
    source = video_access(viewer, video_id)
    if source.status != VideoStatus.PUBLISHED:
        raise NotFound("This video does not exist or is not available.")
    allowed = source.allow_duet if kind == RemixKind.DUET else source.allow_react
    if not allowed:
        raise Forbidden(
            f"@{source.author.handle} does not allow {kind.label.lower()}s of this video.",
            code=f"{kind.value}_not_allowed",
        )
    return source


def sound_access(viewer, sound_id) -> Sound:
    """The sound if rules S1–S2 let ``viewer`` hear it, else NotFound."""
    sound = Sound.objects.select_related("created_by").filter(pk=sound_id).first()
    if sound is not None and sound.is_original:
        source = Video.objects.visible_to(viewer).filter(pk=sound.source_video_id)
        sound = sound if sound.source_video_id and source.exists() else None
    if sound is None:
        raise NotFound("This sound does not exist or is not available.")
    return sound


__all__ = [
    "can_see_videos_of",
    "comments_visible_to",
    "profile_access",
    "profiles_visible_to",
    "remix_source_access",
    "sound_access",
    "video_access",
    "videos_visible_to",
]
