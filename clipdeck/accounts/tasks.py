"""Background tasks of accounts: the recovery and confirmation mails."""

from __future__ import annotations

from django_tasks import task


@task()
def send_reset_email(user_id: int, origin: str) -> None:
    """Mail a password-reset link (made here, so no token sits in the queue)."""
    from clipdeck.accounts.recovery import reset_mail

    reset_mail(user_id, origin)


@task()
def send_verification_email(user_id: int, origin: str) -> None:
    """Mail the link that confirms the account's email address."""
    from clipdeck.accounts.recovery import verification_mail

    verification_mail(user_id, origin)
