"""Fediverse settings in the browser: your address, and a follow the server refuses, explained."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_journey import sign_up

pytestmark = pytest.mark.xdist_group("browser")


def test_the_fediverse_page_shows_the_address_and_explains_a_refused_follow(new_page):
    page = new_page()
    sign_up(page, "fedi_fan")
    page.goto("/settings")
    page.get_by_role("link", name=re.compile("Fediverse")).click()

    expect(page.get_by_role("heading", name="Fediverse")).to_be_visible()
    expect(page.locator("[data-fediverse-address]")).to_have_text(
        re.compile(r"^@fedi_fan@127\.0\.0\.1:\d+$")
    )
    # A production cell reaches only public servers: a loopback address is refused, with a reason.
    page.get_by_label("Their address").fill("someone@127.0.0.1:9")
    page.get_by_role("button", name="Follow", exact=True).click()
    expect(page.locator("[data-remote-follow] .form-error")).to_contain_text(
        "someone@127.0.0.1:9 could not be found: only public servers can be reached, "
        "not private or local addresses."
    )
    screenshot(page, "fediverse-settings")
    assert page.errors == []
