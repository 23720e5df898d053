"""Handles are plain ASCII: no look-alike of another account's handle can be registered."""

from __future__ import annotations

import pytest

from clipdeck.accounts.models import User

pytestmark = pytest.mark.django_db

LOOKALIKES = [
    "chef_\u212aofi",  # Kelvin sign, lowers to "k"
    "chef_kof\u0131",  # dotless i
    "\u0441hef_kofi",  # Cyrillic es
    "chef_ｋofi",  # fullwidth k
    "chef_kofi\u200b",  # zero-width space
]


@pytest.mark.parametrize("handle", LOOKALIKES)
def test_a_look_alike_handle_is_refused_with_a_message(api, handle):
    response = api().post(
        "auth/signup",
        {"handle": handle, "email": "someone@example.com", "password": "a long enough password"},
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_handle"
    assert not User.objects.exists()


def test_the_plain_ascii_handle_is_still_welcome(api):
    response = api().post(
        "auth/signup",
        {"handle": "Chef_Kofi", "email": "kofi@example.com", "password": "a long enough password"},
    )

    assert response.status_code == 201
    assert User.objects.get().handle == "Chef_Kofi"
