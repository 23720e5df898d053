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
from urllib.parse import quote, urlencode

from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP

from clipdeck.accounts.models import TwoFactor, User
from clipdeck.kernel import keys
from clipdeck.kernel.errors import Conflict, InvalidInput
from clipdeck.kernel.hashing import keyed_hash

ISSUER = "Clipdeck"
SECRET_FIELD = "accounts.TwoFactor.secret"  # noqa: S105 - a field name
SECRET_BYTES = 20
RECOVERY_CODES = 10
TOLERANCE_STEPS = 1  # accept the previous and next 30-second code (clock drift)


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
    if not _accept_totp(user, row, code):
        raise _invalid_code()
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    row.recovery_hashes = [_recovery_hash(code) for code in codes]
    row.confirmed_at = timezone.now()
    row.save(update_fields=["recovery_hashes", "confirmed_at", "last_step"])
    return codes


@transaction.atomic
def verify(user: User, code: str | None) -> bool:
    """Whether ``code`` is a fresh TOTP code or an unused recovery code (which it uses up)."""
    row = TwoFactor.objects.select_for_update().filter(user=user).first()
    if row is None or row.confirmed_at is None or not code:
        return False
    if _accept_totp(user, row, code):
        row.save(update_fields=["last_step"])
        return True
    hashed = _recovery_hash(code)
    if hashed in row.recovery_hashes:
        row.recovery_hashes = [h for h in row.recovery_hashes if h != hashed]
        row.save(update_fields=["recovery_hashes"])
        return True
    return False


def require(user: User, code: str | None) -> None:
    """InvalidInput unless two-factor is off or ``code`` verifies (re-authentication)."""
    if is_enabled(user) and not verify(user, code):
        raise _invalid_code()


def disable(user: User, code: str | None) -> None:
    """Turn two-factor off; needs a current code or a recovery code."""
    require(user, code)
    TwoFactor.objects.filter(user=user).delete()


def _accept_totp(user: User, row: TwoFactor, code: str) -> bool:
    """Check a 6-digit code, once per time step (a replayed code fails)."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return False
    secret = base64.b32decode(keys.unseal_for(user, SECRET_FIELD, row.secret))
    totp = TOTP(secret)
    if not totp.verify(int(code), tolerance=TOLERANCE_STEPS, min_t=row.last_step + 1):
        return False
    row.last_step = totp.t()
    return True


def _recovery_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(7)).decode().lower()[:10]
    return f"{raw[:5]}-{raw[5:]}"


def _recovery_hash(code: str) -> str:
    normalised = code.strip().lower().replace("-", "").replace(" ", "")
    return keyed_hash("recovery-code", normalised)


def _invalid_code() -> InvalidInput:
    return InvalidInput(
        "That code is not right; use the current code from your app or a recovery code.",
        code="invalid_otp",
        field="otp",
    )
