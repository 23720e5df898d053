"""Notice and action end to end: report → moderator (2FA) removes → statement → appeal →
another moderator reverses → the video is back → the transparency page counts it all."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from clipdeck.studio.engine.synth import make_clip
from tests.e2e.conftest import SERVER_DATA, screenshot
from tests.e2e.test_journey import post_via_api, sign_up

pytestmark = pytest.mark.xdist_group("browser")
MOD_PASSWORD = "moderate-with-care-2026"


def add_moderator(server: str, handle: str) -> str:
    """Make a moderator on the running server; their authenticator secret."""
    env = {**os.environ, "CLIPDECK_DATA_DIR": str(SERVER_DATA[server])}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cli = str(Path(sys.executable).with_name("clipdeck"))
    done = subprocess.run(
        [
            cli,
            "manage",
            "moderator_add",
            handle,
            "--email",
            f"{handle}@example.com",
            "--password",
            MOD_PASSWORD,
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return re.search(r"2FA secret: (\w+)", done.stdout).group(1)


def sign_in_with_code(page, handle: str, secret: str, target: str) -> None:
    page.goto(f"/login?next={target}")
    page.get_by_label("Handle or email").fill(handle)
    page.get_by_label("Password").fill(MOD_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    code = f"{TOTP(base64.b32decode(secret)).token():06d}"
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))


def keyboard_ready(page) -> None:
    """Waits until the moderation shortcuts listen, so no keystroke lands before them."""
    expect(page.locator("html[data-keyboard=ready]")).to_have_count(1)


def test_report_remove_appeal_reverse_and_count(new_page, clipdeck_server, tmp_path):
    author = new_page()
    sign_up(author, "dana_dances")
    clip = make_clip(tmp_path / "dance.mp4", seconds=1.5, width=180, height=320, scene="bouncing")
    video = post_via_api(author, clip, "my first routine #dance")

    viewer = new_page()
    sign_up(viewer, "vera_views")
    viewer.goto(f"/v/{video}")
    viewer.get_by_role("link", name="⚑ Report").click()
    viewer.get_by_label("Harassment or bullying").check()
    viewer.get_by_label(re.compile("Details")).fill("Mocks a classmate by name at 0:01.")
    viewer.get_by_role("button", name="Send report").click()
    expect(viewer.locator("[data-report-sent]")).to_be_visible()

    # A moderator signs in with the second factor and decides from the keyboard.
    ana_secret = add_moderator(clipdeck_server, "mod_ana")
    ana = new_page(1280, 800)
    sign_in_with_code(ana, "mod_ana", ana_secret, "/moderation")
    expect(ana.locator("[data-row]")).to_have_count(1)
    expect(ana.get_by_label("Keyboard shortcuts")).to_contain_text("next/previous")
    screenshot(ana, "moderation-queue")
    keyboard_ready(ana)
    ana.keyboard.press("j")
    expect(ana.locator("[data-row][aria-current=true]")).to_have_count(1)
    ana.keyboard.press("Enter")
    expect(ana.get_by_role("heading", name=re.compile("Case"))).to_contain_text("my first routine")
    keyboard_ready(ana)
    ana.locator("body").click(position={"x": 5, "y": 300})
    ana.keyboard.press("r")
    expect(ana.locator("input[value=remove]")).to_be_checked()
    ana.keyboard.type("Mocks a named classmate: harassment.")
    screenshot(ana, "moderation-case")
    ana.keyboard.press("Control+Enter")
    expect(ana).to_have_url(re.compile(r"/moderation\?decided=remove"))
    expect(ana.locator("[data-empty-queue]")).to_be_visible()
    assert viewer.goto(f"/v/{video}").status == 404

    # The author reads the statement of reasons and appeals.
    author.goto("/settings/decisions")
    statement = author.locator("[data-statement]")
    expect(statement).to_contain_text("Community guidelines §5")
    expect(statement).to_contain_text("Mocks a named classmate")
    expect(statement).not_to_contain_text("vera")
    author.get_by_label(re.compile("Appeal: tell us")).fill(
        "It is a duet with my sister, she agreed."
    )
    author.get_by_role("button", name="Send appeal").click()
    expect(author.locator("[data-appeal-status=pending]")).to_be_visible()
    screenshot(author, "statement-of-reasons")

    # A second moderator reverses it.
    ben_secret = add_moderator(clipdeck_server, "mod_ben")
    ben = new_page(1280, 800)
    sign_in_with_code(ben, "mod_ben", ben_secret, "/moderation/appeals")
    keyboard_ready(ben)
    ben.keyboard.press("j")
    expect(ben.locator("[data-row][aria-current=true]")).to_have_count(1)
    ben.keyboard.press("v")
    ben.keyboard.type("Consent shown in the comments; not harassment.")
    ben.keyboard.press("Control+Enter")
    expect(ben).to_have_url(re.compile(r"/moderation/appeals\?decided=1"))

    assert viewer.goto(f"/v/{video}").status == 200
    author.goto("/settings/decisions")
    expect(author.locator("[data-reversed]")).to_be_visible()

    viewer.goto("/transparency")
    expect(viewer.locator("[data-notices-total]")).to_have_text("1")
    expect(viewer.locator("[data-action=remove]")).to_have_text("1")
    expect(viewer.locator("[data-appeals-received]")).to_have_text("1")
    expect(viewer.locator("[data-appeals-reversed]")).to_have_text("1")
    screenshot(viewer, "transparency")
    for page in (author, viewer, ana, ben):
        assert page.errors == []
