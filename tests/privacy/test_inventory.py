"""The data inventory declares every stored field, and the API publishes it."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from django.apps import apps

from clipdeck.accounts.models import User
from clipdeck.kernel.personal_data import DataClass, Retention, lookup, records

pytestmark = pytest.mark.django_db  # the autouse fixture clears the database cache


def stored_fields() -> list[tuple[str, str]]:
    """(model label, field name) of every concrete and many-to-many field of Clipdeck's apps."""
    fields = []
    for config in apps.get_app_configs():
        if not config.name.startswith("clipdeck."):
            continue
        for model in config.get_models():
            meta = model._meta
            for field in [*meta.concrete_fields, *meta.many_to_many]:
                fields.append((meta.label, field.name))
    return fields


def undeclared(fields: Iterable[tuple[str, str]], declared: Iterable[tuple[str, str]]) -> list[str]:
    """``Model.field`` for each field that the inventory does not declare, sorted."""
    known = set(declared)
    return sorted(f"{label}.{name}" for label, name in fields if (label, name) not in known)


def declared_fields() -> list[tuple[str, str]]:
    return [(record.model, record.field) for record in records()]


def test_every_stored_field_of_every_clipdeck_app_is_declared():
    missing = undeclared(stored_fields(), declared_fields())

    assert missing == [], (
        "These fields are stored but missing from the data inventory; declare them in "
        f"the app's inventory.py (class, purpose, retention): {', '.join(missing)}"
    )


def test_the_check_reports_a_field_nobody_declared():
    fields = [("accounts.User", "handle"), ("accounts.User", "shoe_size"), ("fake.Model", "x")]
    declared = [("accounts.User", "handle")]

    assert undeclared(fields, declared) == ["accounts.User.shoe_size", "fake.Model.x"]


def test_the_check_sees_the_apps_models_including_many_to_many_fields():
    fields = set(stored_fields())

    assert {
        ("accounts.User", "email"),
        ("accounts.Follow", "follower"),
        ("videos.Video", "hashtags"),
        ("videos.Video", "mentions"),
    } <= fields
    assert {label.split(".")[0] for label, _ in fields} <= {
        config.label for config in apps.get_app_configs() if config.name.startswith("clipdeck.")
    }


def test_every_record_has_a_class_a_purpose_and_a_retention():
    for record in records():
        assert record.data_class in set(DataClass), record
        assert record.purpose.strip(), record
        assert record.retention.strip(), record


def test_the_email_address_is_protected():
    assert lookup(User, "email").data_class == DataClass.PROTECTED
    assert lookup(User, "email_index").data_class == DataClass.PROTECTED
    assert lookup(User, "password").data_class == DataClass.PROTECTED


def test_the_api_lists_the_inventory_with_the_region(api, settings):
    settings.CLIPDECK_REGION = "eu"

    response = api().get("privacy/inventory")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"region", "items"}
    assert body["region"] == "eu"
    assert body["items"] == [record.as_dict() for record in records()]
    assert {
        "model": "accounts.User",
        "field": "email",
        "data_class": "protected",
        "purpose": "Sign-in and account recovery.",
        "retention": Retention.ERASURE.value,
    } in body["items"]
    assert {item["data_class"] for item in body["items"]} <= {"public", "protected", "internal"}
