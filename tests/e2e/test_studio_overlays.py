"""The editor's text and sticker preview is laid out as the render draws it."""

from __future__ import annotations

import av
import numpy as np
import pytest
from playwright.sync_api import expect

from clipdeck.studio.engine.synth import make_clip
from tests.e2e.conftest import screenshot
from tests.e2e.test_journey import open_tool, post_and_wait, sign_up

pytestmark = pytest.mark.xdist_group("browser")
TOLERANCE = 4  # pixels of the 360x640 frame


def _red_box(path: str, at: float) -> tuple[int, int, int, int]:
    """The bounding box (x, y, width, height) of the strongly red pixels at ``at`` s."""
    with av.open(path) as container:
        for frame in container.decode(video=0):
            if frame.time >= at:
                pixels = frame.to_ndarray(format="rgb24").astype(int)
                break
    red = (pixels[..., 0] > 180) & (pixels[..., 1] < 90) & (pixels[..., 2] < 90)
    ys, xs = np.nonzero(red)
    return xs.min(), ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1


def test_text_and_sticker_preview_matches_the_rendered_frame(new_page, tmp_path):
    clip = make_clip(tmp_path / "grey.mp4", seconds=2.0, width=360, height=640,
                     scene="solid", color=(128, 128, 128))  # fmt: skip
    page = new_page()
    sign_up(page, "tess_text")
    page.goto("/studio")
    # The picker listens once the studio is ready (the record button turns on then).
    expect(page.get_by_role("button", name="Start recording")).to_be_enabled()
    page.locator("[data-pick]").set_input_files(clip)
    expect(page.locator('[data-step="edit"]')).to_be_visible()
    expect(page.get_by_label("Trim end")).to_be_enabled()

    open_tool(page, "text")
    page.get_by_label("Text", exact=True).fill("Hello 👋")
    page.get_by_label("Background", exact=True).check()
    page.locator("[name=background]").fill("#ff0000")
    page.get_by_role("button", name="Add text").click()
    layer = page.locator("[data-overlay-layer]")
    box = layer.bounding_box()
    layer.click(position={"x": box["width"] * 0.4, "y": box["height"] * 0.25})
    open_tool(page, "stickers")
    page.get_by_role("button", name="Add sticker Star").click()
    layer.click(position={"x": box["width"] * 0.5, "y": box["height"] * 0.75})
    text = page.locator("[data-overlay-layer] div.overlay-item")
    expect(text).to_have_text("Hello 👋")
    expected = [int(v) for v in text.get_attribute("data-box").split(",")]
    screenshot(page, "studio-text-and-sticker")

    video_id = post_and_wait(page)

    body = page.request.get(f"/api/v1/videos/{video_id}").json()
    mp4 = page.request.get(body["media"]["mp4"])
    path = tmp_path / "out.mp4"
    path.write_bytes(mp4.body())
    drawn = _red_box(str(path), 1.0)
    assert drawn == pytest.approx(tuple(expected), abs=TOLERANCE)
