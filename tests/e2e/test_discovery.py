"""Discovery and the social loop in a real browser.

A new user finds the cook's dumpling video with a typo, opens a hashtag from
Discover, likes and replies to a comment; the cook sees both in the Inbox
with an unread badge, and the view, with its traffic source, in Analytics.
Screenshots of Search, Discover, Inbox and Analytics at phone and laptop sizes.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_journey import sign_up

pytestmark = pytest.mark.xdist_group("browser")
SEED = Path(__file__).with_name("social_seed.py")
SEED_PASSWORD = "swipe-up-2026"
RENDER_TIMEOUT_S = 240
PHONE, LAPTOP = (390, 844), (1440, 900)


def seed(clipdeck_server: str) -> None:
    cli = str(Path(sys.executable).with_name("clipdeck"))
    data = _data_dir(clipdeck_server)
    subprocess.run(
        [cli, "manage", "shell", "-c", f"exec(open({str(SEED)!r}).read())"],
        env=_server_env(data),
        check=True,
        capture_output=True,
    )


def _data_dir(clipdeck_server: str) -> str:
    from tests.e2e import conftest

    return conftest.SERVER_DATA[clipdeck_server]


def _server_env(data: str) -> dict:
    import os

    env = {**os.environ, "CLIPDECK_DATA_DIR": data}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def log_in(page, handle: str) -> None:
    page.goto("/login")
    page.get_by_label("Handle or email").fill(handle)
    page.get_by_label("Password").fill(SEED_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/$"))


def published_video(page, handle: str, word: str) -> str:
    """The id of ``handle``'s published video whose caption has ``word``, once rendered."""
    deadline = time.monotonic() + RENDER_TIMEOUT_S
    while time.monotonic() < deadline:
        items = page.request.get(f"/api/v1/users/{handle}/videos").json()["items"]
        found = [v["id"] for v in items if word in v["caption"] and v["media"]["mp4"]]
        if found:
            return found[-1]
        time.sleep(1)
    raise AssertionError(f"@{handle}'s video about {word} was not published in time")


def watch(page, seconds: float) -> None:
    """Wait until the page's video has played ``seconds`` (its own clock, not the wall's)."""
    player = page.locator(".video-page video")
    deadline = time.monotonic() + 30
    while player.evaluate("v => v.currentTime") < seconds:
        assert time.monotonic() < deadline, "the video did not play"
        page.wait_for_timeout(200)


def test_search_discover_threads_inbox_and_analytics(new_page, clipdeck_server):
    seed(clipdeck_server)
    cook = new_page()
    log_in(cook, "chef_kofi")
    video_id = published_video(cook, "chef_kofi", "Crispy pan-fried dumplings")
    others = (("chef_kofi", "chilli oil"), ("lena.paints", "Watercolour"), ("nora.codes", "Python"))
    for handle, word in others:
        published_video(cook, handle, word)

    # The cook opens the thread with a first comment.
    cook.goto(f"/v/{video_id}")
    cook.get_by_label("Add a comment").fill("Recipe: 300 g flour, 150 ml warm water")
    cook.get_by_role("button", name="Post", exact=True).click()
    expect(cook.locator("[data-comments] .comment")).to_have_count(1)

    # A new user searches with a typo and finds the video.
    viewer = new_page()
    sign_up(viewer, "new_foodie")
    viewer.goto("/discover")
    box = viewer.get_by_role("searchbox", name="Search").first
    box.fill("dumplngs")
    box.press("Enter")
    expect(viewer).to_have_url(re.compile(r"/search\?q=dumplngs"))
    expect(viewer.get_by_role("status")).to_contain_text("Showing results for dumplings")
    viewer.locator(f'a.tile[href="/v/{video_id}"]').click()
    expect(viewer).to_have_url(re.compile(f"/v/{video_id}$"))
    watch(viewer, seconds=1.5)

    # Likes the cook's comment and replies to it.
    comment = viewer.locator("[data-comments] .comment").first
    comment.get_by_role("button", name="Like comment").click()
    expect(comment.get_by_role("button", name="Like comment")).to_have_attribute(
        "aria-pressed", "true"
    )
    comment.get_by_role("button", name="Reply").click()
    viewer.get_by_label("Add a comment").fill("Making these tonight!")
    viewer.get_by_role("button", name="Post", exact=True).click()
    expect(comment.locator(".replies")).to_contain_text("Making these tonight!")

    # Opens a hashtag from Discover (leaving the video sends its view, from search).
    viewer.get_by_role("link", name="Discover").click()
    expect(viewer).to_have_url(re.compile(r"/discover$"))
    viewer.get_by_role("link", name=re.compile(r"^#dumplings")).first.click()
    expect(viewer).to_have_url(re.compile(r"/tag/dumplings$"))
    expect(viewer.get_by_role("heading", name="#dumplings")).to_be_visible()
    expect(viewer.locator(".tag-head")).to_contain_text(re.compile(r"\d+ views?"))
    expect(viewer.locator(".tag-head")).to_contain_text("2 videos")

    # The cook sees the unread badge without reloading, then both in the Inbox.
    badge = cook.locator("[data-inbox-link] [data-unread]")
    expect(badge).to_have_text("2", timeout=30_000)
    cook.locator("[data-inbox-link]").click()
    activity = cook.locator("[data-inbox]")
    expect(activity).to_contain_text("@new_foodie replied to your comment: “Making these tonight!”")
    expect(activity).to_contain_text("@new_foodie liked your comment")
    expect(badge).to_be_hidden()

    # Analytics: the day's bar holds the view, and its source is search.
    today = date.today().strftime("%a %d %b %Y")
    deadline = time.monotonic() + 90
    while True:
        cook.goto("/studio/analytics?days=7")
        html = cook.content()
        if "Search: 1 views (100%)" in html or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert f"{today}: 1 views</title>" in html
    assert "Search: 1 views (100%)" in html
    assert viewer.errors == [] and cook.errors == []

    _screenshots(new_page, video_id)


def _screenshots(new_page, video_id: str) -> None:
    for size, suffix in ((PHONE, "phone"), (LAPTOP, "laptop")):
        page = new_page(*size)
        log_in(page, "chef_kofi")
        page.goto("/search?q=dumplngs")
        page.wait_for_load_state("networkidle")
        screenshot(page, f"search-{suffix}")
        page.goto("/discover")
        page.wait_for_load_state("networkidle")
        screenshot(page, f"discover-{suffix}")
        page.goto("/inbox")
        page.wait_for_load_state("networkidle")
        screenshot(page, f"inbox-{suffix}")
        page.goto("/studio/analytics?days=7")
        page.wait_for_load_state("networkidle")
        screenshot(page, f"analytics-{suffix}")
        page.set_viewport_size({"width": size[0], "height": 1800})
        screenshot(page, f"analytics-{suffix}-full")
