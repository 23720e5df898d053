"""Render-cost limits: frame rate, pixel rate, frame budget, smallest size, a render's
wall clock from its output length, and renders in flight per person."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest

from clipdeck.studio import rendering
from clipdeck.studio.engine.errors import MediaError
from clipdeck.studio.engine.limits import Limits
from clipdeck.studio.engine.probe import probe
from clipdeck.studio.engine.synth import make_clip
from clipdeck.studio.limits import render_limits
from clipdeck.videos.models import Video, VideoStatus

pytestmark = pytest.mark.django_db
# the package exports a ``probe`` function that hides the module of that name
probe_module = importlib.import_module("clipdeck.studio.engine.probe")


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cost")

    def clip(name: str, **kwargs) -> str:
        kwargs = {"acodec": None, "scene": "solid", "seconds": 0.5, **kwargs}
        return make_clip(folder / name, **kwargs)

    return SimpleNamespace(
        fast=clip("fast.mp4", width=128, height=128, fps=500),
        fast_long=clip("fast_long.mp4", width=128, height=128, fps=500, seconds=2.0),
        tiny=clip("tiny.mp4", width=2, height=2, fps=30),
        ok=clip("ok.mp4", width=180, height=320, fps=30, acodec="aac"),
    )


def refusal(path: str) -> MediaError:
    with pytest.raises(MediaError) as caught:
        probe(path, Limits())
    return caught.value


def test_a_500_fps_video_is_refused_by_the_probe(media):
    error = refusal(media.fast)

    assert error.code == "frame_rate_too_high"
    assert error.message == "This video has 500 frames per second; the most we accept is 240."


def test_the_frame_budget_stops_the_scan_of_a_high_rate_file(media, monkeypatch):
    error = refusal(media.fast_long)

    assert error.code == "frame_rate_too_high"


def test_a_2x2_video_is_refused_by_the_probe(media):
    error = refusal(media.tiny)

    assert error.code == "dimensions_too_small"
    assert error.message == "This video is 2x2 pixels; the smallest side we accept is 64 pixels."


def stream(width: int, height: int) -> SimpleNamespace:
    return SimpleNamespace(width=width, height=height)


@pytest.mark.parametrize(
    ("width", "height", "fps"),
    [
        (3840, 2160, 60),  # 4K 60 landscape
        (2160, 3840, 59.94),  # 4K 60 portrait (HEVC, HDR: the same pixels)
        (4096, 2160, 60),  # DCI 4K 60
        (1920, 1080, 240),  # slow motion
        (1080, 1920, 120),
        (1280, 720, 240),
        (720, 1280, 30),
    ],
)
def test_every_phone_format_passes_the_rate_limits(width, height, fps):
    probe_module.check_rate(stream(width, height), fps, Limits())


@pytest.mark.parametrize(
    ("width", "height", "fps", "code"),
    [
        (4096, 4096, 500, "frame_rate_too_high"),
        (640, 360, 300, "frame_rate_too_high"),
        (4096, 4096, 60, "pixel_rate_too_high"),
        (3840, 2160, 120, "pixel_rate_too_high"),
    ],
)
def test_rate_bombs_are_refused(width, height, fps, code):
    with pytest.raises(MediaError) as caught:
        probe_module.check_rate(stream(width, height), fps, Limits())
    assert caught.value.code == code


def test_the_frame_budget_follows_the_duration():
    limits = Limits()

    assert limits.max_frames(4000) == 240 * 5
    assert limits.max_frames(limits.max_source_ms) == 240 * 601


# --- through the API ------------------------------------------------------------


def post(client, path: str):
    with open(path, "rb") as handle:
        return client.post("videos", {"file": handle}, multipart=True)


@pytest.mark.parametrize(
    ("name", "code"), [("fast", "frame_rate_too_high"), ("tiny", "dimensions_too_small")]
)
def test_the_upload_answers_400_and_stores_nothing(api, user, settings, media, name, code):
    response = post(api(user), getattr(media, name))

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert (error["code"], error["field"]) == (code, "file")
    assert not Video.objects.exists()
    assert not (settings.MEDIA_ROOT / "originals").exists()


def test_a_fourth_video_in_flight_is_refused_with_429(api, user, settings, media):
    client = api(user)
    for _ in range(3):
        assert post(client, media.ok).status_code == 202

    response = post(client, media.ok)

    assert response.status_code == 429, response.content
    error = response.json()["error"]
    assert error["code"] == "too_many_renders"
    assert "3 videos processing" in error["message"]
    assert Video.objects.filter(author=user, status=VideoStatus.PROCESSING).count() == 3
    stored = list((settings.MEDIA_ROOT / "originals").iterdir())
    assert len(stored) == 3


def test_another_person_is_not_held_by_someone_elses_renders(api, user, media):
    from tests.factories import UserFactory

    for _ in range(3):
        assert post(api(user), media.ok).status_code == 202

    assert post(api(UserFactory()), media.ok).status_code == 202


# --- a render's budget ----------------------------------------------------------


def test_the_render_wall_clock_follows_the_output_length(settings):
    settings.CLIPDECK_RENDER_WALL_SECONDS = 900

    short, medium, long = (render_limits(ms) for ms in (15_000, 60_000, 180_000))

    assert (short.wall_seconds, medium.wall_seconds, long.wall_seconds) == (210, 660, 900)
    assert short.cpu_seconds == 2 * short.wall_seconds


@pytest.mark.django_db(transaction=True)
def test_a_render_gets_the_budget_of_its_length_limit(api, user, media, run_worker, monkeypatch):
    seen = []
    real = rendering.safe_render

    def spy(job, limits):
        seen.append(limits)
        return real(job, limits)

    monkeypatch.setattr(rendering, "safe_render", spy)
    with open(media.ok, "rb") as handle:
        response = api(user).post("videos", {"file": handle, "length_limit": 15}, multipart=True)
    assert response.status_code == 202, response.content

    run_worker()

    assert [limits.wall_seconds for limits in seen] == [210]
