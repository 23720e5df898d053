"""A stranger cannot lock an owner out with wrong passwords: the limits follow the network."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client

from clipdeck.accounts import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def login(ip: str, password: str):
    return Client(REMOTE_ADDR=ip).post(
        "/api/v1/auth/login",
        {"login": "owner", "password": password},
        content_type="application/json",
    )


@pytest.fixture
def owner():
    return UserFactory(handle="owner", password=PASSWORD)


def test_five_wrong_passwords_from_a_stranger_leave_the_owner_signing_in(owner):
    stranger = [login("203.0.113.9", "guess").status_code for _ in range(8)]

    response = login("198.51.100.7", PASSWORD)

    assert stranger == [401] * 5 + [429] * 3
    assert response.status_code == 200


def test_a_spread_out_attack_only_slows_the_account_down(owner, monkeypatch, settings):
    now = [1_800_000_000.0]
    monkeypatch.setattr(services, "time", SimpleNamespace(time=lambda: now[0]))
    for network in range(settings.CLIPDECK_LOGIN_BACKOFF_AFTER + 3):
        login(f"192.0.{network}.1", "guess")

    slowed = login("198.51.100.7", PASSWORD)
    now[0] += settings.CLIPDECK_LOGIN_BACKOFF_MAX_SECONDS + 1
    later = login("198.51.100.7", PASSWORD)

    assert slowed.status_code == 429
    assert 1 <= int(slowed["Retry-After"]) <= settings.CLIPDECK_LOGIN_BACKOFF_MAX_SECONDS
    assert later.status_code == 200
