"""Account erasure: shred the data key, delete the rows and the media.

What goes (docs/privacy.md, "Erasure"):

- the user's data key, from the key store and every key-store backup
  (crypto-shredding: every copy of their sealed fields and media, database
  backups included, becomes unreadable) and its id goes to the ledger;
- the account and every row that hangs off it (follows, blocks, likes,
  comments, shares, events, carts, orders, shop, exports, tokens, sessions);
- their videos with every media file (originals, renditions, posters, original
  sounds), their avatar and the sounds they uploaded;
- duets and reactions by other people built on their videos, and remixes of
  those, because every frame of a rendered remix shows the erased person.

Counters of other people's videos (likes, comments) are recounted. Each app
says what erasure does to its rows and files with its erase hook
(``clipdeck.kernel.personal_data.register``); this module only orders them. Audit
entries that name the account by id stay: the chain must stay verifiable, and
an id alone reveals nothing once the account is gone.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db import transaction

from clipdeck.kernel import keys, keystore, ledger, plugins
from clipdeck.kernel.errors import InvalidInput
from clipdeck.kernel.personal_data import erasers

log = logging.getLogger(__name__)


def account_erase_self(*, user, password: str, otp: str | None = None) -> None:
    """Erase the caller's own account after re-checking their password (and 2FA code)."""
    if not password or not user.check_password(password):
        raise InvalidInput(
            "The password is not right; your account was not erased.",
            code="invalid_credentials",
            field="password",
        )
    plugins.require_second_factor(user, otp)
    account_erase(user=user)


@transaction.atomic
def account_erase(*, user) -> str | None:
    """Erase ``user`` completely; the shredded key id, or None if they had no key.

    The data key is shredded first (its id reaches the ledger before the key
    row goes); then every app's erase hook runs, the accounts app's last, as
    it deletes the account itself.
    """
    user_id = user.pk
    key_id = keys.user_key_shred(user)
    for erase in erasers():
        erase(user)
    log.info("account %s erased (data key %s shredded)", user_id, key_id)
    return key_id


def reapply_ledger() -> int:
    """Erase again every account whose data key is shredded or not in the key store; how many.

    After a restore, an account whose key the key store does not hold can never
    have its sealed data read again: it was erased after the backup was taken
    (the key left the store and every key-store backup), so it is erased again.
    """
    shredded = ledger.shredded_key_ids()
    live = {key.user_id for key in keystore.all_keys() if key.key_id not in shredded}
    users = list(get_user_model().objects.exclude(pk__in=live))
    for user in users:
        account_erase(user=user)
    return len(users)
