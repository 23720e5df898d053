"""Remote actors: discovery by WebFinger, fetching, validating and mirroring them.

Each remote actor is mirrored by a local account that cannot sign in (no
usable password, no email), so follows, blocks, likes, comments and feeds go
through the accounts and videos apps and their visibility rules unchanged.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from urllib.parse import quote, urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone

from clipdeck.accounts.models import User
from clipdeck.federation import policies, uris
from clipdeck.federation.models import RemoteActor
from clipdeck.federation.transport import TransportError, allow_loopback, signed_get_json
from clipdeck.kernel import keys
from clipdeck.kernel.errors import InvalidInput, NotFound

ACTOR_TYPES = frozenset({"Person", "Service", "Application", "Group", "Organization"})
ACCT_RE = re.compile(r"^@?([A-Za-z0-9_.~-]{1,100})@([A-Za-z0-9.-]{1,253}(?::\d{1,5})?)$")
# A cached key older than this is refetched when a signature fails (key rotation).
REFRESH_AFTER = timedelta(minutes=1)


class ActorError(Exception):
    """A remote actor could not be fetched or is not valid."""


def parse_acct(text: str) -> tuple[str, str]:
    """``(username, host)`` of ``user@host``; InvalidInput when it is not one."""
    match = ACCT_RE.match((text or "").strip().removeprefix("acct:"))
    if not match:
        raise InvalidInput(
            "Give an account as name@server, for example alice@clips.example.",
            code="invalid_account",
            field="account",
        )
    return match.group(1), match.group(2).lower()


def webfinger(acct: str) -> str:
    """The actor URI that ``acct`` (``user@host``) names, found by WebFinger."""
    username, host = parse_acct(acct)
    if policies.is_blocked(urlsplit(f"//{host}").hostname or host):
        raise NotFound(f"{username}@{host} cannot be reached from this server.")
    scheme = "http" if allow_loopback() and uris.base().startswith("http://") else "https"
    url = f"{scheme}://{host}/.well-known/webfinger?resource={quote(f'acct:{username}@{host}')}"
    try:
        document = signed_get_json(url)
    except TransportError as exc:
        raise NotFound(f"{username}@{host} could not be found: {exc}.") from None
    for link in document.get("links") or []:
        if not (isinstance(link, dict) and link.get("rel") == "self" and link.get("href")):
            continue
        if "activity+json" in str(link.get("type")) or "ld+json" in str(link.get("type")):
            return str(link["href"])
    raise NotFound(f"{username}@{host} has no ActivityPub actor.")


def _same_origin(a: str, b: str) -> bool:
    return bool(a) and bool(b) and urlsplit(a).netloc == urlsplit(b).netloc


def _validated(uri: str, document: dict) -> dict:
    """The fields of an actor document, after checking that it speaks for ``uri``."""
    if document.get("id") != uri:
        raise ActorError(f"The document at {uri} is not that actor.")
    if document.get("type") not in ACTOR_TYPES:
        raise ActorError(f"{uri} is not an actor.")
    key = document.get("publicKey") or {}
    if isinstance(key, list):
        key = key[0] if key else {}
    inbox = document.get("inbox")
    endpoints = document.get("endpoints") if isinstance(document.get("endpoints"), dict) else {}
    shared = endpoints.get("sharedInbox") or ""
    if not (isinstance(key, dict) and key.get("publicKeyPem") and key.get("owner") == uri):
        raise ActorError(f"{uri} has no public key of its own.")
    if not (isinstance(inbox, str) and _same_origin(inbox, uri)):
        raise ActorError(f"{uri} has no inbox on its own server.")
    if shared and not _same_origin(shared, uri):
        shared = ""
    username = str(document.get("preferredUsername") or "")[:100]
    if not username:
        raise ActorError(f"{uri} has no preferredUsername.")
    aliases = document.get("alsoKnownAs") or []
    return {
        "domain": uris.domain_of(uri),
        "username": username,
        "inbox": inbox,
        "shared_inbox": shared,
        "followers_url": str(document.get("followers") or "")[:500],
        "profile_url": str(document.get("url") or uri)[:500]
        if isinstance(document.get("url"), str)
        else uri,
        "key_id": str(key.get("id") or f"{uri}#main-key")[:500],
        "public_pem": key["publicKeyPem"],
        "also_known_as": [a for a in aliases if isinstance(a, str)][:20],
        "moved_to": str(document.get("movedTo") or "")[:500],
        "name": str(document.get("name") or username),
        "summary": str(document.get("summary") or ""),
    }


def _mirror_handle(username: str, uri: str) -> str:
    """A handle for the mirror account: the name, a digest of its URI, and ``.fed``."""
    digest = hashlib.sha256(uri.encode()).hexdigest()[:8]
    clean = re.sub(r"[^a-z0-9_]", "", username.lower())[:12] or "remote"
    return f"{clean}.{digest}.fed"[:24]


def _shown_name(name: str, domain: str) -> str:
    """The mirror's display name carries its origin, so feeds show where a video comes from."""
    suffix = f" · {domain}"
    return name[: 50 - len(suffix)].strip() + suffix if len(suffix) < 40 else name[:50]


