"""Turn what accounts and videos announce into notifications (written on commit by ``notify``)."""

from __future__ import annotations

from django.db.models import Q
from django.dispatch import receiver

from clipdeck.accounts.models import FollowState, User
from clipdeck.accounts.signals import follow_approved, follow_made
from clipdeck.inbox.models import NotificationType as T
from clipdeck.inbox.services import notify
from clipdeck.videos.captions import mentions_in
from clipdeck.videos.models import Comment, Video
from clipdeck.videos.signals import comment_liked, comment_made, video_liked, video_published

_REMIX_TYPES = {"duet": T.DUET, "react": T.REACT, "stitch": T.STITCH}


@receiver(video_liked, dispatch_uid="inbox.video_liked")
def on_video_liked(sender, *, user: User, video: Video, **kwargs) -> None:
    notify(video.author, T.LIKE, actor=user, video=video)


@receiver(comment_made, dispatch_uid="inbox.comment_made")
def on_comment_made(sender, *, comment: Comment, **kwargs) -> None:
    """The video's owner hears of a comment; a reply's thread owner hears of the reply."""
    video, told = comment.video, {comment.author_id}
    if comment.parent_id is not None and comment.parent.author_id not in told:
        notify(comment.parent.author, T.REPLY, actor=comment.author, video=video, comment=comment)
        told.add(comment.parent.author_id)
    if video.author_id not in told:
        notify(video.author, T.COMMENT, actor=comment.author, video=video, comment=comment)
        told.add(video.author_id)
    for person in _mentioned(comment.text, exclude=told):
        notify(person, T.MENTION, actor=comment.author, video=video, comment=comment)


@receiver(comment_liked, dispatch_uid="inbox.comment_liked")
def on_comment_liked(sender, *, comment: Comment, user: User, **kwargs) -> None:
    notify(comment.author, T.COMMENT_LIKE, actor=user, video=comment.video, comment=comment)


@receiver(video_published, dispatch_uid="inbox.video_published")
def on_video_published(sender, *, video: Video, **kwargs) -> None:
    """Mentioned accounts, and the creator of a remixed video, hear of it."""
    for person in video.mentions.exclude(pk=video.author_id):
        notify(person, T.MENTION, actor=video.author, video=video)
    kind = _REMIX_TYPES.get(video.remix_kind)
    source = video.remix_of
    if kind is not None and source is not None:
        notify(source.author, kind, actor=video.author, video=video)


@receiver(follow_made, dispatch_uid="inbox.follow_made")
def on_follow_made(sender, *, follower: User, followee: User, state: str, **kwargs) -> None:
    kind = T.FOLLOW if state == FollowState.FOLLOWING else T.FOLLOW_REQUEST
    notify(followee, kind, actor=follower)


@receiver(follow_approved, dispatch_uid="inbox.follow_approved")
def on_follow_approved(sender, *, owner: User, requester: User, **kwargs) -> None:
    notify(requester, T.FOLLOW_APPROVED, actor=owner)


def _mentioned(text: str, *, exclude: set) -> list[User]:
    handles = mentions_in(text)
    if not handles:
        return []
    named = Q()
    for handle in handles:
        named |= Q(handle__iexact=handle)
    return list(User.objects.filter(named, is_active=True).exclude(pk__in=exclude))
