"""Protected fields are encrypted with a per-user data key wrapped by the cell key."""

from __future__ import annotations

import pytest
from django.db import connection

from clipdeck.accounts.models import User
from clipdeck.accounts.services import user_email, user_find_by_login
from clipdeck.kernel import crypto, keys, keystore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def raw_email_column(user_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM accounts_user WHERE id = %s", [user_id])
        return cursor.fetchone()[0]


def test_the_email_is_stored_only_as_ciphertext_and_reads_back_through_the_service():
    user = UserFactory(handle="ada", email="Ada@Example.com")

    stored = raw_email_column(user.pk)

    assert stored.startswith("cd1.")
    assert "@" not in stored
    assert user_email(User.objects.get(pk=user.pk)) == "Ada@example.com"  # domain lower-cased
    assert user_find_by_login("ada@example.com") == user


def test_every_account_gets_its_own_wrapped_data_key():
    first, second = UserFactory(), UserFactory()

    rows = [keystore.key_of_user(first.pk), keystore.key_of_user(second.pk)]

    assert [row.user_id for row in rows] == [first.pk, second.pk]
    assert rows[0].key_id != rows[1].key_id
    assert len(bytes(rows[0].wrapped)) == crypto.NONCE_BYTES + crypto.KEY_BYTES + 16


def test_a_ciphertext_copied_into_another_account_does_not_open():
    victim, thief = UserFactory(email="victim@example.com"), UserFactory()
    User.objects.filter(pk=thief.pk).update(email=raw_email_column(victim.pk))

    with pytest.raises(crypto.DecryptionError):
        user_email(User.objects.get(pk=thief.pk))


def test_a_wrapped_key_does_not_open_under_another_cell_key(settings):
    user = UserFactory()
    row = keystore.key_of_user(user.pk)
    settings.CLIPDECK_CELL_KEY = "another cell's key"

    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap_key(row.wrapped, str(row.key_id))


def test_once_the_key_is_shredded_the_email_cannot_be_read():
    user = UserFactory(email="gone@example.com")
    reloaded = User.objects.get(pk=user.pk)

    key_id = keys.user_key_shred(reloaded)

    assert keystore.key_by_id(key_id) is None
    with pytest.raises(keys.KeyShredded):
        user_email(User.objects.get(pk=user.pk))


def test_other_apps_can_seal_their_own_protected_fields_per_user():
    user = User.objects.get(pk=UserFactory().pk)

    sealed = keys.seal_for(user, "shop.Order.shipping_address", '{"city": "Lyon"}')

    assert keys.unseal_for(user, "shop.Order.shipping_address", sealed) == '{"city": "Lyon"}'
    with pytest.raises(crypto.DecryptionError):
        keys.unseal_for(user, "shop.Merchant.payout_account", sealed)
