"""Writes for accounts: sign-up, sign-in, tokens, profile and the social graph.

This module is also the only place that reads or writes personal fields such
as the email address (see ``user_email``). The address is stored encrypted
with the user's data key (``clipdeck.kernel.keys``), so erasing the key
erases every copy; look-ups use the keyed blind index ``email_index``.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from clipdeck.accounts import avatars, two_factor
from clipdeck.accounts.models import ApiToken, Block, CommentsFrom, Follow, FollowState, User
from clipdeck.accounts.signals import (
    account_made_private,
    block_made,
    follow_approved,
    follow_made,
    follow_request_decided,
)
from clipdeck.accounts.validators import check_password, clean_email, clean_handle
from clipdeck.kernel import keys, ratelimit
from clipdeck.kernel.compiled_query import compile_once, db_value
from clipdeck.kernel.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    Kind,
    NotFound,
    TooManyRequests,
)
from clipdeck.kernel.hashing import email_index, keyed_hash, network_hash

TOKEN_PREFIX = "cd_"  # noqa: S105 - a prefix, not a secret
EMAIL_FIELD = "accounts.User.email"


# --- accounts -----------------------------------------------------------------


@transaction.atomic
def user_create(
    *, handle: str, email: str, password: str | None, display_name: str = "", **extra
) -> User:
    """Create an account; InvalidInput or Conflict say what to fix."""
    handle = clean_handle(handle)
    email = clean_email(email)
    if User.objects.filter(handle__iexact=handle).exists():
        raise Conflict(f"The handle @{handle} is taken.", code="handle_taken", field="handle")
    if User.objects.filter(email_index=email_index(email)).exists():
        raise Conflict(
            "An account with this email already exists; try signing in.",
            code="email_taken",
            field="email",
        )
    user = User(handle=handle, display_name=display_name[:50], **extra)
    keys.user_key_assign(user)
    _store_email(user, email)
    if password is None:
        user.set_unusable_password()
    else:
        check_new_password(password, user, email)
        user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # a concurrent sign-up won the race
        raise Conflict("That handle or email was just taken.", code="account_exists") from exc
    keys.user_key_save(user)
    return user


def _store_email(user: User, email: str) -> None:
    user.email = keys.seal_for(user, EMAIL_FIELD, email)
    user.email_index = email_index(email)


def check_new_password(password: str, user: User, email: str) -> None:
    """Password rules, comparing with the plaintext email (the row holds ciphertext)."""
    shadow = copy.copy(user)
    shadow.email = email
    check_password(password, shadow)


def user_email(user: User) -> str:
    """The account's email address (protected data), decrypted with the user's data key."""
    return keys.unseal_for(user, EMAIL_FIELD, user.email)


def user_find_by_login(login: str) -> User | None:
    """The active account named by a handle (``@`` optional) or an email."""
    login = (login or "").strip()
    if "@" in login.lstrip("@"):
        return User.objects.filter(email_index=email_index(login), is_active=True).first()
    return User.objects.filter(handle__iexact=login.lstrip("@"), is_active=True).first()


def user_authenticate(*, login: str, password: str, ip: str | None, otp: str | None = None) -> User:
    """Check credentials with failure limits that a stranger cannot turn into a lock-out.

    Failures count per account *and network* (five lock that network out of
    that account for the window), per network (across accounts), and per
    account from everywhere; past ``CLIPDECK_LOGIN_BACKOFF_AFTER`` account-wide
    failures, attempts must wait a doubling pause (at most
    ``CLIPDECK_LOGIN_BACKOFF_MAX_SECONDS``) instead of being locked out, so the
    owner on their own network still gets in. With two-factor sign-in on, a
    right password without ``otp`` answers 401 ``otp_required``; a wrong code
    (TOTP or recovery) ``invalid_otp`` and counts as a failed attempt.
    """
    window = settings.CLIPDECK_LOGIN_WINDOW_SECONDS
    user = user_find_by_login(login)
    counters = _login_counters(user, login, ip)
    if user is None:
        make_password(password)  # same work as a real check, so timing reveals nothing
    elif user.check_password(password):
        _second_factor_check(user, otp, counters.failure_keys, window=window)
        counters.succeeded(window)
        user.last_login = timezone.now()
        user.save(update_fields=["last_login", "password"])
        return user
    counters.failed(window)
    raise InvalidInput(
        "That handle or email and password do not match.",
        code="invalid_credentials",
        field="password",
        kind=Kind.UNAUTHORIZED,
    )


def user_authenticate_second_step(*, user: User, otp: str | None, ip: str | None) -> User:
    """Finish a sign-in whose password was right with the 2FA code, same limits as sign-in."""
    window = settings.CLIPDECK_LOGIN_WINDOW_SECONDS
    counters = _login_counters(user, user.handle, ip)
    _second_factor_check(user, otp or "", counters.failure_keys, window=window)
    counters.succeeded(window)
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    return user


@dataclass(frozen=True)
class LoginCounters:
    """The failure counters of one sign-in attempt (keyed hashes, never an address)."""

    pair: str  # this account from this network
    network: str  # this network, any account
    account: str  # this account, any network (drives the back-off, never a lock)

    @property
    def failure_keys(self) -> list[str]:
        return [self.pair, self.network, self.account]

    def failed(self, window: int) -> None:
        for key in self.failure_keys:
            ratelimit.record_failure(key, window=window)
        cache.set(self.account + ":last", time.time(), timeout=window)

    def succeeded(self, window: int) -> None:
        ratelimit.reset(self.pair, window=window)


def _login_counters(user: User | None, login: str, ip: str | None) -> LoginCounters:
    """The failure counters, after checking that none of them refuses this attempt."""
    window = settings.CLIPDECK_LOGIN_WINDOW_SECONDS
    # One counter per account, however it is named (handle, @handle, email);
    # unknown names get their own counter so probing them is limited too.
    account_id = f"user:{user.pk}" if user else (login or "").strip().lower().lstrip("@")
    network = network_hash(ip)
    counters = LoginCounters(
        pair="login:pair:" + keyed_hash("login", f"{account_id}|{network}"),
        network="login:net:" + network,
        account="login:acct:" + keyed_hash("login", account_id),
    )
    if (
        ratelimit.failures(counters.pair, window=window) >= settings.CLIPDECK_LOGIN_MAX_FAILURES
        or ratelimit.failures(counters.network, window=window)
        >= settings.CLIPDECK_LOGIN_MAX_FAILURES_PER_NETWORK
    ):
        wait = ratelimit.seconds_left(window)
        raise TooManyRequests(
            f"Too many failed sign-in attempts. Try again in {wait // 60 + 1} minutes.",
            code="too_many_attempts",
            retry_after=wait,
        )
    _account_backoff(counters, window)
    return counters


def _account_backoff(counters: LoginCounters, window: int) -> None:
    """Past many failures from everywhere, make each attempt wait a doubling pause."""
    failures = ratelimit.failures(counters.account, window=window)
    excess = failures - settings.CLIPDECK_LOGIN_BACKOFF_AFTER
    if excess < 0:
        return
    pause = min(2**excess, settings.CLIPDECK_LOGIN_BACKOFF_MAX_SECONDS)
    remaining = cache.get(counters.account + ":last", 0.0) + pause - time.time()
    if remaining > 0:
        wait = int(remaining) + 1
        raise TooManyRequests(
            f"Many sign-in attempts failed for this account. Try again in {wait} seconds.",
            code="too_many_attempts",
            retry_after=wait,
        )


def _second_factor_check(user: User, otp: str | None, failure_keys, *, window: int) -> None:
    if not two_factor.is_enabled(user):
        return
    if not otp:
        raise InvalidInput(
            "Enter the code from your authenticator app, or a recovery code.",
            code="otp_required",
            field="otp",
            kind=Kind.UNAUTHORIZED,
        )
    verdict = two_factor.check(user, otp)
    if verdict is not two_factor.Verdict.ACCEPTED:
        for key in failure_keys:
            ratelimit.record_failure(key, window=window)
        raise two_factor.refusal(verdict, kind=Kind.UNAUTHORIZED)


def user_update_profile(
    *,
    user: User,
    display_name: str | None = None,
    bio: str | None = None,
    is_private: bool | None = None,
    comments_from: str | None = None,
    comment_filter_keywords: list[str] | None = None,
    captions_when_muted: bool | None = None,
) -> User:
    """Change profile fields, creator controls and viewing preferences; going public
    approves every pending follow request."""
    fields = []
    if captions_when_muted is not None:
        user.captions_when_muted = captions_when_muted
        fields.append("captions_when_muted")
    if comments_from is not None:
        if comments_from not in CommentsFrom.values:
            raise InvalidInput(
                "comments_from is one of: everyone, followers, nobody.",
                code="invalid_comments_from",
                field="comments_from",
            )
        user.comments_from = comments_from
        fields.append("comments_from")
    if comment_filter_keywords is not None:
        user.comment_filter_keywords = clean_keywords(
            comment_filter_keywords, field="comment_filter_keywords"
        )
        fields.append("comment_filter_keywords")
    if display_name is not None:
        user.display_name = display_name.strip()[:50]
        fields.append("display_name")
    if bio is not None:
        if len(bio) > 160:
            raise InvalidInput("A bio is at most 160 characters.", code="bio_too_long", field="bio")
        user.bio = bio.strip()
        fields.append("bio")
    with transaction.atomic():
        if is_private is not None and is_private != user.is_private:
            user.is_private = is_private
            fields.append("is_private")
            if not is_private:
                pending = Follow.objects.filter(followee=user, state=FollowState.REQUESTED)
                requesters = list(User.objects.filter(pk__in=pending.values("follower")))
                pending.update(state=FollowState.FOLLOWING)
                for requester in requesters:
                    follow_request_decided.send(
                        sender=Follow, owner=user, requester=requester, approve=True
                    )
        if fields:
            user.save(update_fields=fields)
        if is_private and "is_private" in fields:
            account_made_private.send(sender=User, user=user)
    return user


def account_suspend(*, user: User, until: datetime | None) -> User:
    """Suspend ``user`` until ``until`` (rule P1), or lift the suspension with None."""
    user.suspended_until = until
    user.save(update_fields=["suspended_until"])
    return user


MAX_KEYWORDS = 100
MAX_KEYWORD_LENGTH = 50


def clean_keywords(words: list[str], *, field: str) -> list[str]:
    """Keywords as a filter keeps them: trimmed, lower-case, unique, in order."""
    if len(words) > MAX_KEYWORDS:
        raise InvalidInput(
            f"At most {MAX_KEYWORDS} keywords.", code="too_many_keywords", field=field
        )
    cleaned: list[str] = []
    for word in words:
        word = (word or "").strip().lower()
        if len(word) > MAX_KEYWORD_LENGTH:
            raise InvalidInput(
                f"A keyword is at most {MAX_KEYWORD_LENGTH} characters.",
                code="keyword_too_long",
                field=field,
            )
        if word and word not in cleaned:
            cleaned.append(word)
    return cleaned


def user_set_avatar(*, user: User, upload) -> User:
    """Store a square JPEG avatar, re-encoded so no metadata (EXIF, GPS) survives."""
    data = avatars.avatar_jpeg(upload)
    old = user.avatar.name if user.avatar else None
    user.avatar.save(f"{user.pk}-{secrets.token_hex(6)}.jpg", ContentFile(data), save=False)
    user.save(update_fields=["avatar"])
    if old:
        user.avatar.storage.delete(old)
    return user


def user_change_password(
    *,
    user: User,
    old_password: str,
    new_password: str,
    keep_token: str | None = None,
    otp: str | None = None,
) -> None:
    """Change the password and sign out every other client.

    Re-authentication: the current password, and the 2FA code when it is on.

    Every API token but ``keep_token`` (the caller's) is revoked; other browser
    sessions end because Django checks each session against the password hash
    (the caller's session is kept by ``update_session_auth_hash`` in the view).
    """
    if not user.check_password(old_password):
        raise InvalidInput(
            "The current password is not right.", code="invalid_credentials", field="old_password"
        )
    two_factor.require(user, otp)
    check_new_password(new_password, user, user_email(user))
    user.set_password(new_password)
    user.save(update_fields=["password"])
    others = ApiToken.objects.filter(user=user)
    if keep_token:
        others = others.exclude(key_hash=_token_hash(keep_token))
    others.delete()


# --- tokens -------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_issue(*, user: User) -> str:
    """A new bearer token for ``user``; only its hash is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_token_hash(token))
    return token


def token_user(token: str) -> User | None:
    """The active user a bearer token belongs to, or None.

    A token stops working ``CLIPDECK_API_TOKEN_MAX_AGE_DAYS`` after it was
    issued, however often it is used, and after ``CLIPDECK_API_TOKEN_IDLE_DAYS``
    without use; the retention job deletes such tokens as well.
    """
    issued_after, idle_since = _token_limits(timezone.now())
    found = _token_rows(_token_hash(token), issued_after, idle_since)
    if not found:
        return None
    row = found[0]
    today = timezone.now().date()
    if row.last_used_on != today:
        ApiToken.objects.filter(pk=row.pk).update(last_used_on=today)
    return row.user


def current_api_tokens(now: datetime) -> QuerySet[ApiToken]:
    """Tokens younger than the maximum age and used (or issued) within the idle limit."""
    return _tokens_within(*_token_limits(now))


def _token_limits(now: datetime) -> tuple[datetime, datetime]:
    """(issued after, used or issued since): a current token's bounds at ``now``."""
    issued_after = now - timedelta(days=settings.CLIPDECK_API_TOKEN_MAX_AGE_DAYS)
    idle_since = now - timedelta(days=settings.CLIPDECK_API_TOKEN_IDLE_DAYS)
    return issued_after, idle_since


def _tokens_within(issued_after: datetime, idle_since: datetime) -> QuerySet[ApiToken]:
    recently_used = Q(last_used_on__gte=idle_since.date()) | Q(
        last_used_on__isnull=True, created_at__gte=idle_since
    )
    return ApiToken.objects.filter(recently_used, created_at__gte=issued_after)


def _token_query(key_hash: str, issued_after: datetime, idle_since: datetime):
    """The current token with ``key_hash`` of an active account, its user read with it."""
    tokens = _tokens_within(issued_after, idle_since).select_related("user")
    return tokens.filter(key_hash=key_hash, user__is_active=True).order_by("pk")[:1]


# Every API request looks its token up: the query is compiled once (``compiled_query``),
# with these in the places of the hash and the two bounds.
_HASH_SENTINEL = "token-hash-sentinel"
_ISSUED_SENTINEL = datetime(1901, 1, 1, 0, 0, 0, 1, tzinfo=UTC)
_IDLE_SENTINEL = datetime(1902, 1, 1, 0, 0, 0, 2, tzinfo=UTC)


def _token_rows(key_hash: str, issued_after: datetime, idle_since: datetime) -> list[ApiToken]:
    compiled = compile_once(
        "accounts.token_user",
        lambda: _token_query(_HASH_SENTINEL, _ISSUED_SENTINEL, _IDLE_SENTINEL),
        [
            _HASH_SENTINEL,
            db_value(_ISSUED_SENTINEL),
            db_value(_IDLE_SENTINEL),
            db_value(_IDLE_SENTINEL.date()),
        ],
    )
    if compiled is None:
        return list(_token_query(key_hash, issued_after, idle_since))
    return compiled.run(
        key_hash, db_value(issued_after), db_value(idle_since), db_value(idle_since.date())
    )


def token_revoke(token: str) -> None:
    ApiToken.objects.filter(key_hash=_token_hash(token)).delete()


# --- social graph -------------------------------------------------------------


def follow_create(*, follower: User, followee: User) -> Follow:
    """Follow, or ask to follow a private account. Idempotent."""
    if follower.pk == followee.pk:
        raise InvalidInput("You cannot follow yourself.", code="follow_self", field="handle")
    if Block.objects.filter(blocker=followee, blocked=follower).exists():
        raise NotFound()
    if Block.objects.filter(blocker=follower, blocked=followee).exists():
        raise Forbidden(f"You blocked @{followee.handle}; unblock them to follow.", code="blocked")
    state = FollowState.REQUESTED if followee.is_private else FollowState.FOLLOWING
    follow, created = Follow.objects.get_or_create(
        follower=follower, followee=followee, defaults={"state": state}
    )
    if created:
        follow_made.send(sender=Follow, follower=follower, followee=followee, state=follow.state)
    return follow


def follow_delete(*, follower: User, followee: User) -> None:
    """Unfollow, or withdraw a pending request."""
    Follow.objects.filter(follower=follower, followee=followee).delete()


def follow_request_decide(*, owner: User, requester: User, approve: bool) -> None:
    """Approve or deny a pending request to follow ``owner``."""
    pending = Follow.objects.filter(follower=requester, followee=owner, state=FollowState.REQUESTED)
    if approve:
        changed = pending.update(state=FollowState.FOLLOWING)
    else:
        changed, _ = pending.delete()
    if not changed:
        raise NotFound(f"There is no pending request from @{requester.handle}.")
    follow_request_decided.send(sender=Follow, owner=owner, requester=requester, approve=approve)
    if approve:
        follow_approved.send(sender=Follow, owner=owner, requester=requester)


@transaction.atomic
def block_create(*, blocker: User, blocked: User) -> Block:
    """Block: also removes follows and requests in both directions. Idempotent.

    Announced with ``block_made``: remixes between the two fall back to their owners.
    """
    if blocker.pk == blocked.pk:
        raise InvalidInput("You cannot block yourself.", code="block_self", field="handle")
    Follow.objects.filter(follower=blocker, followee=blocked).delete()
    Follow.objects.filter(follower=blocked, followee=blocker).delete()
    block, _ = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    block_made.send(sender=Block, blocker=blocker, blocked=blocked)
    return block


def block_delete(*, blocker: User, blocked: User) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()
