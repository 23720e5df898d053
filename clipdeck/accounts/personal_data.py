"""The accounts app's personal data: declarations, export, erasure and pruning."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from clipdeck.accounts import services
from clipdeck.accounts.models import ApiToken, Block, Follow, TwoFactor, User
from clipdeck.kernel import plugins
from clipdeck.kernel.gateway import register_reader
from clipdeck.kernel.personal_data import DataClass, Retention, declare, iso, register
from clipdeck.kernel.storage import delete_on_commit

PUB, PROT, INT = DataClass.PUBLIC, DataClass.PROTECTED, DataClass.INTERNAL

declare(
    User,
    {
        "id": (INT, "Internal key joining the account's rows.", Retention.ERASURE),
        "handle": (PUB, "The account's public name and profile address.", Retention.ERASURE),
        "display_name": (PUB, "Shown on the profile and beside videos.", Retention.ERASURE),
        "bio": (
            PUB,
            "Shown on the profile; stored sealed with the account's data key.",
            Retention.ERASURE,
        ),
        "avatar": (PUB, "Profile picture (re-encoded, metadata stripped).", Retention.ERASURE),
        "email": (PROT, "Sign-in and account recovery.", Retention.ERASURE),
        "email_index": (PROT, "Keyed blind index to find an account by email.", Retention.ERASURE),
        "email_verified_at": (
            PROT,
            "When the owner confirmed the address, so recovery mail goes to the right person.",
            Retention.ERASURE,
        ),
        "password": (PROT, "Argon2 hash to verify sign-in.", Retention.ERASURE),
        "last_login": (
            PROT,
            "Security: shows the owner when the account was last used.",
            Retention.ERASURE,
        ),
        "is_private": (PROT, "The owner's choice to approve followers.", Retention.ERASURE),
        "is_active": (INT, "Whether the account can sign in.", Retention.ERASURE),
        "is_staff": (INT, "Access to the back office.", Retention.ERASURE),
        "is_superuser": (INT, "Full back-office permissions.", Retention.ERASURE),
        "groups": (INT, "Back-office roles.", Retention.ERASURE),
        "user_permissions": (INT, "Back-office permissions.", Retention.ERASURE),
        "created_at": (PROT, "When the account was made.", Retention.ERASURE),
        "suspended_until": (
            PROT,
            "A moderation suspension in force (its statement of reasons explains it).",
            Retention.ERASURE,
        ),
        "comments_from": (PROT, "The owner's choice of who may comment.", Retention.ERASURE),
        "comment_filter_keywords": (
            PROT,
            "Words whose comments wait for the owner's approval.",
            Retention.ERASURE,
        ),
        "captions_when_muted": (
            PROT,
            "Whether captions show while a video plays muted (a viewing preference).",
            Retention.ERASURE,
        ),
    },
)
declare(
    Follow,
    {
        "id": (INT, "Internal key.", Retention.ACCOUNT),
        "follower": (
            PROT,
            "Who follows whom: the Following feed and follower lists.",
            Retention.ACCOUNT,
        ),
        "followee": (
            PROT,
            "Who follows whom: the Following feed and follower lists.",
            Retention.ACCOUNT,
        ),
        "state": (PROT, "Whether a private account approved the follow.", Retention.ACCOUNT),
        "created_at": (PROT, "Order of follower lists.", Retention.ACCOUNT),
    },
)
declare(
    Block,
    {
        "id": (INT, "Internal key.", Retention.ACCOUNT),
        "blocker": (PROT, "Enforces the block.", Retention.ACCOUNT),
        "blocked": (PROT, "Enforces the block.", Retention.ACCOUNT),
        "created_at": (PROT, "Shown in the block list.", Retention.ACCOUNT),
    },
)
declare(
    ApiToken,
    {
        "id": (INT, "Internal key.", Retention.SESSION),
        "user": (PROT, "Whose token it is.", Retention.SESSION),
        "key_hash": (PROT, "SHA-256 of the bearer token, to recognise it.", Retention.SESSION),
        "created_at": (PROT, "Shown in the list of signed-in clients.", Retention.SESSION),
        "last_used_on": (PROT, "Day of last use, to spot stale clients.", Retention.SESSION),
    },
)
declare(
    TwoFactor,
    {
        "id": (INT, "Internal key.", Retention.ERASURE),
        "user": (PROT, "Whose second factor it is.", Retention.ERASURE),
        "secret": (
            PROT,
            "TOTP secret for two-factor sign-in, sealed with the user's data key.",
            Retention.ERASURE,
        ),
        "confirmed_at": (PROT, "When two-factor sign-in was turned on.", Retention.ERASURE),
        "last_step": (PROT, "Last time step used, so a code works once.", Retention.ERASURE),
        "recovery_hashes": (
            PROT,
            "Keyed hashes of the unused recovery codes.",
            Retention.ERASURE,
        ),
    },
)
declare(
    Session,
    {
        "session_key": (PROT, "Browser sign-in.", Retention.SESSION),
        "session_data": (PROT, "Browser sign-in state.", Retention.SESSION),
        "expire_date": (INT, "When the session ends.", Retention.SESSION),
    },
)
declare(
    Group,
    {
        "id": (INT, "Back-office role.", Retention.OPERATIONAL),
        "name": (INT, "Back-office role.", Retention.OPERATIONAL),
        "permissions": (INT, "Back-office role.", Retention.OPERATIONAL),
    },
)
declare(
    Permission,
    {
        "id": (INT, "Back-office permission.", Retention.OPERATIONAL),
        "name": (INT, "Back-office permission.", Retention.OPERATIONAL),
        "content_type": (INT, "Back-office permission.", Retention.OPERATIONAL),
        "codename": (INT, "Back-office permission.", Retention.OPERATIONAL),
    },
)


def _read_email(user: User) -> str:
    from clipdeck.accounts.services import user_email

    return user_email(user)


register_reader("accounts.User", "email", _read_email)
register_reader("accounts.User", "bio", lambda user: user.bio)
register_reader("accounts.User", "is_private", lambda user: str(user.is_private))
register_reader("accounts.User", "created_at", lambda user: user.created_at.isoformat())
register_reader("accounts.User", "last_login", lambda user: str(user.last_login or "never"))
register_reader("accounts.Follow", "follower", lambda follow: f"@{follow.follower.handle}")
register_reader("accounts.Follow", "followee", lambda follow: f"@{follow.followee.handle}")
register_reader("accounts.Follow", "state", lambda follow: follow.state)
register_reader("accounts.Follow", "created_at", lambda follow: follow.created_at.isoformat())
register_reader("accounts.Block", "blocker", lambda block: f"@{block.blocker.handle}")
register_reader("accounts.Block", "blocked", lambda block: f"@{block.blocked.handle}")
register_reader("accounts.Block", "created_at", lambda block: block.created_at.isoformat())


def _require_second_factor(user: User, code: str | None) -> None:
    from clipdeck.accounts import two_factor

    two_factor.require(user, code)


plugins.register_second_factor(_require_second_factor)


# --- export -------------------------------------------------------------------


def export(user: User) -> dict:
    """The profile (with the decrypted email) and the follow graph around ``user``."""
    return {"profile": _profile(user), "follows": _follows(user)}


def _profile(user: User) -> dict:
    from clipdeck.accounts.services import user_email

    return {
        "handle": user.handle,
        "display_name": user.display_name,
        "bio": user.bio,
        "email": user_email(user),
        "email_verified_at": iso(user.email_verified_at),
        "is_private": user.is_private,
        "comments_from": user.comments_from,
        "comment_filter_keywords": list(user.comment_filter_keywords),
        "captions_when_muted": user.captions_when_muted,
        "suspended_until": iso(user.suspended_until),
        "avatar": user.avatar.name or None,
        "created_at": iso(user.created_at),
        "last_login": iso(user.last_login),
    }


def _follows(user: User) -> dict:
    def rows(query: Q, other: str) -> list[dict]:
        found = Follow.objects.filter(query).select_related(other).order_by("created_at")
        return [
            {"account": getattr(f, other).handle, "state": f.state, "since": iso(f.created_at)}
            for f in found
        ]

    blocked = Block.objects.filter(blocker=user).select_related("blocked").order_by("created_at")
    return {
        "following": rows(Q(follower=user), "followee"),
        "followers": rows(Q(followee=user), "follower"),
        "blocked": [{"account": b.blocked.handle, "since": iso(b.created_at)} for b in blocked],
    }


# --- erasure ------------------------------------------------------------------


def erase(user: User) -> None:
    """Delete the account (its rows cascade), its avatar and its browser sessions.

    Runs after every other app's erase hook: theirs need the account row.
    """
    user_id = user.pk
    delete_on_commit(user.avatar)
    user.delete()
    _sessions_delete(user_id)


def sessions_end(user_id: int) -> None:
    """End every browser session of the account (after a password reset, say)."""
    _sessions_delete(user_id)


def _sessions_delete(user_id: int) -> None:
    """Browser sessions of the account (their data names it by id)."""
    live = Session.objects.filter(expire_date__gt=timezone.now())
    stale = [
        s.session_key
        for s in live.iterator()
        if str(s.get_decoded().get("_auth_user_id")) == str(user_id)
    ]
    Session.objects.filter(session_key__in=stale).delete()


# --- retention ----------------------------------------------------------------


def prune(now: datetime) -> dict[str, int]:
    """End expired browser sessions and delete idle API tokens."""
    return {"sessions": sessions_prune(), "api_tokens": api_tokens_prune(now)}


def sessions_prune() -> int:
    """End browser sessions past their expiry (``clearsessions``); how many."""
    expired = Session.objects.filter(expire_date__lt=timezone.now()).count()
    call_command("clearsessions")
    return expired


def api_tokens_prune(now: datetime) -> int:
    """Delete API tokens idle for ``CLIPDECK_API_TOKEN_IDLE_DAYS`` or issued more than
    ``CLIPDECK_API_TOKEN_MAX_AGE_DAYS`` ago (they no longer sign anyone in); how many."""
    deleted, _ = ApiToken.objects.exclude(
        pk__in=services.current_api_tokens(now).values("pk")
    ).delete()
    return deleted


register(
    "accounts",
    export=export,
    erase=erase,
    prune=prune,
    prunes=("sessions.Session", "accounts.ApiToken"),
)
