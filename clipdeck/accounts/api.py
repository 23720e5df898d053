"""Accounts API: sign-up, sign-in, own profile, other profiles and the social graph."""

from __future__ import annotations

from django.contrib.auth import logout as session_logout
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest
from ninja import File, Router, Status, UploadedFile
from ninja.pagination import paginate

from clipdeck.accounts import presenters, selectors, services
from clipdeck.accounts.models import User
from clipdeck.accounts.policies import ProfileContent, profile_access
from clipdeck.accounts.schemas import (
    AuthOut,
    FollowOut,
    FollowRequestPage,
    LoginIn,
    MeOut,
    OkOut,
    PasswordChangeIn,
    ProfilePatch,
    SignupIn,
    UserOut,
    UserPage,
)
from clipdeck.kernel import ratelimit
from clipdeck.kernel.auth import bearer_token_of, user_auth, viewer_auth, viewer_of
from clipdeck.kernel.errors import NotFound
from clipdeck.kernel.pagination import CursorPagination

router = Router(tags=["accounts"])


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


@router.post(
    "/auth/signup",
    response={201: AuthOut},
    auth=None,
    operation_id="signup",
    summary="Create an account",
)
def signup(request, payload: SignupIn):
    ratelimit.throttle("signup", user_id=None, ip=_client_ip(request))
    user = services.user_create(
        handle=payload.handle,
        email=payload.email,
        password=payload.password,
        display_name=payload.display_name,
    )
    return Status(201, {"user": presenters.me(user), "token": services.token_issue(user=user)})


@router.post(
    "/auth/login",
    response=AuthOut,
    auth=None,
    operation_id="login",
    summary="Sign in with a handle or email",
)
def login(request, payload: LoginIn):
    user = services.user_authenticate(
        login=payload.login, password=payload.password, ip=_client_ip(request), otp=payload.otp
    )
    return {"user": presenters.me(user), "token": services.token_issue(user=user)}


@router.post(
    "/auth/logout",
    response=OkOut,
    auth=user_auth,
    operation_id="logout",
    summary="End this token or browser session",
)
def logout(request):
    token = bearer_token_of(request)
    if token:
        services.token_revoke(token)
    else:
        session_logout(request)
    return {"ok": True}


@router.get(
    "/me",
    response=MeOut,
    auth=user_auth,
    operation_id="me_get",
    summary="Your own profile and settings",
)
def me_get(request):
    return presenters.me(request.auth)


@router.patch(
    "/me",
    response=MeOut,
    auth=user_auth,
    operation_id="me_update",
    summary="Change display name, bio, private account, creator controls or viewing preferences",
)
def me_update(request, payload: ProfilePatch):
    user = services.user_update_profile(user=request.auth, **payload.dict(exclude_unset=True))
    return presenters.me(user)


@router.post(
    "/me/avatar",
    response=MeOut,
    auth=user_auth,
    operation_id="me_avatar",
    summary="Upload a profile picture",
)
def me_avatar(request, file: File[UploadedFile]):
    return presenters.me(services.user_set_avatar(user=request.auth, upload=file))


@router.post(
    "/me/password",
    response=OkOut,
    auth=user_auth,
    operation_id="me_password",
    summary="Change your password (signs out every other session and API client)",
)
def me_password(request, payload: PasswordChangeIn):
    token = bearer_token_of(request)
    services.user_change_password(
        user=request.auth,
        old_password=payload.old_password,
        new_password=payload.new_password,
        keep_token=token,
        otp=payload.otp,
    )
    if not token:
        update_session_auth_hash(request, request.auth)
    return {"ok": True}


@router.get(
    "/me/follow-requests",
    response=FollowRequestPage,
    auth=user_auth,
    operation_id="follow_requests",
    summary="Pending requests to follow you",
)
@paginate(CursorPagination)
def follow_requests(request):
    return selectors.pending_follow_requests(request.auth)


def _requester(handle: str) -> User:
    user = User.objects.filter(handle__iexact=handle.lstrip("@"), is_active=True).first()
    if user is None:
        raise NotFound("There is no pending request from this account.")
    return user


@router.post(
    "/me/follow-requests/{handle}/approve",
    response=OkOut,
    auth=user_auth,
    operation_id="follow_request_approve",
    summary="Let this account follow you",
)
def follow_request_approve(request, handle: str):
    services.follow_request_decide(owner=request.auth, requester=_requester(handle), approve=True)
    return {"ok": True}


@router.post(
    "/me/follow-requests/{handle}/deny",
    response=OkOut,
    auth=user_auth,
    operation_id="follow_request_deny",
    summary="Turn down a request to follow you",
)
def follow_request_deny(request, handle: str):
    services.follow_request_decide(owner=request.auth, requester=_requester(handle), approve=False)
    return {"ok": True}


@router.get(
    "/users/{handle}",
    response=UserOut,
    auth=viewer_auth,
    operation_id="user_get",
    summary="A profile",
)
def user_get(request, handle: str):
    viewer = viewer_of(request)
    return presenters.user_profile(profile_access(viewer, handle), viewer)


@router.get(
    "/users/{handle}/followers",
    response=UserPage,
    auth=viewer_auth,
    operation_id="user_followers",
    summary="Who follows this account",
)
@paginate(CursorPagination, present=lambda follows, _: [f.follower for f in follows])
def user_followers(request, handle: str):
    return selectors.followers_of(_connections_of(request, handle), viewer_of(request))


@router.get(
    "/users/{handle}/following",
    response=UserPage,
    auth=viewer_auth,
    operation_id="user_following",
    summary="Whom this account follows",
)
@paginate(CursorPagination, present=lambda follows, _: [f.followee for f in follows])
def user_following(request, handle: str):
    return selectors.following_of(_connections_of(request, handle), viewer_of(request))


@router.post(
    "/users/{handle}/follow",
    response=FollowOut,
    auth=user_auth,
    operation_id="follow",
    summary="Follow, or ask to follow a private account",
)
def follow(request, handle: str):
    target = profile_access(request.auth, handle)
    return {"state": services.follow_create(follower=request.auth, followee=target).state}


@router.delete(
    "/users/{handle}/follow",
    response=FollowOut,
    auth=user_auth,
    operation_id="unfollow",
    summary="Unfollow or withdraw a request",
)
def unfollow(request, handle: str):
    target = profile_access(request.auth, handle)
    services.follow_delete(follower=request.auth, followee=target)
    return {"state": "none"}


@router.post(
    "/users/{handle}/block",
    response=OkOut,
    auth=user_auth,
    operation_id="block",
    summary="Block an account",
)
def block(request, handle: str):
    services.block_create(blocker=request.auth, blocked=profile_access(request.auth, handle))
    return {"ok": True}


@router.delete(
    "/users/{handle}/block",
    response=OkOut,
    auth=user_auth,
    operation_id="unblock",
    summary="Unblock an account",
)
def unblock(request, handle: str):
    services.block_delete(blocker=request.auth, blocked=profile_access(request.auth, handle))
    return {"ok": True}


def _connections_of(request, handle: str) -> User:
    """Follower lists of a private account are for its approved followers only."""
    return profile_access(viewer_of(request), handle, require_content=ProfileContent.CONNECTIONS)
