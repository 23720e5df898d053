"""TOTP two-factor sign-in with single-use recovery codes.

The one-time-password arithmetic (RFC 6238) is django-otp's ``TOTP``; the
secret itself is protected data, sealed with the user's data key
(``privacy.keys.seal_for``), so erasing the account shreds it with everything
else. Recovery codes are shown once and stored only as keyed hashes.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from enum import Enum
from urllib.parse import quote, urlencode

import segno
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP

from clipdeck.accounts.models import TwoFactor, User
from clipdeck.kernel import keys
from clipdeck.kernel.errors import Conflict, InvalidInput, Kind
from clipdeck.kernel.hashing import keyed_hash

ISSUER = "Clipdeck"
SECRET_FIELD = "accounts.TwoFactor.secret"  # noqa: S105 - a field name
SECRET_BYTES = 20
RECOVERY_CODES = 10
TOLERANCE_STEPS = 1  # accept the previous and next 30-second code (clock drift)


class Verdict(Enum):
    """What a code given at sign-in turned out to be."""

    ACCEPTED = "accepted"
    REUSED = "reused"  # a right code from a time step already used: a replay or a double submit
    WRONG = "wrong"


@dataclass(frozen=True)
class Enrolment:
    secret: str  # base32, for typing into an authenticator app
    otpauth_uri: str


def is_enabled(user: User) -> bool:
    """Whether ``user`` must give a code to sign in."""
    return TwoFactor.objects.filter(user=user, confirmed_at__isnull=False).exists()


def recovery_codes_left(user: User) -> int:
    row = TwoFactor.objects.filter(user=user, confirmed_at__isnull=False).first()
    return len(row.recovery_hashes) if row else 0


def setup(user: User) -> Enrolment:
    """Start enrolment with a fresh secret; Conflict when two-factor is already on."""
    if is_enabled(user):
        raise Conflict("Two-factor sign-in is already on.", code="two_factor_enabled")
    secret = base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode()
    TwoFactor.objects.update_or_create(
        user=user,
        defaults={
            "secret": keys.seal_for(user, SECRET_FIELD, secret),
            "confirmed_at": None,
            "last_step": 0,
            "recovery_hashes": [],
        },
    )
    return Enrolment(secret=secret, otpauth_uri=otpauth_uri(user, secret))


def qr_code_svg_uri(uri: str) -> str:
    """The ``otpauth://`` URI as a QR code: an SVG ``data:`` URI an ``<img>`` shows."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")


def otpauth_uri(user: User, secret: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads (as a link or QR code)."""
    label = quote(f"{ISSUER}:{user.handle}")
    query = urlencode({"secret": secret, "issuer": ISSUER, "digits": 6, "period": 30})
    return f"otpauth://totp/{label}?{query}"


@transaction.atomic
def confirm(user: User, code: str) -> list[str]:
    """Turn two-factor on with a first valid code; returns the recovery codes (shown once)."""
    row = TwoFactor.objects.select_for_update().filter(user=user).first()
    if row is None or row.confirmed_at is not None:
        raise Conflict("Start the set-up first.", code="two_factor_not_pending")
    verdict = _check_totp(user, row, code)
    if verdict is not Verdict.ACCEPTED:
        raise refusal(verdict)
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    row.recovery_hashes = [_recovery_hash(code) for code in codes]
    row.confirmed_at = timezone.now()
    row.save(update_fields=["recovery_hashes", "confirmed_at", "last_step"])
    return codes


def verify(user: User, code: str | None) -> bool:
    """Whether ``code`` is a fresh TOTP code or an unused recovery code (which it uses up)."""
    return check(user, code) is Verdict.ACCEPTED


@transaction.atomic
def check(user: User, code: str | None) -> Verdict:
    """Check ``code`` as a fresh TOTP code or an unused recovery code (which it uses up).

    A right code from a time step that was already used is ``REUSED``, not
    ``WRONG``, so the person can be told to wait for the next code.
    """
    row = TwoFactor.objects.select_for_update().filter(user=user).first()
    if row is None or row.confirmed_at is None or not code:
        return Verdict.WRONG
    verdict = _check_totp(user, row, code)
    if verdict is Verdict.ACCEPTED:
        row.save(update_fields=["last_step"])
        return verdict
    hashed = _recovery_hash(code)
    if hashed in row.recovery_hashes:
        row.recovery_hashes = [h for h in row.recovery_hashes if h != hashed]
        row.save(update_fields=["recovery_hashes"])
        return Verdict.ACCEPTED
    return verdict


def require(user: User, code: str | None) -> None:
    """InvalidInput unless two-factor is off or ``code`` verifies (re-authentication)."""
    if not is_enabled(user):
        return
    verdict = check(user, code)
    if verdict is not Verdict.ACCEPTED:
        raise refusal(verdict)


def disable(user: User, code: str | None) -> None:
    """Turn two-factor off; needs a current code or a recovery code."""
    require(user, code)
    TwoFactor.objects.filter(user=user).delete()


def _check_totp(user: User, row: TwoFactor, code: str) -> Verdict:
    """Check a 6-digit code, once per time step (a replayed code is ``REUSED``)."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return Verdict.WRONG
    secret = base64.b32decode(keys.unseal_for(user, SECRET_FIELD, row.secret))
    totp = TOTP(secret)
    if totp.verify(int(code), tolerance=TOLERANCE_STEPS, min_t=row.last_step + 1):
        row.last_step = totp.t()
        return Verdict.ACCEPTED
    if row.last_step and _token_at(secret, row.last_step) == int(code):
        return Verdict.REUSED
    return Verdict.WRONG


def _token_at(secret: bytes, step: int) -> int:
    """The code of time step ``step`` (the last one accepted), whatever the time now."""
    probe = TOTP(secret)
    probe.drift = step - probe.t()
    return probe.token()


def _recovery_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(7)).decode().lower()[:10]
    return f"{raw[:5]}-{raw[5:]}"


def _recovery_hash(code: str) -> str:
    normalised = code.strip().lower().replace("-", "").replace(" ", "")
    return keyed_hash("recovery-code", normalised)


def refusal(verdict: Verdict, kind: Kind = Kind.INVALID) -> InvalidInput:
    """The message for a code that was not accepted: used already, or not right."""
    if verdict is Verdict.REUSED:
        return InvalidInput(
            "That code was already used. Wait for the next code in your app (a new one "
            "comes every 30 seconds), or use a recovery code.",
            code="otp_reused",
            field="otp",
            kind=kind,
        )
    return InvalidInput(
        "That code is not right; use the current code from your app or a recovery code.",
        code="invalid_otp",
        field="otp",
        kind=kind,
    )
