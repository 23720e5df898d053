"""What this cell does with an activity a remote actor sent it (already authenticated).

``handle(activity, sender)`` dispatches on the activity's type. Objects are
validated before anything is stored: an object must come from the sender's
own server, a video must carry an MP4 attachment, a reply or a like must
name a video the sender may see. Handlers are idempotent: a redelivered
activity changes nothing.
"""

from __future__ import annotations

import html
import re

from django.db import transaction

from clipdeck.accounts.models import Follow, FollowState, User
from clipdeck.accounts.services import block_create, block_delete, follow_create, follow_delete
from clipdeck.federation import outbox, policies, remote, uris
from clipdeck.federation.models import InboundFlag, ObjectLink, RemoteActor, RemoteVideo
from clipdeck.kernel.errors import DomainError
from clipdeck.videos.models import Like
from clipdeck.videos.services import comment_create, like_create, like_delete, video_delete
from clipdeck.videos.visibility import video_access

VIDEO_TYPES = {"video/mp4", "video/webm", "video/quicktime"}
_TAGS = re.compile(r"<[^>]+>")


class InvalidActivity(Exception):
    """The activity or its object is malformed or not the sender's to send."""


def _uri(value) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        raise InvalidActivity("The activity names no valid object.")
    return value


def _plain_text(content: str, limit: int) -> str:
    text = re.sub(r"<br\s*/?>|</p>\s*<p>", "\n", content or "")
    text = html.unescape(_TAGS.sub("", text)).strip()
    # Remote mentions must not link this cell's accounts of the same name.
    return re.sub(r"(?<![\w@])@", "@\u2060", text)[:limit]


def _local_user(uri: str) -> User | None:
    user_id = uris.local_user_id(uri)
    return User.objects.filter(pk=user_id, is_active=True).first() if user_id else None


def _own_object(obj, sender: RemoteActor) -> dict:
    if not isinstance(obj, dict):
        raise InvalidActivity("The object must be given in full.")
    if uris.domain_of(_uri(obj)) != sender.domain:
        raise InvalidActivity("An object must come from its sender's server.")
    return obj


def handle(activity: dict, sender: RemoteActor) -> str:
    """Apply ``activity`` from ``sender``; a word saying what was done."""
    kind = activity.get("type")
    handler = HANDLERS.get(kind if isinstance(kind, str) else "")
    if handler is None:
        return "ignored"
    with transaction.atomic():
        return handler(activity, sender)


# --- follows --------------------------------------------------------------------


def _follow(activity: dict, sender: RemoteActor) -> str:
    owner = _local_user(_uri(activity.get("object")))
    if owner is None:
        raise InvalidActivity("Follow names no account of this server.")
    follow_id = activity.get("id") if isinstance(activity.get("id"), str) else None
    try:
        follow = follow_create(follower=sender.user, followee=owner)
    except DomainError:  # blocked either way
        outbox.reject(owner, sender, follow_id)
        return "rejected"
    if policies.is_limited(sender.domain) and follow.state == FollowState.FOLLOWING:
        Follow.objects.filter(pk=follow.pk).update(state=FollowState.REQUESTED)
        follow.state = FollowState.REQUESTED
    if follow.state == FollowState.FOLLOWING:
        outbox.accept(owner, sender, follow_id)
        return "accepted"
    return "requested"


def _our_follow(activity: dict, sender: RemoteActor):
    obj = activity.get("object")
    follower_uri = obj.get("actor") if isinstance(obj, dict) else None
    follower = _local_user(follower_uri) if isinstance(follower_uri, str) else None
    query = Follow.objects.filter(followee=sender.user)
    return query.filter(follower=follower) if follower else query.none()


def _accept(activity: dict, sender: RemoteActor) -> str:
    changed = _our_follow(activity, sender).update(state=FollowState.FOLLOWING)
    return "accepted" if changed else "ignored"


def _reject(activity: dict, sender: RemoteActor) -> str:
    for follow in _our_follow(activity, sender):
        Follow.objects.filter(pk=follow.pk).delete()
    return "rejected"


