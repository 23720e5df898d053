"""Captions in the browser: over a muted feed video at their time, the CC button, the setting."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from clipdeck.studio.engine.synth import make_clip
from tests.e2e.conftest import screenshot
from tests.e2e.test_journey import post_via_api, sign_up
from tests.e2e.test_web_app import item_of

VTT = """WEBVTT

00:00.000 --> 00:01.500
First words on screen

00:01.500 --> 00:04.000
Then the second line
"""


def put_captions(page, video_id: str, vtt: str) -> None:
    csrf = page.evaluate("document.body.dataset.csrf")
    response = page.request.put(
        f"/api/v1/videos/{video_id}/captions",
        headers={"X-CSRFToken": csrf, "Referer": page.url, "Content-Type": "text/vtt"},
        data=vtt,
    )
    assert response.status == 200, response.text()


def show_time(page, item, seconds: float) -> None:
    """Pause the item's video at ``seconds`` (its own clock: the cues follow it)."""
    item.locator("video").evaluate("(v, t) => { v.pause(); v.currentTime = t; }", seconds)


def cues_of(page, item, expected: str | None) -> None:
    """Wait until the captions drawn over ``item`` read ``expected`` (None: none shown)."""
    cues = item.locator(".feed-cues")
    deadline = time.monotonic() + 15
    while True:
        shown = cues.evaluate("el => el.hidden ? null : el.innerText.trim()")
        if shown == expected or time.monotonic() > deadline:
            break
        page.wait_for_timeout(150)
    assert shown == expected


def test_muted_feed_shows_captions_the_cc_button_and_the_setting_turn_them_off(new_page, tmp_path):
    creator = new_page()
    sign_up(creator, "cara_captions")
    clip = make_clip(tmp_path / "c.mp4", seconds=4, width=180, height=320, scene="bars")
    video_id = post_via_api(creator, clip, "with captions")
    put_captions(creator, video_id, VTT)

    viewer = new_page()
    sign_up(viewer, "vic_reads")
    viewer.goto("/?personalized=false")  # the same feed for every new viewer
    item = item_of(viewer, video_id)
    item.scroll_into_view_if_needed()
    expect(item.get_by_role("button", name="Tap to unmute")).to_be_visible()
    cc = item.get_by_role("button", name="Hide captions")
    expect(cc).to_have_attribute("aria-pressed", "true")

    show_time(viewer, item, 0.5)
    cues_of(viewer, item, "First words on screen")
    show_time(viewer, item, 2.5)
    cues_of(viewer, item, "Then the second line")
    screenshot(viewer, "feed-captions")

    cc.click()
    cues_of(viewer, item, None)
    expect(item.get_by_role("button", name="Show captions")).to_have_attribute(
        "aria-pressed", "false"
    )

    # The setting off: muted videos start without captions; CC still shows them.
    viewer.goto("/settings")
    viewer.get_by_label("Captions when the sound is off").uncheck()
    expect(viewer.get_by_text("Captions stay off unless you turn them on.")).to_be_visible()
    viewer.goto("/?personalized=false")
    item = item_of(viewer, video_id)
    item.scroll_into_view_if_needed()
    show_time(viewer, item, 0.5)
    viewer.wait_for_timeout(800)
    cues_of(viewer, item, None)
    item.get_by_role("button", name="Show captions").click()
    cues_of(viewer, item, "First words on screen")

    # The video page's player carries the same track, hidden under that setting.
    viewer.goto(f"/v/{video_id}")
    track = viewer.locator('.video-stage video track[kind="captions"]')
    expect(track).to_have_attribute("src", f"/api/v1/videos/{video_id}/captions")
    mode = viewer.locator(".video-stage video").evaluate("v => v.textTracks[0].mode")
    assert mode == "hidden"

    # Someone without the setting gets them shown on the video page while muted.
    anonymous = new_page()
    anonymous.goto(f"/v/{video_id}")
    player = anonymous.locator(".video-stage video")
    assert player.evaluate("v => v.muted && v.textTracks[0].mode") == "showing"

    for page in (creator, viewer, anonymous):
        assert page.errors == []
