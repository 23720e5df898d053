"""The product journey in a real browser: post, discover, engage, duet, go private."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from clipdeck.studio.engine.synth import make_clip
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.xdist_group("browser")
PASSWORD = "correct horse battery"
RENDER_TIMEOUT = 180_000


def sign_up(page, handle: str) -> None:
    page.goto("/signup")
    page.get_by_label("Handle").fill(handle)
    page.get_by_label("Email").fill(f"{handle}@example.com")
    page.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/$"))


def open_tool(page, name: str) -> None:
    """Open one of the editor's tools (takes, trim, filters, music, text, stickers,
    captions, voiceover, post); on a phone one tool's sheet shows at a time."""
    expect(page.locator('[data-step="edit"]')).to_be_visible()  # the clip has been read
    button = page.locator(f'[data-tool-button="{name}"]')
    if button.get_attribute("aria-expanded") == "true":
        return
    if not button.is_visible():  # "Next" hides while another tool's sheet is open
        page.locator("[data-close-tool]").click()
    button.click()
    expect(page.locator(f'[data-tool="{name}"]')).to_be_visible()


def record(page, seconds: float) -> int:
    """Record from the fake camera, without the countdown; return the take's length in ms
    as the editor measured it (the wall clock of a busy machine is no guide)."""
    page.get_by_label("3-second countdown before recording").uncheck()
    record_button = page.get_by_role("button", name="Start recording")
    expect(record_button).to_be_enabled()
    record_button.click()
    page.wait_for_timeout(seconds * 1000)
    page.get_by_role("button", name="Pause recording").click()
    page.get_by_role("button", name="Done").click()
    expect(page.locator('[data-step="edit"]')).to_be_visible()
    open_tool(page, "trim")
    expect(page.get_by_role("heading", name="Trim")).to_be_visible()
    trim_end = page.get_by_label("Trim end")
    expect(trim_end).to_be_enabled()  # once the editor has measured the take
    return int(trim_end.input_value())


def post_and_wait(page) -> str:
    open_tool(page, "post")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Posted!")).to_be_visible(timeout=RENDER_TIMEOUT)
    link = page.get_by_role("link", name="View video").get_attribute("href")
    return link.rsplit("/", 1)[1]


def test_post_discover_engage_duet_and_go_private(new_page):
    creator = new_page()
    sign_up(creator, "ada_films")

    # Record 3 s, trim the start, pick a filter and music, post.
    creator.goto("/studio")
    recorded = record(creator, 3.2)
    trim_start = creator.get_by_label("Trim start")
    trim_start.focus()
    for _ in range(3):
        trim_start.press("ArrowRight")
    open_tool(creator, "filters")
    creator.get_by_role("button", name="Filter Vivid").click()
    expect(creator.get_by_role("button", name="Filter Vivid")).to_have_attribute(
        "aria-pressed", "true"
    )
    open_tool(creator, "music")
    creator.locator("[data-sounds] li").first.get_by_role("button", name="Use").click()
    expect(creator.locator("[data-sound-chosen]")).not_to_have_text("No music")
    open_tool(creator, "post")
    creator.get_by_label("Caption", exact=True).fill("first light #morning")
    screenshot(creator, "studio-editor")
    video_id = post_and_wait(creator)

    body = creator.request.get(f"/api/v1/videos/{video_id}").json()
    assert body["status"] == "published"
    assert body["hashtags"] == ["morning"]
    assert abs(body["duration_ms"] - (recorded - 300)) <= 150  # 0.3 s trimmed off
    assert body["sound"]["is_original"] is False  # the library track chosen above

    # A second person finds it in For You, likes it and comments.
    fan = new_page()
    sign_up(fan, "bo_watches")
    item = fan.locator(f'.feed-item[data-id="{video_id}"]')
    expect(item).to_be_visible()
    expect(item.get_by_role("link", name="@ada_films", exact=True)).to_be_visible()
    expect(item.get_by_role("link", name="#morning")).to_have_attribute("href", "/tag/morning")
    item.get_by_role("button", name="Like").click()
    expect(item.get_by_role("button", name="Unlike")).to_contain_text("1")
    item.get_by_role("button", name="Comments").click()
    fan.get_by_label("Add a comment").fill("so calm, love it")
    fan.get_by_role("button", name="Post", exact=True).click()
    expect(fan.locator("dialog .comments")).to_contain_text("so calm, love it")
    screenshot(fan, "feed-comments")
    fan.get_by_role("button", name="Close").click()
    screenshot(fan, "feed")

    # ...and duets it from the share sheet.
    item.get_by_role("button", name="Share").click()
    fan.get_by_role("link", name="Duet").click()
    expect(fan.locator("[data-remix-title]")).to_have_text("Duet with @ada_films")
    duet_recorded = record(fan, 2.2)
    duet_id = post_and_wait(fan)
    fan.goto(f"/v/{duet_id}")
    expect(fan.get_by_text("Duet with")).to_be_visible()
    fan.locator("video").evaluate(
        "v => new Promise(r => { v.pause(); v.onseeked = r; v.currentTime = 1; })"
    )
    screenshot(fan, "duet")
    duet = fan.request.get(f"/api/v1/videos/{duet_id}").json()
    assert duet["remix_of"]["id"] == video_id and duet["remix_of"]["kind"] == "duet"
    assert duet["height"] > duet["width"]  # halves side by side in the vertical frame
    fan.goto(duet["media"]["poster"])
    screenshot(fan, "duet-poster")
    assert abs(duet["duration_ms"] - duet_recorded) <= 150  # the recording sets the length

    # The creator's public profile, then the account goes private.
    creator.goto("/@ada_films")
    expect(creator.locator(".grid .tile")).to_have_count(1)
    screenshot(creator, "profile-public")
    creator.goto("/settings")
    creator.get_by_label("Private account").check()
    expect(creator.get_by_role("status")).to_contain_text("now private")

    # A third person no longer sees the videos and can ask to follow.
    stranger = new_page()
    sign_up(stranger, "cy_curious")
    stranger.goto("/@ada_films")
    expect(stranger.get_by_role("heading", name="This account is private")).to_be_visible()
    expect(stranger.locator(".grid .tile")).to_have_count(0)
    screenshot(stranger, "profile-private")
    assert stranger.goto(f"/v/{video_id}").status == 404
    assert stranger.request.get(f"/api/v1/videos/{video_id}").status == 404
    stranger.goto("/@ada_films")
    stranger.get_by_role("button", name="Request to follow").click()
    expect(stranger.get_by_role("button", name="Requested")).to_be_visible()

    creator.goto("/me/requests")
    expect(creator.get_by_text("@cy_curious")).to_be_visible()

    for page in (creator, fan, stranger):
        assert page.evaluate("window.__clipboardCalls") == []
        assert page.errors == []