def _undo(activity: dict, sender: RemoteActor) -> str:
    obj = activity.get("object")
    kind = obj.get("type") if isinstance(obj, dict) else None
    if kind == "Follow":
        owner = _local_user(_uri(obj.get("object")))
        if owner is not None:
            Follow.objects.filter(follower=sender.user, followee=owner).delete()
        return "unfollowed"
    if kind == "Like":
        video_id = uris.local_video_id(_uri(obj.get("object")))
        like = (
            Like.objects.filter(user=sender.user, video_id=video_id).select_related("video").first()
            if video_id
            else None
        )
        if like is not None:
            like_delete(user=sender.user, video=like.video)
        return "unliked"
    if kind == "Block":
        owner = _local_user(_uri(obj.get("object")))
        if owner is not None:
            block_delete(blocker=sender.user, blocked=owner)
        return "unblocked"
    return "ignored"


# --- objects --------------------------------------------------------------------


def _video_attachment(note: dict) -> dict | None:
    attachments = note.get("attachment") or []
    if isinstance(attachments, dict):
        attachments = [attachments]
    for item in attachments:
        if not isinstance(item, dict):
            continue
        url = item.get("url")
        if isinstance(url, list):
            url = next(
                (
                    u.get("href")
                    for u in url
                    if isinstance(u, dict) and u.get("mediaType") in VIDEO_TYPES
                ),
                None,
            )
        is_video = item.get("mediaType") in VIDEO_TYPES or item.get("type") == "Video"
        if is_video and isinstance(url, str) and uris.domain_of(url):
            return {**item, "url": url}
    return None


def _create(activity: dict, sender: RemoteActor) -> str:
    note = _own_object(activity.get("object"), sender)
    if note.get("type") not in {"Note", "Video"}:
        return "ignored"
    if note.get("attributedTo") not in {sender.uri, None}:
        raise InvalidActivity("A note must be attributed to its sender.")
    reply_to = note.get("inReplyTo")
    if isinstance(reply_to, str) and uris.local_video_id(reply_to):
        return _reply(note, sender, uris.local_video_id(reply_to))
    return _remote_video(note, sender)


def _reply(note: dict, sender: RemoteActor, video_id: str) -> str:
    uri = _uri(note)
    if ObjectLink.objects.filter(uri=uri).exists():
        return "duplicate"
    try:
        video = video_access(sender.user, video_id)
        if not policies.may_federate(video):
            return "ignored"
        text = _plain_text(note.get("content", ""), 500) or "…"
        comment = comment_create(author=sender.user, video=video, text=text)
    except DomainError:
        return "refused"
    ObjectLink.objects.create(uri=uri, kind=ObjectLink.Kind.COMMENT, comment=comment)
    return "commented"


def _remote_video(note: dict, sender: RemoteActor) -> str:
    attachment = _video_attachment(note)
    if attachment is None:
        return "ignored"  # not a video: Clipdeck shows videos only
    if not Follow.objects.filter(followee=sender.user, state=FollowState.FOLLOWING).exists():
        return "ignored"  # nobody here follows the sender
    public = uris.PUBLIC_ALIASES & set(_list(note.get("to")) + _list(note.get("cc")))
    if not public:
        return "ignored"  # not for everyone: Clipdeck stores public videos only
    remote_video, created = RemoteVideo.objects.get_or_create(
        uri=_uri(note),
        defaults={
            "actor": sender,
            "url": str(note.get("url") or "")[:500] if isinstance(note.get("url"), str) else "",
            "media_url": attachment["url"][:500],
            "caption": _plain_text(note.get("content", ""), 2200),
            "sensitive": bool(note.get("sensitive")),
        },
    )
    if not created:
        return "duplicate"
    from clipdeck.federation.tasks import fetch_remote_video

    transaction.on_commit(lambda: fetch_remote_video.enqueue(remote_video.pk))
    return "stored"


def _list(value) -> list:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _update(activity: dict, sender: RemoteActor) -> str:
    obj = activity.get("object")
    if isinstance(obj, dict) and obj.get("type") in remote.ACTOR_TYPES:
        if _uri(obj) == sender.uri:
            remote.fetch_actor(sender.uri)
        return "refreshed"
    note = _own_object(obj, sender)
    remote_video = (
        RemoteVideo.objects.filter(uri=_uri(note), actor=sender).select_related("video").first()
    )
    if remote_video is None:
        return "ignored"
    caption = _plain_text(note.get("content", ""), 2200)
    remote_video.caption = caption
    remote_video.sensitive = bool(note.get("sensitive"))
    remote_video.save(update_fields=["caption", "sensitive"])
    if remote_video.video is not None:
        from clipdeck.videos.services import video_update

        video_update(video=remote_video.video, caption=caption)
    return "updated"


