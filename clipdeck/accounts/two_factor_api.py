"""Two-factor API: set up, confirm and turn off TOTP sign-in for your own account."""

from __future__ import annotations

from ninja import Field, Router, Schema

from clipdeck.accounts import two_factor
from clipdeck.accounts.schemas import OkOut
from clipdeck.kernel.auth import user_auth
from clipdeck.kernel.errors import InvalidInput

router = Router(tags=["accounts"])


class TwoFactorOut(Schema):
    enabled: bool
    recovery_codes_left: int


class SetupOut(Schema):
    secret: str = Field(description="Base32 key to type into an authenticator app")
    otpauth_uri: str = Field(description="otpauth:// URI (for a link or QR code)")
    qr_code: str = Field(description="The otpauth:// URI as a QR code (an SVG data: URI)")


class PasswordIn(Schema):
    password: str = Field(max_length=256)


class CodeIn(Schema):
    code: str = Field(max_length=32)


class RecoveryOut(Schema):
    recovery_codes: list[str] = Field(description="Shown once; each works one time")


class DisableIn(Schema):
    password: str = Field(max_length=256)
    code: str = Field(max_length=32, description="Authenticator code or a recovery code")


@router.get(
    "/me/2fa",
    response=TwoFactorOut,
    auth=user_auth,
    operation_id="two_factor_get",
    summary="Whether two-factor sign-in is on",
)
def two_factor_get(request):
    return {
        "enabled": two_factor.is_enabled(request.auth),
        "recovery_codes_left": two_factor.recovery_codes_left(request.auth),
    }


@router.post(
    "/me/2fa/setup",
    response=SetupOut,
    auth=user_auth,
    operation_id="two_factor_setup",
    summary="Start two-factor set-up (password required): a new secret for your authenticator app",
)
def two_factor_setup(request, payload: PasswordIn):
    # Without the password, a borrowed session could turn 2FA on and lock the owner out.
    _require_password(request.auth, payload.password)
    enrolment = two_factor.setup(request.auth)
    return {
        "secret": enrolment.secret,
        "otpauth_uri": enrolment.otpauth_uri,
        "qr_code": two_factor.qr_code_svg_uri(enrolment.otpauth_uri),
    }


@router.post(
    "/me/2fa/confirm",
    response=RecoveryOut,
    auth=user_auth,
    operation_id="two_factor_confirm",
    summary="Turn two-factor sign-in on with a first code; returns recovery codes once",
)
def two_factor_confirm(request, payload: CodeIn):
    return {"recovery_codes": two_factor.confirm(request.auth, payload.code)}


@router.delete(
    "/me/2fa",
    response=OkOut,
    auth=user_auth,
    operation_id="two_factor_disable",
    summary="Turn two-factor sign-in off (password and a code required)",
)
def two_factor_disable(request, payload: DisableIn):
    _require_password(request.auth, payload.password)
    two_factor.disable(request.auth, payload.code)
    return {"ok": True}


def _require_password(user, password: str) -> None:
    if not user.check_password(password):
        raise InvalidInput(
            "The password is not right.", code="invalid_credentials", field="password"
        )
