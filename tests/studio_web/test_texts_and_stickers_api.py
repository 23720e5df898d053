"""Text boxes and stickers through the API: stored with the edit, drawn by the worker."""

from __future__ import annotations

import json

import pytest

from clipdeck.studio.engine.overlays import text_layout
from clipdeck.studio.engine.spec import TextBox
from clipdeck.studio.engine.stickers import STICKERS
from clipdeck.videos.models import Video
from tests.studio.conftest import frame_rgb, mean_rgb
from tests.studio_web.conftest import rendered, stored_file, upload

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = {"text": "Hi!", "x": 0.5, "y": 0.3, "size": 120, "color": "#ffffff",
        "background": "#ff0000", "start_ms": 0, "end_ms": 1000}  # fmt: skip
STICKER = {"name": "star", "x": 0.5, "y": 0.75, "width": 0.3, "start_ms": 0, "end_ms": None}


def test_text_and_sticker_are_kept_with_the_edit_and_drawn(api, user, clips, run_worker):
    clip = clips.make("grey.mp4", width=180, height=320, seconds=1.0, scene="solid",
                      color=(128, 128, 128))  # fmt: skip
    edit = {"texts": [TEXT], "stickers": [STICKER]}

    body = rendered(api(user), clip, run_worker, edit=json.dumps(edit))

    assert body["status"] == "published"
    stored = Video.objects.get(pk=body["id"]).edit
    assert stored["texts"][0]["text"] == "Hi!" and stored["stickers"][0]["name"] == "star"
    place, _ = text_layout(TextBox(**TEXT), (180, 320))
    corner = frame_rgb(stored_file(body["id"]), 0.5)[place.y + 2 : place.y + 5,
                                                      place.x + 4 : place.x + 8]  # fmt: skip
    assert mean_rgb(corner) == pytest.approx((255, 0, 0), abs=40)


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        ({"texts": [{"text": "a", "color": "blue"}]}, "edit.texts[0].color"),
        ({"stickers": [{"name": "nope"}]}, "edit.stickers[0].name"),
        ({"texts": [{"x": 0.5}]}, "edit.texts[0].text"),
    ],
)
def test_bad_text_or_sticker_is_a_400_naming_the_field(api, user, clips, edit, field):
    clip = clips.make("tiny.mp4", seconds=0.5)

    response = upload(api(user), clip, edit=json.dumps(edit))

    assert response.status_code == 400
    assert response.json()["error"]["field"] == field
    assert Video.objects.count() == 0


def test_sticker_library_lists_at_least_24_and_serves_each_png(api):
    listed = api().get("studio/stickers").json()

    assert len(listed) == len(STICKERS) >= 24
    first = listed[0]
    response = api().get(first["url"].removeprefix("/api/v1/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content)[:4] == b"\x89PNG"


def test_unknown_sticker_image_is_a_404(api):
    assert api().get("studio/stickers/..%2Fsettings.png").status_code == 404
    assert api().get("studio/stickers/nope.png").status_code == 404
