"""Activities this cell sends, and to whom.

Every function builds one activity from public fields only and queues it for
delivery (``clipdeck.federation.delivery``); none sends anything itself.
"""

from __future__ import annotations

import uuid

from django.utils import timezone

from clipdeck.accounts.models import Follow, FollowState
from clipdeck.federation import documents, uris
from clipdeck.federation.delivery import deliver
from clipdeck.federation.models import RemoteActor
from clipdeck.videos.models import Comment, Video

AS = "https://www.w3.org/ns/activitystreams"


def _id(user, kind: str) -> str:
    return f"{uris.actor(user)}#{kind}/{uuid.uuid4()}"


def _activity(kind: str, user, obj, **extra) -> dict:
    return {
        "@context": AS,
        "id": _id(user, kind.lower()),
        "type": kind,
        "actor": uris.actor(user),
        "object": obj,
        **extra,
    }


def remote_followers(user):
    """The remote actors following ``user`` (approved follows only)."""
    followers = Follow.objects.filter(followee=user, state=FollowState.FOLLOWING).values("follower")
    return RemoteActor.objects.filter(user__in=followers)


def follower_inboxes(user) -> list[str]:
    """One inbox per remote server (its shared inbox where it has one)."""
    return list(dict.fromkeys(actor.delivery_inbox for actor in remote_followers(user)))


# --- videos -------------------------------------------------------------------


def video_create(video: Video) -> None:
    note = documents.note(video)
    activity = _activity(
        "Create", video.author, note, to=note["to"], cc=note["cc"], published=note["published"]
    )
    activity["id"] = f"{note['id']}/activity"
    deliver(activity, signer=video.author, inboxes=follower_inboxes(video.author))


def video_update(video: Video) -> None:
    note = documents.note(video)
    note["updated"] = timezone.now().isoformat().replace("+00:00", "Z")
    activity = _activity("Update", video.author, note, to=note["to"], cc=note["cc"])
    deliver(activity, signer=video.author, inboxes=follower_inboxes(video.author))


def video_delete(video_id, author) -> None:
    tombstone = {"id": uris.video_object(video_id), "type": "Tombstone"}
    activity = _activity("Delete", author, tombstone, to=[uris.PUBLIC])
    deliver(activity, signer=author, inboxes=follower_inboxes(author))


# --- the social graph ---------------------------------------------------------


def _follow_object(follower, remote_uri: str) -> dict:
    return {
        "id": f"{uris.actor(follower)}#follows/{uuid.uuid4()}",
        "type": "Follow",
        "actor": uris.actor(follower),
        "object": remote_uri,
    }


def follow(follower, remote: RemoteActor) -> None:
    activity = {"@context": AS, **_follow_object(follower, remote.uri)}
    deliver(activity, signer=follower, inboxes=[remote.inbox])


def unfollow(follower, remote: RemoteActor) -> None:
    activity = _activity("Undo", follower, _follow_object(follower, remote.uri))
    deliver(activity, signer=follower, inboxes=[remote.inbox])


def _their_follow(owner, remote: RemoteActor, follow_id: str | None) -> dict:
    return {
        "id": follow_id or f"{remote.uri}#follows",
        "type": "Follow",
        "actor": remote.uri,
        "object": uris.actor(owner),
    }


def accept(owner, remote: RemoteActor, follow_id: str | None = None) -> None:
    activity = _activity("Accept", owner, _their_follow(owner, remote, follow_id))
    deliver(activity, signer=owner, inboxes=[remote.inbox])


def reject(owner, remote: RemoteActor, follow_id: str | None = None) -> None:
    activity = _activity("Reject", owner, _their_follow(owner, remote, follow_id))
    deliver(activity, signer=owner, inboxes=[remote.inbox])


def block(blocker, remote: RemoteActor) -> None:
    activity = _activity("Block", blocker, remote.uri)
    deliver(activity, signer=blocker, inboxes=[remote.inbox])


def unblock(blocker, remote: RemoteActor) -> None:
    inner = {
        "id": f"{uris.actor(blocker)}#blocks/{remote.pk}",
        "type": "Block",
        "actor": uris.actor(blocker),
        "object": remote.uri,
    }
    deliver(_activity("Undo", blocker, inner), signer=blocker, inboxes=[remote.inbox])


def move(user, target_uri: str) -> None:
    activity = _activity("Move", user, uris.actor(user), target=target_uri)
    deliver(activity, signer=user, inboxes=follower_inboxes(user))


# --- engagement on remote videos ------------------------------------------------


def like(user, remote: RemoteActor, object_uri: str, like_id: int) -> None:
    activity = _activity("Like", user, object_uri)
    activity["id"] = uris.like_activity(like_id)
    deliver(activity, signer=user, inboxes=[remote.inbox])


def unlike(user, remote: RemoteActor, object_uri: str, like_id: int) -> None:
    inner = {
        "id": uris.like_activity(like_id),
        "type": "Like",
        "actor": uris.actor(user),
        "object": object_uri,
    }
    deliver(_activity("Undo", user, inner), signer=user, inboxes=[remote.inbox])


def comment(comment: Comment, remote: RemoteActor, object_uri: str) -> None:
    author = comment.author
    note = {
        "id": uris.comment_object(comment.pk),
        "type": "Note",
        "attributedTo": uris.actor(author),
        "inReplyTo": object_uri,
        "content": f"<p>{documents.html.escape(comment.text)}</p>",
        "published": comment.created_at.isoformat().replace("+00:00", "Z"),
        "to": [uris.PUBLIC],
        "cc": [remote.uri],
        "tag": [{"type": "Mention", "href": remote.uri, "name": f"@{remote.acct}"}],
    }
    activity = _activity("Create", author, note, to=note["to"], cc=note["cc"])
    activity["id"] = f"{note['id']}/activity"
    deliver(activity, signer=author, inboxes=[remote.inbox])


def uncomment(comment_id: int, author, remote: RemoteActor) -> None:
    tombstone = {"id": uris.comment_object(comment_id), "type": "Tombstone"}
    deliver(
        _activity("Delete", author, tombstone, to=[uris.PUBLIC]),
        signer=author,
        inboxes=[remote.inbox],
    )


# --- reports --------------------------------------------------------------------------


def flag(*, remote: RemoteActor, object_uris: list[str], content: str = "") -> None:
    """Forward a report about ``remote`` (and some of its objects) to its server.

    Sent by the instance actor, never naming the reporter; the moderation queue
    calls this only when the reporter agreed to forward the report.
    """
    activity = {
        "@context": AS,
        "id": f"{uris.instance_actor()}#flags/{uuid.uuid4()}",
        "type": "Flag",
        "actor": uris.instance_actor(),
        "object": [remote.uri, *object_uris],
        "content": content[:1000],
    }
    deliver(activity, signer=None, inboxes=[remote.inbox])
