"""The ActivityPub documents this cell serves: actors, notes, collections, discovery."""

from __future__ import annotations

import html
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet

from clipdeck.federation import keys, uris
from clipdeck.federation.models import AccountMove
from clipdeck.videos.captions import hashtags_in, mentions_in
from clipdeck.videos.media import media_url
from clipdeck.videos.models import Video

CONTEXT = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"]
NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.0"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _public_key(user) -> dict:
    return {
        "id": uris.key_id_of(user),
        "owner": uris.actor(user),
        "publicKeyPem": keys.key_for(user).public_pem,
    }


def actor(user) -> dict:
    """The ``Person`` of a local account (only public fields)."""
    move = AccountMove.objects.filter(user=user).first()
    document = {
        "@context": CONTEXT,
        "id": uris.actor(user),
        "type": "Person",
        "preferredUsername": user.handle,
        "name": user.display_name or user.handle,
        "summary": html.escape(user.bio),
        "url": uris.profile(user),
        "inbox": uris.inbox(user),
        "outbox": uris.collection(user, "outbox"),
        "followers": uris.collection(user, "followers"),
        "following": uris.collection(user, "following"),
        "manuallyApprovesFollowers": user.is_private,
        "discoverable": not user.is_private,
        "published": _iso(user.created_at),
        "endpoints": {"sharedInbox": uris.shared_inbox()},
        "publicKey": _public_key(user),
    }
    if move and move.also_known_as:
        document["alsoKnownAs"] = list(move.also_known_as)
    if move and move.moved_to:
        document["movedTo"] = move.moved_to
    return document


def instance_actor() -> dict:
    """The cell's own actor: it signs fetches that no account makes."""
    return {
        "@context": CONTEXT,
        "id": uris.instance_actor(),
        "type": "Application",
        "preferredUsername": uris.host(),
        "name": "Clipdeck",
        "url": uris.base(),
        "inbox": uris.shared_inbox(),
        "outbox": f"{uris.instance_actor()}/outbox",
        "manuallyApprovesFollowers": True,
        "endpoints": {"sharedInbox": uris.shared_inbox()},
        "publicKey": _public_key(None),
    }


def webfinger(subject: str, user) -> dict:
    actor_uri = uris.actor(user)
    return {
        "subject": subject,
        "aliases": [actor_uri] + ([uris.profile(user)] if user else []),
        "links": [
            {"rel": "self", "type": "application/activity+json", "href": actor_uri},
            *(
                [
                    {
                        "rel": "http://webfinger.net/rel/profile-page",
                        "type": "text/html",
                        "href": uris.profile(user),
                    }
                ]
                if user
                else []
            ),
        ],
    }


def nodeinfo_links() -> dict:
    return {"links": [{"rel": NODEINFO_SCHEMA, "href": f"{uris.base()}/nodeinfo/2.0"}]}


def nodeinfo(*, users: int, videos: int) -> dict:
    return {
        "version": "2.0",
        "software": {"name": "clipdeck", "version": getattr(settings, "CLIPDECK_VERSION", "1")},
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": True,
        "usage": {"users": {"total": users}, "localPosts": videos},
        "metadata": {"nodeName": "Clipdeck"},
    }


def _caption_html(caption: str) -> str:
    text = html.escape(caption)
    for tag in hashtags_in(caption):
        text = text.replace(
            f"#{tag}", f'<a href="{uris.base()}/tag/{tag}" class="hashtag" rel="tag">#{tag}</a>', 1
        )
    return f"<p>{text}</p>"


def _tags(video: Video) -> list[dict]:
    tags = [
        {"type": "Hashtag", "href": f"{uris.base()}/tag/{name}", "name": f"#{name}"}
        for name in hashtags_in(video.caption)
    ]
    mentioned = {user.handle.lower(): user for user in video.mentions.all()}
    for handle in mentions_in(video.caption):
        user = mentioned.get(handle)
        if user is not None:
            tags.append({"type": "Mention", "href": _actor_of(user), "name": f"@{handle}"})
    return tags


def _actor_of(user) -> str:
    remote = getattr(user, "remote_actor", None)
    return remote.uri if remote is not None else uris.actor(user)


def _media_url(video: Video, kind: str) -> str:
    return f"{uris.base()}{media_url(video, kind, None)}"


def note(video: Video) -> dict:
    """A public video as a ``Note`` with one ``Video`` attachment (the Loops design)."""
    author = video.author
    attachment = {
        "type": "Video",
        "mediaType": "video/mp4",
        "url": _media_url(video, "mp4"),
        "name": video.caption[:1500],
        "width": video.width,
        "height": video.height,
        "duration": f"PT{video.duration_ms / 1000:.3f}S",
    }
    if video.poster:
        attachment["icon"] = {
            "type": "Image",
            "mediaType": "image/jpeg",
            "url": _media_url(video, "poster"),
        }
    return {
        "id": uris.video_object(video.pk),
        "type": "Note",
        "attributedTo": uris.actor(author),
        "content": _caption_html(video.caption),
        "url": uris.video_page(video.pk),
        "published": _iso(video.published_at),
        "to": [uris.PUBLIC],
        "cc": [uris.collection(author, "followers")],
        "sensitive": False,
        "commentsEnabled": video.allow_comments,
        "tag": _tags(video),
        "attachment": [attachment],
    }


def collection(uri: str, total: int, items: list | None = None) -> dict:
    document = {"@context": CONTEXT[0], "id": uri, "type": "OrderedCollection", "totalItems": total}
    if items is not None:
        document["orderedItems"] = items
    return document


def actor_uris(users: QuerySet) -> list[str]:
    return [_actor_of(user) for user in users.select_related("remote_actor")]