def post_via_api(page, clip, caption: str) -> str:
    """Upload a clip with the page's session, as the studio does, and wait for it."""
    csrf = page.evaluate("document.body.dataset.csrf")
    response = page.request.post(
        "/api/v1/videos",
        headers={"X-CSRFToken": csrf, "Referer": page.url},
        multipart={
            "file": {
                "name": "clip.mp4",
                "mimeType": "video/mp4",
                "buffer": Path(clip).read_bytes(),
            },
            "caption": caption,
        },
    )
    assert response.status == 202, response.text()
    video_id = response.json()["id"]
    for _ in range(RENDER_TIMEOUT // 500):
        status = page.request.get(f"/api/v1/videos/{video_id}").json()["status"]
        if status != "processing":
            break
        page.wait_for_timeout(500)
    assert status == "published"
    return video_id


def test_the_feed_moves_with_the_keyboard(new_page, tmp_path):
    for n, (handle, scene) in enumerate([("eve_keys", "bars"), ("fin_keys", "gradient")]):
        poster = new_page()
        sign_up(poster, handle)
        clip = make_clip(
            tmp_path / f"{scene}.mp4", seconds=1.5, width=180, height=320, scene=scene, seed=n
        )
        post_via_api(poster, clip, f"keyboard test {n} #keys")

    viewer = new_page(1280, 800)
    viewer.goto("/?personalized=false")
    items = viewer.locator(".feed-item")
    expect(items.nth(1)).to_be_attached()

    viewer.keyboard.press("ArrowDown")
    expect(items.nth(1)).to_be_in_viewport(ratio=0.9)
    viewer.keyboard.press("k")
    expect(items.nth(0)).to_be_in_viewport(ratio=0.9)
    viewer.keyboard.press("j")
    expect(items.nth(1)).to_be_in_viewport(ratio=0.9)
    viewer.wait_for_timeout(500)
    playing = viewer.locator(".feed-item video").evaluate_all(
        "vs => vs.filter(v => !v.paused).map(v => v.closest('.feed-item').dataset.id)"
    )
    assert playing == [items.nth(1).get_attribute("data-id")]
    screenshot(viewer, "feed-desktop")
    assert viewer.errors == []


def test_a_failed_upload_shows_its_error(new_page, tmp_path):
    page = new_page()
    sign_up(page, "dee_uploads")
    page.goto("/studio")
    bogus = tmp_path / "holiday.mp4"
    # An MP4 header (so the browser's check lets it through) over bytes that are no video.
    bogus.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"this is not a video at all" * 100)
    expect(page.get_by_role("button", name="Start recording")).to_be_enabled()
    page.locator("[data-pick]").set_input_files(str(bogus))
    expect(page.locator('[data-step="edit"]')).to_be_visible()
    open_tool(page, "post")
    page.get_by_role("button", name="Post", exact=True).click()
    error = page.locator("[data-post-error]")
    expect(error).not_to_be_empty()
    assert "video" in error.inner_text().lower()
    screenshot(page, "upload-error")


def test_a_reaction_is_recorded_in_a_window_that_can_be_moved(new_page, tmp_path):
    creator = new_page()
    sign_up(creator, "gil_original")
    clip = make_clip(tmp_path / "original.mp4", seconds=2, width=180, height=320, scene="bars")
    original = post_via_api(creator, clip, "react to this #reactions")

    reactor = new_page()
    sign_up(reactor, "hal_reacts")
    reactor.goto(f"/studio?react={original}")
    expect(reactor.locator("[data-remix-title]")).to_have_text("React with @gil_original")
    window = reactor.get_by_role("group", name=re.compile("Your reaction window"))
    expect(window).to_be_visible()
    before = window.bounding_box()
    window.focus()
    for _ in range(5):
        window.press("ArrowDown")
    window.press("-")
    after = window.bounding_box()
    assert after["y"] > before["y"] and after["width"] < before["width"]
    screenshot(reactor, "react-studio")

    record(reactor, 1.6)
    reaction = post_and_wait(reactor)
    body = reactor.request.get(f"/api/v1/videos/{reaction}").json()
    assert body["remix_of"] == {
        "id": original,
        "kind": "react",
        "author": body["remix_of"]["author"],
    }
    assert body["remix_of"]["author"]["handle"] == "gil_original"
    assert reactor.errors == []
