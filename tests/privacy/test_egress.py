"""The egress filter lets only public and internal fields leave the cell."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.db import models

from clipdeck.accounts.models import User
from clipdeck.kernel.personal_data import DataClass, lookup
from clipdeck.privacy.egress import UnclassifiedField, egress
from tests.factories import UserFactory

CLIPDECK_APPS = {
    "kernel",
    "accounts",
    "videos",
    "studio",
    "feed",
    "shop",
    "privacy",
    "core",
    "federation",
    "moderation",
    "inbox",
    "analytics",
}
SECRET = "SECRET-"

pytestmark = pytest.mark.django_db  # the autouse fixture clears the database cache


def clipdeck_models() -> list[type[models.Model]]:
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("clipdeck.")
        for model in config.get_models()
    ]


def filled_instance(model: type[models.Model]) -> models.Model:
    """An unsaved instance whose text fields hold a recognisable marker naming the field."""
    instance = model()
    for field in model._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            setattr(instance, field.attname, f"{SECRET}{model._meta.label}.{field.name}")
        elif isinstance(field, models.ForeignKey):
            setattr(instance, field.attname, 4242)
    return instance


def test_the_test_covers_every_app():
    assert {model._meta.app_label for model in clipdeck_models()} == CLIPDECK_APPS


@pytest.mark.parametrize("model", clipdeck_models(), ids=lambda model: model._meta.label)
def test_an_instance_of_every_model_keeps_only_public_and_internal_fields(model):
    out = egress(filled_instance(model))

    classes = {
        field.name: lookup(model, field.name).data_class for field in model._meta.concrete_fields
    }
    allowed = {name for name, cls in classes.items() if cls != DataClass.PROTECTED}
    protected = {name for name, cls in classes.items() if cls == DataClass.PROTECTED}
    assert set(out) == allowed
    assert not protected & set(out)
    leaked = [
        f"{model._meta.label}.{name}"
        for name in protected
        if f"{SECRET}{model._meta.label}.{name}" in json.dumps(out, default=str)
    ]
    assert leaked == []


def test_a_saved_user_leaves_without_email_password_or_key():
    user = UserFactory(handle="ada")

    out = egress(user)

    assert out["handle"] == "ada"
    for field in ("email", "email_index", "password"):
        assert field not in out
    assert "@" not in json.dumps(out, default=str)


def test_a_mapping_is_filtered_by_field_or_attribute_name():
    out = egress({"handle": "ada", "email": "ada@example.com", "password": "x"}, User)

    assert out == {"handle": "ada"}


def test_an_unknown_name_never_leaves():
    with pytest.raises(UnclassifiedField, match="shoe_size"):
        egress({"handle": "ada", "shoe_size": 44}, User)


def test_a_mapping_needs_its_model():
    with pytest.raises(TypeError):
        egress({"handle": "ada"})


def test_an_undeclared_field_is_an_error_not_a_pass(monkeypatch):
    monkeypatch.setattr("clipdeck.privacy.egress.lookup", lambda model, name: None)

    with pytest.raises(UnclassifiedField, match=r"accounts\.User\.handle"):
        egress({"handle": "ada"}, User)
