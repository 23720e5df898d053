"""The URIs this cell gives its actors, objects and activities.

Actors are named by account number (``/ap/users/<id>``), so a change of
handle never breaks a follow; ``/@handle`` answers the same actor document
to an ActivityPub client.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
PUBLIC_ALIASES = frozenset({PUBLIC, "as:Public", "Public"})


def base() -> str:
    return settings.PUBLIC_URL.rstrip("/")


def host() -> str:
    """This cell's host as remote servers and ``acct:`` names see it (with a port, if any)."""
    return urlsplit(base()).netloc


def is_local(uri: str) -> bool:
    return isinstance(uri, str) and urlsplit(uri).netloc == host()


def domain_of(uri: str) -> str:
    return (urlsplit(uri or "").hostname or "").lower()


def instance_actor() -> str:
    return f"{base()}/actor"


def actor(user) -> str:
    """The actor URI of a local account (None: the instance actor)."""
    return instance_actor() if user is None else f"{base()}/ap/users/{user.pk}"


def key_id_of(user) -> str:
    return f"{actor(user)}#main-key"


def inbox(user) -> str:
    return f"{actor(user)}/inbox"


def shared_inbox() -> str:
    return f"{base()}/inbox"


def collection(user, name: str) -> str:
    return f"{actor(user)}/{name}"


def profile(user) -> str:
    return f"{base()}/@{user.handle}"


def video_object(video_id) -> str:
    return f"{base()}/ap/videos/{video_id}"


def video_page(video_id) -> str:
    return f"{base()}/v/{video_id}"


def comment_object(comment_id) -> str:
    return f"{base()}/ap/comments/{comment_id}"


def like_activity(like_id) -> str:
    return f"{base()}/ap/likes/{like_id}"


def local_user_id(uri: str) -> int | None:
    """The account number in a local actor URI, or None."""
    if not is_local(uri):
        return None
    path = urlsplit(uri).path.rstrip("/")
    prefix = "/ap/users/"
    if not path.startswith(prefix) or not path[len(prefix) :].isdigit():
        return None
    return int(path[len(prefix) :])


def local_video_id(uri: str) -> str | None:
    """The video id in a local video object URI (or its page), or None."""
    if not is_local(uri):
        return None
    path = urlsplit(uri).path.rstrip("/")
    for prefix in ("/ap/videos/", "/v/"):
        if path.startswith(prefix):
            return path[len(prefix) :]
    return None
