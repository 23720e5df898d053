"""Text boxes and stickers: where and when their pixels land, and bad values refused."""

from __future__ import annotations

import numpy as np
import pytest

from clipdeck.studio.engine import EditSpec, RenderOutputs, SpecError, render
from clipdeck.studio.engine.overlays import _runs, draw_overlays, sticker_layout, text_layout
from clipdeck.studio.engine.spec import StickerBox, TextBox
from clipdeck.studio.engine.stickers import STICKERS, sticker_path

from .conftest import frame_rgb, image_rgb, mean_rgb

GREY = (128, 128, 128)
FRAME = (360, 640)


@pytest.fixture(scope="module")
def grey(media) -> str:
    """A 3 s 360x640 clip of one flat grey."""
    return media.clip("grey.mp4", width=360, height=640, seconds=3.0, scene="solid", color=GREY)


def _region(pixels: np.ndarray, box, inset: int = 4) -> np.ndarray:
    return pixels[
        box.y + inset : box.y + box.height - inset, box.x + inset : box.x + box.width - inset
    ]


def test_text_box_background_is_drawn_where_the_layout_says_and_only_in_its_time(grey, job):
    box = {"text": "Hello", "x": 0.3, "y": 0.25, "size": 80, "color": "#ffffff",
           "background": "#ff0000", "start_ms": 1000, "end_ms": 2000}  # fmt: skip
    spec = EditSpec.from_dict({"texts": [box]})
    place, _ = text_layout(spec.texts[0], FRAME)
    out = job(grey, spec=spec)

    render(out)

    during, before, after = (frame_rgb(out.outputs.mp4, t) for t in (1.5, 0.5, 2.5))
    corner = during[place.y + 3 : place.y + 12, place.x + 10 : place.x + 20]  # background only
    assert mean_rgb(corner) == pytest.approx((255, 0, 0), abs=30)
    assert mean_rgb(_region(during, place)).max() > 150  # white letters on red
    for still in (before, after):
        assert mean_rgb(_region(still, place)) == pytest.approx(GREY, abs=8)
    outside = during[place.y + place.height + 20 :, :]
    assert mean_rgb(outside) == pytest.approx(GREY, abs=8)


def test_text_colour_fills_the_letters(grey, job):
    spec = EditSpec.from_dict({"texts": [{"text": "IIII", "size": 160, "color": "#00ff00"}]})
    place, _ = text_layout(spec.texts[0], FRAME)
    out = job(grey, spec=spec)

    render(out)

    pixels = _region(frame_rgb(out.outputs.mp4, 1.0), place).reshape(-1, 3).astype(int)
    green = (pixels[:, 1] > 200) & (pixels[:, 0] < 80) & (pixels[:, 2] < 80)
    assert 0.1 < green.mean() < 0.9  # letters are green, the rest stays grey (no background)


