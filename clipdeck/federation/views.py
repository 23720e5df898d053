"""The ActivityPub endpoints: discovery, actors, collections, objects and inboxes."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from clipdeck.accounts.models import Follow, FollowState, User
from clipdeck.federation import documents, inbox, policies, signatures, uris
from clipdeck.federation.authentication import signer_of
from clipdeck.federation.models import PublishedVideo
from clipdeck.federation.signatures import SignatureError
from clipdeck.federation.transport import ACTIVITY_JSON
from clipdeck.videos.models import Video

logger = logging.getLogger(__name__)
MAX_INBOX_BYTES = 256_000
INBOX_RATE_WINDOW = 60


def activity_response(document: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(document, status=status, content_type=ACTIVITY_JSON)
    response["Vary"] = "Accept"
    return response


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _signed_fetch_refusal(request: HttpRequest) -> JsonResponse | None:
    """In signed fetch mode, a GET must be signed by an actor of a domain not blocked."""
    if not getattr(settings, "CLIPDECK_FEDERATION_SIGNED_FETCH", False):
        return None
    try:
        signer_of(request)
    except SignatureError as exc:
        return _error(401, str(exc))
    except PermissionError as exc:
        return _error(403, str(exc))
    return None


def _federating_user(user_id: int) -> User:
    user = get_object_or_404(User, pk=user_id, is_active=True)
    if not policies.is_local_account(user):
        raise Http404("No such actor.")
    return user


# --- discovery ------------------------------------------------------------------


@require_GET
def webfinger(request: HttpRequest) -> JsonResponse:
    """``acct:name@host``, or the URL of a profile or an actor, to the actor's URI."""
    resource = request.GET.get("resource", "")
    found, user = _webfinger_account(resource)
    if not found or (user is not None and not policies.is_local_account(user)):
        return _error(404, "No such account on this server.")
    response = JsonResponse(
        documents.webfinger(resource, user), content_type="application/jrd+json"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _webfinger_account(resource: str) -> tuple[bool, User | None]:
    """Whether ``resource`` names an actor here, and which (None: the instance actor)."""
    if resource.startswith(("http://", "https://")):
        if resource == uris.instance_actor():
            return True, None
        user_id = uris.local_user_id(resource)
        if user_id is not None:
            user = User.objects.filter(pk=user_id, is_active=True).first()
            return user is not None, user
        prefix = f"{uris.base()}/@"
        name, host = (
            (resource[len(prefix) :], uris.host()) if resource.startswith(prefix) else ("", "")
        )
    else:
        name, _, host = resource.removeprefix("acct:").lstrip("@").rpartition("@")
    if not name or "/" in name or host.lower() != uris.host().lower():
        return False, None
    if name.lower() == uris.host().lower():
        return True, None
    user = User.objects.filter(handle__iexact=name, is_active=True).first()
    return user is not None, user


@require_GET
def nodeinfo_links(request: HttpRequest) -> JsonResponse:
    return JsonResponse(documents.nodeinfo_links())


@require_GET
def nodeinfo(request: HttpRequest) -> JsonResponse:
    users = User.objects.filter(is_active=True, remote_actor__isnull=True).count()
    return JsonResponse(documents.nodeinfo(users=users, videos=PublishedVideo.objects.count()))


# --- actors, collections, objects ---------------------------------------------


@require_GET
def instance_actor(request: HttpRequest) -> JsonResponse:
    return activity_response(documents.instance_actor())  # never needs a signature


@require_GET
def actor(request: HttpRequest, user_id: int) -> JsonResponse:
    return actor_document(request, _federating_user(user_id))


def actor_document(request: HttpRequest, user: User) -> JsonResponse:
    """The actor of ``user`` (also answered at ``/@handle`` to ActivityPub clients)."""
    refusal = _signed_fetch_refusal(request)
    return refusal or activity_response(documents.actor(user))


@require_GET
def outbox(request: HttpRequest, user_id: int) -> JsonResponse:
    user = _federating_user(user_id)
    refusal = _signed_fetch_refusal(request)
    if refusal:
        return refusal
    ids = PublishedVideo.objects.filter(author=user).values("video_id")
    videos = Video.objects.filter(pk__in=ids).select_related("author").order_by("-published_at")
    items = [
        {
            "id": f"{uris.video_object(v.pk)}/activity",
            "type": "Create",
            "actor": uris.actor(user),
            "published": documents._iso(v.published_at),
            "to": [uris.PUBLIC],
            "object": documents.note(v),
        }
        for v in videos[:20]
        if policies.may_federate(v)
    ]
    uri = uris.collection(user, "outbox")
    return activity_response(documents.collection(uri, videos.count(), items))


def _graph(request: HttpRequest, user_id: int, name: str) -> JsonResponse:
    user = _federating_user(user_id)
    refusal = _signed_fetch_refusal(request)
    if refusal:
        return refusal
    if name == "followers":
        people = Follow.objects.filter(followee=user, state=FollowState.FOLLOWING).values(
            "follower"
        )
    else:
        people = Follow.objects.filter(follower=user, state=FollowState.FOLLOWING).values(
            "followee"
        )
    users = User.objects.filter(pk__in=people, is_active=True)
    uri = uris.collection(user, name)
    # Who follows whom is personal: only the total leaves the cell, never the list.
    return activity_response(documents.collection(uri, users.count()))


@require_GET
def followers(request: HttpRequest, user_id: int) -> JsonResponse:
    return _graph(request, user_id, "followers")


@require_GET
def following(request: HttpRequest, user_id: int) -> JsonResponse:
    return _graph(request, user_id, "following")


@require_GET
def video_object(request: HttpRequest, video_id) -> JsonResponse:
    refusal = _signed_fetch_refusal(request)
    if refusal:
        return refusal
    video = get_object_or_404(Video.objects.select_related("author"), pk=video_id)
    if not policies.may_federate(video):
        return _error(404, "No such object.")
    return activity_response({"@context": documents.CONTEXT, **documents.note(video)})


# --- inboxes --------------------------------------------------------------------


def _rate_limited(domain: str) -> bool:
    limit = getattr(settings, "CLIPDECK_FEDERATION_INBOX_PER_MINUTE", 300)
    key = f"federation:inbox:{domain}"
    cache.add(key, 0, INBOX_RATE_WINDOW)
    try:
        return cache.incr(key) > limit
    except ValueError:
        return False


def _claimed_domain(request: HttpRequest) -> str:
    try:
        return uris.domain_of(signatures.parse(request.headers.get("Signature", "")).key_id)
    except SignatureError:
        return ""


def _read_body(request: HttpRequest) -> bytes | None:
    length = request.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > MAX_INBOX_BYTES:
        return None
    body = request.body
    return None if len(body) > MAX_INBOX_BYTES else body


@csrf_exempt
@require_POST
def shared_inbox(request: HttpRequest) -> JsonResponse:
    """``POST /inbox`` and ``POST /ap/users/<id>/inbox``: a signed activity from another server."""
    body = _read_body(request)
    if body is None:
        return _error(413, f"An activity may be at most {MAX_INBOX_BYTES:,} bytes.")
    if not request.headers.get("Signature"):
        return _error(401, "Inbox deliveries must carry an HTTP signature.")
    try:
        activity = json.loads(body)
    except ValueError:
        return _error(400, "The body is not JSON.")
    if not isinstance(activity, dict):
        return _error(400, "The body must be a JSON object (an activity).")
    return _receive(request, body, activity)


def _receive(request: HttpRequest, body: bytes, activity: dict) -> JsonResponse:
    # Counted before the signature is checked: verifying can mean fetching the actor.
    if _rate_limited(_claimed_domain(request)):
        return _error(429, "Too many activities from your server; slow down.")
    try:
        sender = signer_of(request, body)
    except SignatureError as exc:
        return _error(401, str(exc))
    except PermissionError as exc:
        return _error(403, str(exc))
    actor_uri = activity.get("actor")
    actor_uri = actor_uri.get("id") if isinstance(actor_uri, dict) else actor_uri
    if actor_uri != sender.uri:
        return _error(401, "The activity's actor is not the one who signed it.")
    try:
        outcome = inbox.handle(activity, sender)
    except inbox.InvalidActivity as exc:
        return _error(400, str(exc))
    logger.info("inbox %s from %s: %s", activity.get("type"), sender.domain, outcome)
    return JsonResponse({}, status=202)


@csrf_exempt
@require_POST
def user_inbox(request: HttpRequest, user_id: int) -> JsonResponse:
    _federating_user(user_id)
    return shared_inbox(request)
