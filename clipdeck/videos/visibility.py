"""The video rules of the one visibility policy: who may see which video and comment.

Every read path (API, pages, media files, feeds, search, duet/react sources)
starts from these functions; none re-implements them. They are built on the
profile rules P1–P3 of ``clipdeck.accounts.policies`` (``User.objects.visible_to``,
``profile_access``, ``can_see_videos_of``); products compose both in
``clipdeck.shop.policies``. The rules:

Videos (``Video.objects.visible_to``, ``video_access``, ``is_public``)
    V1. The author sees every video of theirs in any status (processing, draft,
        failed, published) and any visibility.
    V2. Anyone else sees only ``published`` videos of an active author.
    V3. Nobody sees the videos of someone they blocked or who blocked them.
    V4. ``private`` ("only me") videos are seen by the author alone.
    V5. ``followers`` videos, and every video of a private account, are seen by
        the author's approved followers (a pending request is not enough).
    V6. ``public`` videos of a public account are seen by everyone, anonymous
        viewers included (``is_public``: such a video's media has stable URLs).

Moderation (``ModerationState``, set by ``clipdeck.moderation``; a suspended
author counts as inactive for V2)
    V7. A ``removed`` video is seen by nobody, its author included (the author
        reads the statement of reasons instead); a reversed decision brings it
        back with its counts.
    V8. A ``restricted`` video, and one ``held`` for review (a re-upload that
        matches a removed video), is seen by its author alone, like V4.
    V9. An ``age_gated`` video is seen only by signed-in viewers (V2–V5 still
        apply) and is never for everyone (V6).

Comments (``Comment.objects.visible_to``)
    C1. A comment is visible only on a video the viewer may see.
    C2. Comments by someone the viewer blocked, or who blocked the viewer, are
        hidden from the viewer.
    C3. A comment ``removed`` by moderation is seen by nobody; one ``held`` by
        the creator's keyword filter by its writer and the video's author alone.

Remixes (``video_access(..., for_remix=kind)``, ``sound_access(..., for_use=True)``)
    R1. A video can be duetted, reacted to or stitched, and an original sound used
        ("use this sound"), only when its video is published and for everyone
        (V6: public, on a public account, of an active author), the viewer
        may see it (so neither blocked the other, V3), and its author allows
        that kind of remix. The author's own followers-only or private videos
        are no exception. A source the viewer may not see is a 404; one they
        see that is not for everyone, or whose author turned the remix off, a
        403 naming the rule.
    R2. A remix (a duet, a reaction, or a video using another video's original
        sound) whose source stops being for everyone (its visibility changes,
        its account goes private, it is deleted) or whose author and the
        remixer come to be in a block, either way, is withheld: its owner
        alone sees it, with ``withheld_reason`` saying why, like a private
        video (V4); so are the remixes of a withheld remix. Withholding is not
        undone when the source becomes public again.
    R3. A remix names its source (``remix_of``, the original sound's credit)
        only to viewers who may see that source (V1–V6).

Sounds (``sound_access``)
    S1. Library sounds are public, unless S3.
    S2. An original sound (the audio of a video) is visible to a viewer only
        while its source video is (V1–V6); its page, the list of the videos
        using it and its use in an edit follow R1.
    S3. A sound removed by moderation is heard by nobody.

Viewers are normalised with ``clipdeck.kernel.auth.as_viewer``: anonymous
callers are ``None``. "Not allowed" and "does not exist" answer the same
``NotFound``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from clipdeck.accounts.models import Follow, FollowState, User
from clipdeck.accounts.policies import blocked_either_way, not_suspended
from clipdeck.kernel.auth import as_viewer
from clipdeck.kernel.errors import Forbidden, NotFound
from clipdeck.videos.models import (
    Comment,
    CommentState,
    ModerationState,
    RemixKind,
    Sound,
    Video,
    VideoStatus,
    Visibility,
)

NO_VIDEO = "This video does not exist or is not available."
# Any queryset of videos or comments, the models' own included: the rules keep its class.
VideosT = TypeVar("VideosT", bound=QuerySet[Video])
CommentsT = TypeVar("CommentsT", bound=QuerySet[Comment])
NO_SOUND = "This sound does not exist or is not available."
SOUND_NOT_PUBLIC = "Only sounds of public videos of public accounts can be used."
_REMIX_VERB = {
    RemixKind.DUET: "duetted",
    RemixKind.REACT: "reacted to",
    RemixKind.STITCH: "stitched",
}
_REMIX_PLURAL = {RemixKind.DUET: "duets", RemixKind.REACT: "reacts", RemixKind.STITCH: "stitches"}
_REMIX_ALLOWED = {
    RemixKind.DUET: "allow_duet",
    RemixKind.REACT: "allow_react",
    RemixKind.STITCH: "allow_stitch",
}
# V2 and R2: what anybody but the author may see at all.
_SHOWN = {"status": VideoStatus.PUBLISHED, "author__is_active": True, "withheld_reason": ""}
# V2, V6, V7–V9 and R2 together: what anybody, anonymous viewers included, may see.
_FOR_EVERYONE = {
    **_SHOWN,
    "visibility": Visibility.PUBLIC,
    "author__is_private": False,
    "moderation_state": ModerationState.NONE,
}
# V7–V9: the moderation states a signed-in viewer other than the author may see.
_SHOWN_STATES = [ModerationState.NONE, ModerationState.AGE_GATED]


def _blocked_either_way(viewer: User, field: str) -> Q:
    """Rows whose ``field`` is in a block with ``viewer`` (V3, C2); see accounts.policies."""
    return blocked_either_way(viewer, field)


def is_public(video: Video) -> bool:
    """Whether everyone, anonymous viewers included, may see ``video`` (V2, V6, R2)."""
    for lookup, wanted in _FOR_EVERYONE.items():
        value = video
        for name in lookup.split("__"):
            value = getattr(value, name)
        if value != wanted:
            return False
    return not video.author.is_suspended


def videos_visible_to(queryset: VideosT, viewer: User | None) -> VideosT:
    """Rules V1–V9 and R2: the videos of ``queryset`` that ``viewer`` may see."""
    viewer = as_viewer(viewer)
    for_everyone = Q(**_FOR_EVERYONE) & not_suspended("author__")
    if viewer is None:
        return queryset.filter(for_everyone)
    shown = Q(**_SHOWN, moderation_state__in=_SHOWN_STATES) & not_suspended("author__")
    # ``shown`` already admits the states a signed-in viewer may see (V9).
    for_everyone = Q(**{k: v for k, v in _FOR_EVERYONE.items() if k != "moderation_state"})
    followed = Follow.objects.filter(follower=viewer, state=FollowState.FOLLOWING).values(
        "followee"
    )
    for_followers = Q(visibility__in=[Visibility.PUBLIC, Visibility.FOLLOWERS], author__in=followed)
    others = shown & (for_everyone | for_followers) & ~_blocked_either_way(viewer, "author")
    own = Q(author=viewer) & ~Q(moderation_state=ModerationState.REMOVED)
    return queryset.filter(own | others)


def comments_visible_to(queryset: CommentsT, viewer: User | None) -> CommentsT:
    """Rules C1–C3: the comments of ``queryset`` that ``viewer`` may read."""
    on_visible = queryset.filter(video__in=Video.objects.visible_to(viewer))
    viewer = as_viewer(viewer)
    if viewer is None:
        return on_visible.filter(state=CommentState.SHOWN)
    held_for_them = Q(state=CommentState.HELD) & (Q(author=viewer) | Q(video__author=viewer))
    on_visible = on_visible.filter(Q(state=CommentState.SHOWN) | held_for_them)
    return on_visible.exclude(_blocked_either_way(viewer, "author"))


def video_access(
    viewer: User | None,
    video_id: UUID | str,
    *,
    require_owner: bool = False,
    for_remix: RemixKind | None = None,
) -> Video:
    """The video if ``viewer`` may see it (V1–V6), else NotFound, the same as for a missing one.

    ``require_owner``: only its author gets it (editing, publishing, deleting).
    ``for_remix``: the viewer wants to duet, react to or stitch it, so rule R1 applies
    too; a video that is not for everyone, or whose author turned that remix
    off, is a 403 naming the rule.
    """
    viewer = as_viewer(viewer)
    if require_owner and viewer is None:
        raise NotFound(NO_VIDEO)
    videos = Video.objects.visible_to(viewer).select_related("author", "sound")
    if require_owner:
        videos = videos.filter(author=viewer)
    try:
        video = videos.get(pk=video_id)
    except (Video.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound(NO_VIDEO) from None
    if for_remix is not None:
        _check_remix(video, for_remix)
    return video


def _check_remix(source: Video, kind: RemixKind) -> None:
    """Rule R1 for a video the viewer may see."""
    if source.status != VideoStatus.PUBLISHED:
        raise NotFound(NO_VIDEO)
    if not is_public(source):
        raise Forbidden(
            f"Only public videos of public accounts can be {_REMIX_VERB[kind]}.",
            code="remix_not_public",
        )
    if not getattr(source, _REMIX_ALLOWED[kind]):
        raise Forbidden(
            f"@{source.author.handle} does not allow {_REMIX_PLURAL[kind]} of this video.",
            code=f"{kind.value}_not_allowed",
        )


def remix_source_access(viewer: User | None, video_id: UUID | str, kind: RemixKind) -> Video:
    """The video ``viewer`` wants to duet or react to: ``video_access(..., for_remix=kind)``."""
    return video_access(viewer, video_id, for_remix=kind)


def sound_access(viewer: User | None, sound_id: int, *, for_use: bool = False) -> Sound:
    """The sound if rules S1–S2 let ``viewer`` hear it, else NotFound.

    ``for_use``: the viewer wants its page, its videos or to use it in an edit,
    so rule R1 applies too: the original sound of a video that is not for
    everyone is a 403 naming the rule.
    """
    sound = Sound.objects.select_related("created_by").filter(pk=sound_id, removed=False).first()
    if sound is None:
        raise NotFound(NO_SOUND)
    if sound.is_original:
        _check_original_sound(viewer, sound, for_use=for_use)
    return sound


def _check_original_sound(viewer: User | None, sound: Sound, *, for_use: bool) -> None:
    """Rule S2, and R1 when the sound is to be used."""
    videos = Video.objects.visible_to(viewer).select_related("author")
    source_id = sound.source_video_id
    source = videos.filter(pk=source_id).first() if source_id is not None else None
    if source is None:
        raise NotFound(NO_SOUND)
    if for_use and not is_public(source):
        raise Forbidden(SOUND_NOT_PUBLIC, code="sound_not_public")


def visible_video_ids(viewer: User | None, ids: Iterable[UUID | None]) -> set[UUID]:
    """Which of the video ``ids`` ``viewer`` may see (V1–V6, R2), in one query (R3)."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return set()
    return set(Video.objects.visible_to(viewer).filter(pk__in=wanted).values_list("pk", flat=True))


__all__ = [
    "NO_VIDEO",
    "comments_visible_to",
    "is_public",
    "remix_source_access",
    "sound_access",
    "video_access",
    "videos_visible_to",
    "visible_video_ids",
]
