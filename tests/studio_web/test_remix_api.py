"""Duet and react through the API: the layouts, and who may remix what."""

from __future__ import annotations

import json

import numpy as np
import pytest

from clipdeck.videos.models import Video
from tests.studio.conftest import frame_rgb, mean_rgb
from tests.studio_web.conftest import rendered, stored_file, upload

pytestmark = pytest.mark.django_db(transaction=True)

ORANGE, BLUE = (230, 120, 30), (40, 90, 220)


@pytest.fixture(scope="module")
def orange(clips) -> str:
    return clips.make("orange.mp4", scene="solid", color=ORANGE)


@pytest.fixture(scope="module")
def blue(clips) -> str:
    return clips.make("blue.mp4", scene="solid", color=BLUE, tone_hz=880.0)


@pytest.fixture
def original(api, alice, orange, run_worker):
    """Alice's published video, which Bob will remix (``original(allow_duet=False)``)."""

    def make(**fields) -> str:
        fields = {k: str(v).lower() for k, v in fields.items()}
        body = rendered(api(alice), orange, run_worker, **fields)
        assert body["status"] == "published"
        return body["id"]

    return make


def _close(pixels: np.ndarray, colour) -> bool:
    return bool(np.abs(mean_rgb(pixels) - colour).max() < 16)


def test_duet_puts_the_recording_left_and_the_original_right(api, bob, original, blue, run_worker):
    source = original()

    body = rendered(api(bob), blue, run_worker, path=f"videos/{source}/duet")

    assert body["status"] == "published"
    assert body["remix_of"] == {
        "id": source,
        "kind": "duet",
        "author": body["remix_of"]["author"],
    }
    assert body["remix_of"]["author"]["handle"] == "alice"
    picture = frame_rgb(stored_file(body["id"]))
    assert picture.shape == (320, 180, 3)
    assert _close(picture[:, 10:80], BLUE)
    assert _close(picture[:, 100:170], ORANGE)


@pytest.mark.parametrize(
    ("pip", "inside", "outside"),
    [
        ({"x": 0.05, "y": 0.05, "width": 0.4}, (slice(30, 60), slice(20, 60)), (-40, -40)),
        ({"x": 0.55, "y": 0.6, "width": 0.4}, (slice(220, 250), slice(110, 160)), (20, 20)),
    ],
)
def test_react_places_the_reaction_where_asked(
    api, bob, original, blue, run_worker, pip, inside, outside
):
    source = original()

    body = rendered(api(bob), blue, run_worker, path=f"videos/{source}/react", pip=json.dumps(pip))

    assert body["status"] == "published"
    assert body["remix_of"]["kind"] == "react"
    picture = frame_rgb(stored_file(body["id"]))
    assert picture.shape == (320, 180, 3)
    assert _close(picture[inside], BLUE)
    row, column = outside
    assert _close(picture[row - 5 : row + 5 or None, column - 5 : column + 5 or None], ORANGE)


def test_react_pip_out_of_range_is_refused(api, bob, original, blue):
    source = original()

    response = upload(
        api(bob), blue, path=f"videos/{source}/react", pip=json.dumps({"x": 2, "width": 0.3})
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_pip", "pip.x")
    assert Video.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "switch", "code", "message"),
    [
        ("duet", "allow_duet", "duet_not_allowed", "@alice does not allow duets of this video."),
        (
            "react",
            "allow_react",
            "react_not_allowed",
            "@alice does not allow reacts of this video.",
        ),
    ],
)
def test_remix_that_the_author_turned_off_is_forbidden(
    api, bob, original, blue, kind, switch, code, message
):
    source = original(**{switch: False})

    response = upload(api(bob), blue, path=f"videos/{source}/{kind}")

    assert response.status_code == 403
    assert response.json() == {"error": {"code": code, "message": message, "field": None}}
    assert Video.objects.count() == 1


def test_remix_permission_turned_off_later_is_forbidden_too(api, alice, bob, original, blue):
    source = original()
    api(alice).patch(f"videos/{source}", {"allow_duet": False})

    response = upload(api(bob), blue, path=f"videos/{source}/duet")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "duet_not_allowed"


@pytest.mark.parametrize("kind", ["duet", "react"])
def test_source_of_someone_who_blocked_you_does_not_exist(api, alice, bob, original, blue, kind):
    source = original()
    assert api(alice).post("users/bob/block").status_code in (200, 201, 204)

    response = upload(api(bob), blue, path=f"videos/{source}/{kind}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert Video.objects.count() == 1


def test_source_still_processing_cannot_be_remixed(api, alice, bob, orange, blue):
    source = upload(api(alice), orange).json()["id"]  # no worker: still processing

    response = upload(api(bob), blue, path=f"videos/{source}/duet")

    assert response.status_code == 404
    assert Video.objects.count() == 1


def test_duet_whose_original_is_deleted_before_rendering_fails_clearly(
    api, alice, bob, original, blue, run_worker
):
    source = original()
    duet = upload(api(bob), blue, path=f"videos/{source}/duet").json()["id"]
    assert api(alice).delete(f"videos/{source}").status_code == 204

    run_worker()

    body = api(bob).get(f"videos/{duet}").json()
    assert (body["status"], body["error_code"]) == ("failed", "processing_failed")
    assert body["error"] == "The original video of this duet is no longer available."
