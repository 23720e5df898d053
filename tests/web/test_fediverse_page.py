"""The fediverse settings page."""

from __future__ import annotations

import pytest

from clipdeck.federation.models import AccountMove

pytestmark = pytest.mark.django_db


def test_the_page_shows_your_address_and_what_leaves(client, settings, alice):
    settings.PUBLIC_URL = "https://clips.example"
    client.force_login(alice)

    page = client.get("/settings/fediverse").content.decode()

    assert "@alice@clips.example" in page
    assert "Only your public videos leave this server" in page
    assert "data-remote-follow" in page


def test_a_moved_account_sees_where_it_went_instead_of_the_move_form(client, alice):
    AccountMove.objects.create(
        user=alice,
        moved_to="https://new.example/users/a",
        moved_to_profile="https://new.example/@a",
    )
    client.force_login(alice)

    page = client.get("/settings/fediverse").content.decode()

    assert "This account moved to" in page and "https://new.example/@a" in page
    assert "data-move-form" not in page


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/settings/fediverse")

    assert response.status_code == 302
    assert response["Location"].startswith("/login")