def test_sticker_is_drawn_at_its_box_from_its_start(grey, job):
    spec = EditSpec.from_dict(
        {"stickers": [{"name": "check", "x": 0.7, "y": 0.7, "width": 0.4, "start_ms": 1000}]}
    )
    place = sticker_layout(spec.stickers[0], FRAME)
    out = job(grey, spec=spec)

    render(out)

    centre = (place.y + place.height // 2, place.x + place.width // 2 - place.width // 4)
    late, early = frame_rgb(out.outputs.mp4, 2.0), frame_rgb(out.outputs.mp4, 0.5)
    patch = late[centre[0] - 4 : centre[0] + 4, centre[1] - 4 : centre[1] + 4]
    assert mean_rgb(patch) == pytest.approx((46, 194, 126), abs=25)  # the check's green disc
    assert mean_rgb(_region(early, place)) == pytest.approx(GREY, abs=8)


def test_rendition_and_poster_carry_the_text_too(grey, job, outputs):
    spec = EditSpec.from_dict({"texts": [{"text": "Big", "size": 120, "background": "#0000ff"}]})
    out = outputs("both")
    place, _ = text_layout(spec.texts[0], FRAME)

    render(job(grey, spec=spec, outputs=out))

    poster = image_rgb(out.poster)
    corner = poster[place.y + 3 : place.y + 10, place.x + 12 : place.x + 20]
    assert mean_rgb(corner) == pytest.approx((0, 0, 255), abs=40)


def test_layout_keeps_boxes_inside_the_frame():
    corner = text_layout(TextBox(text="Edge", x=1.0, y=1.0, size=60), FRAME)[0]
    assert corner.x + corner.width <= FRAME[0] and corner.y + corner.height <= FRAME[1]
    long, pixels = text_layout(TextBox(text="W" * 60, size=120), FRAME)
    assert long.width <= FRAME[0] and pixels < 120 * FRAME[0] / 1080
    sticker = sticker_layout(StickerBox(name="star", x=0.0, y=0.0, width=0.5), FRAME)
    assert (sticker.x, sticker.y, sticker.width) == (0, 0, 180)


def test_cjk_and_emoji_use_the_bundled_fallback_fonts():
    assert _runs("Hi 你好 🎉") == [("text", "Hi "), ("fallback", "你好"), ("text", " "),
                                   ("emoji", "🎉")]  # fmt: skip
    overlay = draw_overlays(EditSpec.from_dict({"texts": [{"text": "你好🎉"}]}), FRAME)[0]
    alpha = np.asarray(overlay.image)[..., 3]
    colours = np.asarray(overlay.image)[..., :3][alpha > 200]
    assert (alpha > 200).mean() > 0.1  # the glyphs were drawn, not empty boxes
    assert (np.abs(colours.astype(int) - 255).sum(axis=1) > 60).any()  # the emoji has colour


def test_library_has_at_least_24_stickers_as_png_files():
    assert len(STICKERS) >= 24
    for name in STICKERS:
        with open(sticker_path(name), "rb") as png:
            assert png.read(8) == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        ({"texts": [{"text": ""}]}, "texts[0].text"),
        ({"texts": [{"text": "x" * 151}]}, "texts[0].text"),
        ({"texts": [{"text": "a", "color": "red"}]}, "texts[0].color"),
        ({"texts": [{"text": "a", "size": 5}]}, "texts[0].size"),
        ({"texts": [{"text": "a", "start_ms": 500, "end_ms": 400}]}, "texts[0].end_ms"),
        ({"texts": [{"text": "a", "font": "x"}]}, "texts[0].font"),
        ({"texts": [{"text": str(i)} for i in range(11)]}, "texts"),
        ({"texts": "hello"}, "texts"),
        ({"stickers": [{"name": "../../etc/passwd"}]}, "stickers[0].name"),
        ({"stickers": [{"name": "star", "width": 3}]}, "stickers[0].width"),
    ],
)
def test_bad_text_and_sticker_values_are_refused_with_the_field(edit, field):
    with pytest.raises(SpecError) as error:
        EditSpec.from_dict(edit)
    assert error.value.field == field


def test_texts_and_stickers_survive_the_sandbox_round_trip(grey, tmp_path):
    from clipdeck.studio.engine import Limits, RenderJob, safe_render

    spec = EditSpec.from_dict(
        {
            "texts": [{"text": "Sandboxed", "background": "#ff0000", "size": 90}],
            "stickers": [{"name": "heart", "x": 0.5, "y": 0.8}],
        }
    )
    out = RenderOutputs(mp4=str(tmp_path / "v.mp4"))
    place, _ = text_layout(spec.texts[0], FRAME)

    safe_render(RenderJob(source=grey, outputs=out, spec=spec), Limits())

    corner = frame_rgb(out.mp4, 1.0)[place.y + 3 : place.y + 10, place.x + 10 : place.x + 18]
    assert mean_rgb(corner) == pytest.approx((255, 0, 0), abs=30)
