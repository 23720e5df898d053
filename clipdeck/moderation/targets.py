"""What can be reported and acted on: videos, comments, accounts, products and sounds.

A reporter reaches a target only through the visibility policy (something they
may not see answers 404, as everywhere). A moderator loads it as it is, whatever
its state, and :func:`apply` / :func:`undo` change the state that the read paths
obey; nothing is deleted, so an undone decision restores the item as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError

from clipdeck.accounts.models import User
from clipdeck.accounts.policies import profile_access
from clipdeck.accounts.services import account_suspend
from clipdeck.kernel.errors import InvalidInput, NotFound
from clipdeck.moderation.models import Action, TargetType
from clipdeck.shop.models import Product
from clipdeck.shop.policies import product_access
from clipdeck.videos.enforcement import comment_moderate, sound_moderate, video_moderate
from clipdeck.videos.models import Comment, CommentState, ModerationState, Sound, Video
from clipdeck.videos.visibility import is_public, sound_access, video_access

NOT_FOUND = "This item does not exist or is not available."

# Which actions fit which kind of target; suspension and warnings concern the owner.
ACTIONS: dict[str, tuple[str, ...]] = {
    TargetType.VIDEO: ("dismiss", "remove", "restrict", "age_gate", "suspend", "warn"),
    TargetType.COMMENT: ("dismiss", "remove", "suspend", "warn"),
    TargetType.USER: ("dismiss", "suspend", "warn"),
    TargetType.PRODUCT: ("dismiss", "remove", "suspend", "warn"),
    TargetType.SOUND: ("dismiss", "remove", "suspend", "warn"),
}
_VIDEO_STATE = {
    Action.REMOVE: ModerationState.REMOVED,
    Action.RESTRICT: ModerationState.RESTRICTED,
    Action.AGE_GATE: ModerationState.AGE_GATED,
}


@dataclass(frozen=True)
class Target:
    type: str
    obj: Any
    owner: User | None

    @property
    def id(self) -> str:
        return self.obj.handle if self.type == TargetType.USER else str(self.obj.pk)

    @property
    def summary(self) -> str:
        """A short description of the item for the statement of reasons and the queue."""
        text = {
            TargetType.VIDEO: lambda o: f"Video “{o.caption[:100]}”" if o.caption else "Video",
            TargetType.COMMENT: lambda o: f"Comment “{o.text[:100]}”",
            TargetType.USER: lambda o: f"Account @{o.handle}",
            TargetType.PRODUCT: lambda o: f"Product “{o.title[:100]}”",
            TargetType.SOUND: lambda o: f"Sound “{o.title[:100]}”",
        }[self.type](self.obj)
        return text[:200]

    @property
    def is_public(self) -> bool:
        """Whether anybody may see the item now (then reading it needs no gateway)."""
        obj = self.obj
        if self.type == TargetType.VIDEO:
            return is_public(obj)
        if self.type == TargetType.COMMENT:
            return obj.state == CommentState.SHOWN and is_public(obj.video)
        if self.type == TargetType.USER:
            return obj.is_active and not obj.is_suspended
        if self.type == TargetType.PRODUCT:
            return not obj.removed and obj.published
        return not obj.removed


def _owner(kind: str, obj: Any) -> User | None:
    if kind == TargetType.USER:
        return obj
    if kind == TargetType.PRODUCT:
        return obj.merchant.user
    if kind == TargetType.SOUND:
        return obj.created_by
    return obj.author


def reportable(viewer: User | None, kind: str, target_id: str) -> Target:
    """The item ``viewer`` reports, if they may see it; NotFound otherwise."""
    if kind not in TargetType.values:
        raise InvalidInput(
            "target.type is one of: video, comment, user, product, sound.",
            code="invalid_target",
            field="target",
        )
    obj: Any
    if kind == TargetType.VIDEO:
        obj = video_access(viewer, target_id)
    elif kind == TargetType.COMMENT:
        obj = _visible_comment(viewer, target_id)
    elif kind == TargetType.USER:
        obj = profile_access(viewer, target_id)
    elif kind == TargetType.PRODUCT:
        obj = product_access(viewer, target_id, for_sale=True)
    else:
        obj = sound_access(viewer, _int(target_id))
    return Target(kind, obj, _owner(kind, obj))


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(NOT_FOUND) from None


def _visible_comment(viewer: User | None, comment_id: str) -> Comment:
    found = Comment.objects.visible_to(viewer).select_related("author", "video__author")
    comment = found.filter(pk=_int(comment_id)).first()
    if comment is None:
        raise NotFound(NOT_FOUND)
    return comment


def _rows(kind: str):
    return {
        TargetType.VIDEO: Video.objects.select_related("author"),
        TargetType.COMMENT: Comment.objects.select_related("author", "video__author"),
        TargetType.USER: User.objects.all(),
        TargetType.PRODUCT: Product.objects.select_related("merchant__user"),
        TargetType.SOUND: Sound.objects.select_related("created_by"),
    }[TargetType(kind)]


def load(kind: str, target_id: str) -> Target | None:
    """The item as it is, whatever its state, for a moderator; None once deleted."""
    if kind == TargetType.USER:
        obj = _rows(kind).filter(handle__iexact=target_id).first()
    else:
        try:
            obj = _rows(kind).filter(pk=target_id).first()
        except (ValueError, ValidationError):
            obj = None
    return Target(kind, obj, _owner(kind, obj)) if obj is not None else None


def load_many(keys: list[tuple[str, str]]) -> dict[tuple[str, str], Target]:
    """Several items at once (a page of the queue): one query per kind of item."""
    found: dict[tuple[str, str], Target] = {}
    for kind in {k for k, _ in keys}:
        ids = [i for k, i in keys if k == kind]
        if kind == TargetType.USER:
            rows = _rows(kind).filter(handle__in=ids)
            pairs = [(row.handle, row) for row in rows]
        else:
            pairs = [(str(row.pk), row) for row in _rows(kind).filter(pk__in=ids)]
        found.update({(kind, key): Target(kind, row, _owner(kind, row)) for key, row in pairs})
    return found


def check_action(kind: str, action: str) -> None:
    """Refuse an action that does not fit the kind of item, naming those that do."""
    allowed = ACTIONS[kind]
    if action not in allowed:
        raise InvalidInput(
            f"A {kind} can be: {', '.join(allowed)}.", code="invalid_action", field="action"
        )


def apply(target: Target, action: str, *, suspended_until: datetime | None) -> None:
    """Carry out ``action`` on the item (or, to suspend, on its owner)."""
    obj = target.obj
    if action == Action.SUSPEND and target.owner is not None:
        account_suspend(user=target.owner, until=suspended_until)
    elif target.type == TargetType.VIDEO and action in _VIDEO_STATE:
        video_moderate(video=obj, state=_VIDEO_STATE[Action(action)])
    elif target.type == TargetType.VIDEO and obj.moderation_state == ModerationState.HELD:
        video_moderate(video=obj, state=ModerationState.NONE)  # released after review
    elif action == Action.REMOVE:
        _set_removed(target, removed=True)


def undo(target: Target, action: str, *, suspended_until: datetime | None) -> None:
    """Reverse ``action`` (an upheld appeal): the item comes back as it was."""
    obj = target.obj
    if action == Action.SUSPEND and target.owner is not None:
        if target.owner.suspended_until == suspended_until:  # not a later suspension
            account_suspend(user=target.owner, until=None)
    elif target.type == TargetType.VIDEO and action in _VIDEO_STATE:
        video_moderate(video=obj, state=ModerationState.NONE)
    elif action == Action.REMOVE:
        _set_removed(target, removed=False)


def _set_removed(target: Target, *, removed: bool) -> None:
    if target.type == TargetType.COMMENT:
        comment_moderate(comment=target.obj, removed=removed)
    elif target.type == TargetType.SOUND:
        sound_moderate(sound=target.obj, removed=removed)
    elif target.type == TargetType.PRODUCT:
        Product.objects.filter(pk=target.obj.pk).update(removed=removed)
