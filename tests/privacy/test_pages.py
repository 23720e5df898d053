"""/privacy shows the data inventory; /settings/data shows staff accesses to your own data."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from clipdeck.kernel.gateway import read_protected
from clipdeck.kernel.personal_data import DataClass, fields_of_class
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_privacy_page_lists_every_declared_field_for_anyone():
    page = Client().get("/privacy")

    html = page.content.decode()
    assert page.status_code == 200
    assert "accounts.User.email" in html
    assert "accounts.TwoFactor.secret" in html
    for record in fields_of_class(DataClass.PROTECTED):
        assert f"{record.model}.{record.field}" in html


def test_users_see_staff_accesses_to_their_own_data_and_nobody_elses():
    person, other = UserFactory(), UserFactory()
    agent = UserFactory(is_staff=True)
    agent.groups.add(Group.objects.get_or_create(name="support")[0])
    read_protected(actor=agent, subject=person, field="email", purpose="Ticket 1234: reset email")
    client = Client()

    client.force_login(person)
    own = client.get("/settings/data").content.decode()
    client.force_login(other)
    theirs = client.get("/settings/data").content.decode()

    assert "support read email" in own
    assert "Ticket 1234: reset email" in own
    assert "Ticket 1234" not in theirs
    assert "Nobody on the staff has looked at your protected data." in theirs
