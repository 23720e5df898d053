"""Getting back into an account by email: password reset and email confirmation.

Reset links are Django's password-reset tokens: signed, expiring after
``PASSWORD_RESET_TIMEOUT`` and single-use (they are bound to the password
hash and the last sign-in, so they die once the password changes). Asking for a
link answers the same whether or not the address has an account; the mail is
written by a background task, so the answer also takes the same time. The
token is made inside that task: it is never stored, not even in the queue.

Setting a new password ends every API token; browser sessions end because
Django checks each session against the password hash.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from clipdeck.accounts.models import ApiToken, User
from clipdeck.accounts.personal_data import sessions_end
from clipdeck.accounts.services import check_new_password, user_email
from clipdeck.kernel import ratelimit
from clipdeck.kernel.errors import InvalidInput
from clipdeck.kernel.hashing import email_index

RESET_WINDOW = 3600
VERIFY_SALT = "clipdeck.email-verification"


def _invalid_link() -> InvalidInput:
    return InvalidInput(
        "This link has expired or was already used. Ask for a new one.",
        code="invalid_reset_link",
        field="token",
    )


def mismatch() -> InvalidInput:
    """The two new-password fields differ."""
    return InvalidInput(
        "The two passwords are not the same.", code="password_mismatch", field="password_again"
    )


def reset_request(*, email: str, ip: str | None, origin: str) -> None:
    """Send a reset link to ``email`` if an active account has it; the same answer either way.

    Throttled per network (``ratelimit.throttle``) and per address, so nobody can
    flood an inbox; past the limit this raises TooManyRequests for any address.
    """
    ratelimit.throttle("password_reset", user_id=None, ip=ip)
    address_key = f"password_reset:addr:{email_index(email)}"
    per_address = settings.CLIPDECK_RATE_LIMITS["password_reset"][0]
    if ratelimit.record_failure(address_key, window=RESET_WINDOW) > per_address:
        return  # silently: the answer must not tell whether the address exists
    user = User.objects.filter(email_index=email_index(email), is_active=True).first()
    if user is not None:
        transaction.on_commit(lambda: _enqueue_reset(user.pk, origin))


def _enqueue_reset(user_id: int, origin: str) -> None:
    from clipdeck.accounts.tasks import send_reset_email

    send_reset_email.enqueue(user_id, origin)


def reset_link(user: User, origin: str) -> str:
    """The one-time link for ``user`` (made when the mail is written, never stored)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return f"{origin}/password/reset/{uid}/{token}"


def reset_mail(user_id: int, origin: str) -> None:
    """Write the reset mail (the background task's body); a gone account gets nothing."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    send_mail(
        subject="Reset your Clipdeck password",
        message=(
            f"Hi @{user.handle},\n\nSomeone (hopefully you) asked to reset the password of "
            f"your Clipdeck account. Open this link within {minutes} minutes to choose a new "
            f"one:\n\n{reset_link(user, origin)}\n\nThe link works once. If you did not ask, "
            "ignore this mail: your password stays as it is.\n"
        ),
        from_email=None,
        recipient_list=[user_email(user)],
    )


def reset_user(uid: str, token: str) -> User:
    """The account a reset link is for, if the link is still good; else InvalidInput."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (TypeError, ValueError, OverflowError):
        raise _invalid_link() from None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        raise _invalid_link()
    return user


@transaction.atomic
def reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    """Set a new password from a reset link; the link, every token and every session end."""
    user = reset_user(uid, token)
    check_new_password(new_password, user, user_email(user))
    user.set_password(new_password)
    user.save(update_fields=["password"])
    ApiToken.objects.filter(user=user).delete()
    sessions_end(user.pk)
    return user


# --- email confirmation ---------------------------------------------------------


def verification_link(user: User, origin: str) -> str:
    """A signed link confirming the address ``user`` has now (it stops working if it changes)."""
    value = signing.dumps([user.pk, user.email_index], salt=VERIFY_SALT)
    return f"{origin}/email/verify/{value}"


def verification_request(user: User, origin: str) -> None:
    """Mail a confirmation link to the account's address (after the transaction commits)."""
    if user.email_verified_at is not None:
        return
    transaction.on_commit(lambda: _enqueue_verification(user.pk, origin))


def _enqueue_verification(user_id: int, origin: str) -> None:
    from clipdeck.accounts.tasks import send_verification_email

    send_verification_email.enqueue(user_id, origin)


def verification_mail(user_id: int, origin: str) -> None:
    """Write the confirmation mail (the background task's body)."""
    user = User.objects.filter(pk=user_id, is_active=True, email_verified_at=None).first()
    if user is None:
        return
    send_mail(
        subject="Confirm your email for Clipdeck",
        message=(
            f"Welcome to Clipdeck, @{user.handle}!\n\nConfirm that this address is yours, so "
            f"that you can get back into your account if you ever forget your password:\n\n"
            f"{verification_link(user, origin)}\n"
        ),
        from_email=None,
        recipient_list=[user_email(user)],
    )


def verification_confirm(value: str) -> User:
    """Mark the address as confirmed from a link; InvalidInput when it is bad or stale."""
    try:
        pk, index = signing.loads(
            value, salt=VERIFY_SALT, max_age=settings.CLIPDECK_EMAIL_VERIFY_SECONDS
        )
    except signing.BadSignature:
        raise InvalidInput(
            "This confirmation link has expired or is not right. Send a new one from Settings.",
            code="invalid_verification_link",
        ) from None
    user = User.objects.filter(pk=pk, email_index=index, is_active=True).first()
    if user is None:
        raise InvalidInput(
            "This confirmation link is for an address the account no longer has.",
            code="invalid_verification_link",
        )
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user
