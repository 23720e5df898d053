from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session

from clipdeck.accounts.models import ApiToken, Block, Follow, TwoFactor, User
from clipdeck.kernel.gateway import register_reader
from clipdeck.kernel.personal_data import DataClass, Retention, declare

PUB, PROT, INT = DataClass.PUBLIC, DataClass.PROTECTED, DataClass.INTERNAL

declare(
    User,
    {
        "id": (INT, "Internal key joining the account's rows.", Retention.ERASURE),
        "handle": (PUB, "The account's public name and profile address.", Retention.ERASURE),
        "display_name": (PUB, "Shown on the profile and beside videos.", Retention.ERASURE),
        "bio": (PUB, "Shown on the profile.", Retention.ERASURE),
        "avatar": (PUB, "Profile picture (re-encoded, metadata stripped).", Retention.ERASURE),
        "email": (PROT, "Sign-in and account recovery.", Retention.ERASURE),
        "email_index": (PROT, "Keyed blind index to find an account by email.", Retention.ERASURE),
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