def _delete(activity: dict, sender: RemoteActor) -> str:
    uri = _uri(activity.get("object"))
    if uris.domain_of(uri) != sender.domain:
        raise InvalidActivity("Only the sender's own objects can be deleted.")
    if uri == sender.uri:  # the account is gone: its mirror, its videos and their files too
        for remote_video in RemoteVideo.objects.filter(actor=sender).exclude(video=None):
            video_delete(video=remote_video.video)
        sender.user.delete()
        return "actor deleted"
    for remote_video in RemoteVideo.objects.filter(uri=uri, actor=sender).select_related("video"):
        if remote_video.video is not None:
            video_delete(video=remote_video.video)
        remote_video.delete()
        return "video deleted"
    link = (
        ObjectLink.objects.filter(uri=uri, comment__author=sender.user)
        .select_related("comment")
        .first()
    )
    if link is not None:
        link.comment.delete()
        return "comment deleted"
    return "ignored"


# --- engagement and moderation -------------------------------------------------------


def _like(activity: dict, sender: RemoteActor) -> str:
    video_id = uris.local_video_id(_uri(activity.get("object")))
    if video_id is None:
        return "ignored"
    try:
        video = video_access(sender.user, video_id)
    except DomainError:
        return "refused"
    if not policies.may_federate(video):
        return "refused"
    like_create(user=sender.user, video=video)
    return "liked"


def _announce(activity: dict, sender: RemoteActor) -> str:
    video_id = uris.local_video_id(_uri(activity.get("object")))
    if video_id is None:
        return "ignored"
    from clipdeck.videos.services import share_create

    try:
        video = video_access(sender.user, video_id)
    except DomainError:
        return "refused"
    if policies.may_federate(video):
        share_create(video=video, user=sender.user)
        return "shared"
    return "refused"


def _block(activity: dict, sender: RemoteActor) -> str:
    owner = _local_user(_uri(activity.get("object")))
    if owner is None:
        return "ignored"
    block_create(blocker=sender.user, blocked=owner)
    return "blocked"


def _move(activity: dict, sender: RemoteActor) -> str:
    if _uri(activity.get("object")) != sender.uri:
        raise InvalidActivity("An actor can only move itself.")
    target_uri = _uri(activity.get("target"))
    try:
        target = remote.fetch_actor(target_uri)
    except remote.ActorError as exc:
        raise InvalidActivity(f"The new account could not be fetched: {exc}") from None
    if sender.uri not in target.also_known_as:
        raise InvalidActivity("The new account does not name the old one in alsoKnownAs.")
    sender.moved_to = target.uri
    sender.save(update_fields=["moved_to"])
    moved = 0
    for follow in Follow.objects.filter(
        followee=sender.user, state=FollowState.FOLLOWING
    ).select_related("follower"):
        follower = follow.follower
        if not policies.is_local_account(follower):
            continue
        follow_delete(follower=follower, followee=sender.user)
        try:
            follow_create(follower=follower, followee=target.user)
            moved += 1
        except DomainError:
            continue
    return f"moved {moved}"


def _flag(activity: dict, sender: RemoteActor) -> str:
    """Store a remote report for the moderation queue (which reads ``InboundFlag``)."""
    objects = _list(activity.get("object"))
    account = next((u for u in map(_local_user, objects) if u), None)
    video_ids = [uris.local_video_id(o) for o in objects]
    video_id = next((v for v in video_ids if v), None)
    from clipdeck.videos.models import Video

    video = Video.objects.filter(pk=video_id).first() if video_id else None
    InboundFlag.objects.get_or_create(
        activity_uri=_uri(activity),
        defaults={
            "reporter_domain": sender.domain,
            "account": account or (video.author if video else None),
            "video": video,
            "content": str(activity.get("content") or "")[:1000],
        },
    )
    return "reported"


HANDLERS = {
    "Follow": _follow,
    "Accept": _accept,
    "Reject": _reject,
    "Undo": _undo,
    "Create": _create,
    "Update": _update,
    "Delete": _delete,
    "Like": _like,
    "Announce": _announce,
    "Block": _block,
    "Move": _move,
    "Flag": _flag,
}