def _mirror_user(fields: dict, uri: str) -> User:
    user = User(
        handle=_mirror_handle(fields["username"], uri),
        display_name=_shown_name(fields["name"], fields["domain"]),
        email="",
        email_index=f"remote:{hashlib.sha256(uri.encode()).hexdigest()[:56]}",
    )
    user.set_unusable_password()
    keys.user_key_assign(user)  # its captions and media are sealed like a local account's
    user.save()
    keys.user_key_save(user)
    return user


def _store(uri: str, fields: dict) -> RemoteActor:
    name, summary = fields.pop("name"), fields.pop("summary")
    existing = RemoteActor.objects.select_related("user").filter(uri=uri).first()
    if existing is not None:
        for field, value in fields.items():
            setattr(existing, field, value)
        existing.fetched_at = timezone.now()
        existing.save()
        shown = _shown_name(name, existing.domain)
        if existing.user.display_name != shown:
            existing.user.display_name = shown
            existing.user.save(update_fields=["display_name"])
        return existing
    try:
        with transaction.atomic():
            user = _mirror_user({**fields, "name": name, "summary": summary}, uri)
            return RemoteActor.objects.create(uri=uri, user=user, **fields)
    except IntegrityError:  # stored meanwhile by a concurrent request
        return RemoteActor.objects.select_related("user").get(uri=uri)


def fetch_actor(uri: str) -> RemoteActor:
    """Fetch (again) the actor at ``uri`` and store it; ActorError when refused or invalid."""
    if uris.is_local(uri):
        raise ActorError("That actor is on this server.")
    if policies.is_blocked(uris.domain_of(uri)):
        raise ActorError(f"{uris.domain_of(uri)} is blocked on this server.")
    try:
        document = signed_get_json(uri)
    except TransportError as exc:
        raise ActorError(str(exc)) from None
    return _store(uri, _validated(uri, document))


def actor(uri: str, *, refresh: bool = False) -> RemoteActor:
    """The stored actor at ``uri``, fetched when unknown (or when ``refresh``)."""
    known = RemoteActor.objects.select_related("user").filter(uri=uri).first()
    if known is not None and not refresh:
        return known
    return fetch_actor(uri)


def actor_for_key(key_id: str, *, refresh: bool = False) -> RemoteActor:
    """The actor owning ``key_id`` (``<actor>#main-key``)."""
    known = RemoteActor.objects.select_related("user").filter(key_id=key_id).first()
    if known is not None and not refresh:
        return known
    return actor(known.uri if known else key_id.split("#")[0], refresh=True)


def may_refresh(remote: RemoteActor) -> bool:
    """Whether a failed signature may trigger a refetch (not more than once a minute)."""
    return remote.fetched_at < timezone.now() - REFRESH_AFTER


def resolve_account(account: str) -> RemoteActor:
    """``user@host`` or an actor URI, resolved to a stored remote actor."""
    account = (account or "").strip()
    uri = account if account.startswith(("https://", "http://")) else webfinger(account)
    try:
        return actor(uri)
    except ActorError as exc:
        raise NotFound(f"{account} could not be followed: {exc}") from None
