"""The data migration that moves users' keys from the database table into the key store."""

from __future__ import annotations

import uuid
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from clipdeck.accounts.models import User
from clipdeck.accounts.services import user_email
from clipdeck.kernel import crypto, keys, keystore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

migration = import_module("clipdeck.kernel.migrations.0004_keys_to_keystore")


@pytest.fixture
def old_table():
    """The ``privacy_userkey`` table as it was before the move, and its historical model."""
    apps = MigrationLoader(connection).project_state(("kernel", "0003_audit_append_only")).apps
    model = apps.get_model("kernel", "UserKey")
    with connection.schema_editor() as editor:
        editor.create_model(model)
    yield apps, model
    with connection.schema_editor() as editor:
        editor.delete_model(model)


def test_keys_in_the_old_table_move_into_the_key_store(old_table):
    apps, model = old_table
    user = UserFactory(email="moved@example.com")
    stored = keystore.key_of_user(user.pk)
    keystore.keys_replace([])  # the cell as it was: the key only in the table
    keys.unwrapped.clear()
    model.objects.create(user_id=user.pk, key_id=stored.key_id, wrapped=stored.wrapped)

    migration.to_keystore(apps, SimpleNamespace(connection=connection))

    assert keystore.key_of_user(user.pk) == keystore.StoredKey(
        stored.key_id, user.pk, stored.wrapped, keystore.key_of_user(user.pk).created_at
    )
    assert user_email(User.objects.get(pk=user.pk)) == "moved@example.com"


def test_moving_back_restores_the_rows_of_existing_accounts_only(old_table):
    apps, model = old_table
    user = UserFactory()
    keystore.key_put(key_id="00000000-0000-4000-8000-000000000000", user_id=999_999, wrapped=b"x")

    migration.from_keystore(apps, SimpleNamespace(connection=connection))

    rows = list(model.objects.values_list("user_id", "key_id"))
    assert rows == [(user.pk, uuid.UUID(keystore.key_of_user(user.pk).key_id))]
    assert len(bytes(model.objects.get().wrapped)) == crypto.NONCE_BYTES + crypto.KEY_BYTES + 16
