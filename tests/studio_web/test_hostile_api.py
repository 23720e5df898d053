"""Malformed and hostile files sent to POST /api/v1/videos: each answered clearly.

What can be known at upload time is a 4xx with the error envelope naming the file;
what only the render finds ends the video ``failed`` with a human message. Either
way nothing is half-stored, and the worker goes on to publish the next good upload.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from clipdeck.studio.engine.synth import make_clip, make_tone
from clipdeck.videos.models import Video
from tests.studio.test_engine_hostile import (
    _data_only,
    _faststart_cut,
    _find,
    _flip_bits,
    _gap_mkv,
    _ten_hours,
    _zip,
)
from tests.studio_web.conftest import rendered, upload

pytestmark = pytest.mark.django_db(transaction=True)

NOT_A_VIDEO = "This file is not a video we can read"
DAMAGED_MP4 = (
    "This file looks like an MP4/MOV video but it is damaged or incomplete (it may "
    "have been cut off during upload)."
)
SOUND_ONLY = "This file has sound but no picture (it looks like {}); please upload a video."
TEN_HOURS = "This video is 10 h 0 min long; the longest video we accept is 10 min."
UNSUPPORTED = (
    "This video uses the {} codec, which we don't support; please export it as "
    "H.264 (MP4), HEVC, VP9 or AV1."
)


@dataclass(frozen=True)
class Refusal:
    """The answer expected at upload: HTTP status, error code, message (a prefix if it
    ends with "...")."""

    path: str
    status: int
    code: str
    message: str


def _not_video(kind: str = "") -> str:
    return f"{NOT_A_VIDEO} (it looks like {kind})." if kind else f"{NOT_A_VIDEO}."


def _image(kind: str, frames: int = 1) -> bytes:
    buffer = io.BytesIO()
    pictures = [Image.new("RGB", (64, 48), (i * 60, 90, 200)) for i in range(frames)]
    pictures[0].save(buffer, kind, save_all=frames > 1, append_images=pictures[1:])
    return buffer.getvalue()


def _bytes(path: str) -> bytes:
    return Path(path).read_bytes()


def _absurd_header(data: bytes) -> bytes:
    """The container header (tkhd, avc1 entry) claims 65000x65000; the stream is 180x320."""
    data = bytearray(data)
    (stsd,) = _find(data, b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stsd")
    data[stsd + 48 : stsd + 52] = struct.pack(">HH", 65000, 65000)
    (tkhd,) = _find(data, b"moov", b"trak", b"tkhd")
    end = tkhd + struct.unpack(">I", data[tkhd : tkhd + 4])[0]
    data[end - 8 : end] = struct.pack(">II", 65000 << 16, 65000 << 16)
    return bytes(data)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile_api")


@pytest.fixture(scope="module")
def good(folder) -> str:
    return make_clip(folder / "good.mp4", seconds=1.0, width=180, height=320, scene="bouncing")


@pytest.fixture(scope="module")
def refusals(folder, good) -> dict[str, Refusal]:
    """Files refused at upload, by name."""
    silent = make_clip(folder / "silent.mp4", seconds=1.0, width=180, height=320, acodec=None)
    good_bytes, silent_bytes = Path(good).read_bytes(), Path(silent).read_bytes()
    noise = np.random.default_rng(7).integers(0, 256, 64_000, dtype=np.uint8).tobytes()

    def write(name: str, data: bytes) -> str:
        (folder / name).write_bytes(data)
        return str(folder / name)

    def clip(name: str, **kwargs) -> str:
        kwargs = {"width": 180, "height": 320, "seconds": 0.5, **kwargs}
        return make_clip(folder / name, **kwargs)

    table = [
        ("empty.mp4", write("empty.mp4", b""), 400, "empty_file",
         "The uploaded file is empty (0 bytes)."),
        ("random.bin", write("random.bin", noise), 415, "not_a_video", _not_video()),
        ("random.mp4", write("random.mp4", noise), 415, "not_a_video", _not_video()),
        ("png_renamed.mp4", write("png_renamed.mp4", _image("PNG")), 415, "not_a_video",
         _not_video("a PNG image")),
        ("jpeg_renamed.mov", write("jpeg_renamed.mov", _image("JPEG")), 415, "not_a_video",
         _not_video("a JPEG image")),
        ("animation.gif", write("animation.gif", _image("GIF", 3)), 415, "not_a_video",
         _not_video("a GIF image")),
        ("notes.mp4", write("notes.mp4", b"Shopping list\neggs\nmilk\n" * 20), 415,
         "not_a_video", _not_video("a text file")),
        ("page.mp4", write("page.mp4", b"<!doctype html><html><body>hi</body></html>"), 415,
         "not_a_video", _not_video("an HTML page")),
        ("document.pdf", write("document.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF"), 415,
         "not_a_video", _not_video("a PDF document")),
        ("archive.zip", write("archive.zip", _zip()), 415, "not_a_video",
         _not_video("a ZIP archive or office document")),
        ("playlist.mp4", write("playlist.mp4", b"#EXTM3U\n#EXTINF:10,\n/etc/passwd\n"), 415,
         "not_a_video", _not_video("a text file")),
        ("tone.wav", make_tone(folder / "tone.wav", seconds=0.5), 415, "no_video_stream",
         SOUND_ONLY.format("a WAV audio file")),
        ("tone.m4a", make_tone(folder / "tone.m4a", seconds=0.5), 415, "no_video_stream",
         SOUND_ONLY.format("an M4A audio file")),
        ("tone_as.mp4", write("tone_as.mp4", _bytes(make_tone(folder / "t.mp3", seconds=0.5))),
         415, "no_video_stream", SOUND_ONLY.format("an MP3 audio file")),
        ("data_only.mp4", write("data_only.mp4", _data_only(silent_bytes)), 415,
         "no_video_stream", "This file has no video track we can play."),
        ("cut_50.mp4", write("cut_50.mp4", good_bytes[: len(good_bytes) // 2]), 400,
         "corrupt_media", DAMAGED_MP4),
        ("cut_1k.mp4", write("cut_1k.mp4", good_bytes[:1024]), 400, "corrupt_media", DAMAGED_MP4),
        ("faststart_cut.mp4", write("faststart_cut.mp4", _faststart_cut(good, folder)), 400,
         "corrupt_media", "This video is incomplete: only ..."),
        ("mjpeg.mkv", clip("mjpeg.mkv", vcodec="mjpeg"), 415, "unsupported_codec",
         UNSUPPORTED.format("MJPEG")),
        ("rawvideo.mkv", clip("rawvideo.mkv", vcodec="rawvideo", acodec=None), 415,
         "unsupported_codec", UNSUPPORTED.format("RAWVIDEO")),
        ("flac_sound.mkv", clip("flac_sound.mkv", acodec="flac"), 415, "unsupported_codec",
         "The sound in this video uses the FLAC codec, which we don't support; "
         "please export it with AAC or Opus audio."),
        ("wide_4100.mp4",
         clip("wide_4100.mp4", width=4100, height=16, seconds=0.2, acodec=None, scene="bars"),
         400, "dimensions_too_large",
         "This video is 4100x16 pixels; the largest side we accept is 4096 pixels."),
        ("tall_4098.webm",
         clip("tall_4098.webm", width=16, height=4098, seconds=0.2, acodec=None,
              vcodec="libvpx-vp9", scene="bars"),
         400, "dimensions_too_large",
         "This video is 16x4098 pixels; the largest side we accept is 4096 pixels."),
        ("ten_hours_stts.mp4", write("ten_hours_stts.mp4", _ten_hours(silent_bytes)), 400,
         "source_too_long", TEN_HOURS),
        ("ten_hours_gap.mkv", _gap_mkv(folder / "ten_hours_gap.mkv"), 400, "source_too_long",
         TEN_HOURS),
    ]  # fmt: skip
    return {
        name: Refusal(path, status, code, message) for name, path, status, code, message in table
    }


REFUSED = [
    "empty.mp4", "random.bin", "random.mp4", "png_renamed.mp4", "jpeg_renamed.mov",
    "animation.gif", "notes.mp4", "page.mp4", "document.pdf", "archive.zip", "playlist.mp4",
    "tone.wav", "tone.m4a", "tone_as.mp4", "data_only.mp4", "cut_50.mp4", "cut_1k.mp4",
    "faststart_cut.mp4", "mjpeg.mkv", "rawvideo.mkv", "flac_sound.mkv", "wide_4100.mp4",
    "tall_4098.webm", "ten_hours_stts.mp4", "ten_hours_gap.mkv",
]  # fmt: skip


def _stored_files(settings) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_corpus_covers_every_refusal(refusals):
    assert sorted(refusals) == sorted(REFUSED)
    assert len(refusals) >= 20


@pytest.mark.parametrize("name", REFUSED)
def test_hostile_file_is_refused_at_upload_with_the_envelope(api, user, refusals, settings, name):
    case = refusals[name]

    response = upload(api(user), case.path)

    assert response.status_code == case.status, response.content
    error = response.json()["error"]
    assert (error["code"], error["field"]) == (case.code, "file")
    if case.message.endswith("..."):
        assert error["message"].startswith(case.message[:-3]), error["message"]
    else:
        assert error["message"] == case.message
    assert not Video.objects.exists()
    assert _stored_files(settings) == []


def test_file_over_the_upload_limit_is_refused_before_probing(api, user, good, settings):
    settings.CLIPDECK_MAX_UPLOAD_BYTES = 10_000

    response = upload(api(user), good)

    assert response.status_code == 413
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("file_too_large", "file")
    size = Path(good).stat().st_size
    assert error["message"] == (
        f"This file is {size / 1000:.1f} KB; the largest video we accept is 10.0 KB."
    )


@pytest.mark.parametrize(
    ("length_limit", "status", "code"),
    [(None, 400, "video_too_long"), (60, 202, None), (17, 400, "invalid_length_limit")],
)
def test_length_limit_decides_whether_a_long_clip_fits(
    api, user, long_clip, length_limit, status, code
):
    fields = {} if length_limit is None else {"length_limit": length_limit}

    response = upload(api(user), long_clip, **fields)

    assert response.status_code == status
    if code:
        assert response.json()["error"]["code"] == code
        assert not Video.objects.exists()


def test_too_long_message_names_both_lengths(api, user, long_clip):
    response = upload(api(user), long_clip)

    assert response.json()["error"] == {
        "code": "video_too_long",
        "message": "This video is 20.0 s after editing; the limit is 15 s. Trim it, "
        "speed it up or choose a longer limit.",
        "field": "edit.trim",
    }


def test_a_recording_a_few_frames_over_the_limit_still_fits(api, user, folder, run_worker):
    """15.05 s fits a 15 s limit (the engine cuts it to 15 s), as the engine's tolerance says."""
    clip = make_clip(folder / "just_over.mp4", seconds=15.05, width=96, height=160, fps=20,
                     scene="solid", acodec=None)  # fmt: skip

    body = rendered(api(user), clip, run_worker)

    assert body["status"] == "published"
    assert body["duration_ms"] == 15000


def test_header_lying_about_its_size_is_read_by_its_stream(api, user, folder, run_worker):
    silent = make_clip(folder / "honest.mp4", seconds=1.0, width=180, height=320, acodec=None)
    liar = folder / "absurd_header.mp4"
    liar.write_bytes(_absurd_header(Path(silent).read_bytes()))

    body = rendered(api(user), liar, run_worker)

    assert body["status"] == "published"
    assert (body["width"], body["height"]) == (180, 320)


@pytest.fixture(scope="module")
def damaged(folder, good) -> str:
    path = folder / "bit_flips.mp4"
    source = Path(make_clip(folder / "two_s.mp4", seconds=2.0, width=180, height=320)).read_bytes()
    path.write_bytes(_flip_bits(source, np.random.default_rng(7)))
    return str(path)


@pytest.fixture(scope="module")
def decodes_forever(folder) -> str:
    """A tiny file (two pictures a second) whose render must make 450 full-HD pictures:
    far more work than the 1 s wall-clock limit used below allows."""
    return make_clip(folder / "forever.mp4", seconds=15.0, width=1080, height=1920, fps=2,
                     scene="solid", acodec=None)  # fmt: skip


def test_damage_found_by_the_render_fails_the_video_and_the_next_upload_publishes(
    api, user, damaged, good, run_worker, settings
):
    client = api(user)
    bad_id = upload(client, damaged).json()["id"]
    good_id = upload(client, good).json()["id"]

    run_worker()

    bad = client.get(f"videos/{bad_id}").json()
    assert (bad["status"], bad["error_code"]) == ("failed", "corrupt_media")
    assert bad["error"] == "This video is damaged: parts of it cannot be decoded."
    assert client.get(f"videos/{good_id}").json()["status"] == "published"
    assert [f for f in _stored_files(settings) if "partial" in f or ".tmp-" in f] == []


def test_file_that_decodes_forever_is_stopped_and_the_worker_goes_on(
    api, user, decodes_forever, good, run_worker, settings
):
    client = api(user)
    wall = settings.CLIPDECK_RENDER_WALL_SECONDS
    settings.CLIPDECK_RENDER_WALL_SECONDS = 1
    stuck = rendered(client, decodes_forever, run_worker, edit='{"filter": "teal_orange"}')
    settings.CLIPDECK_RENDER_WALL_SECONDS = wall

    fine = rendered(client, good, run_worker)

    assert (stuck["status"], stuck["error_code"]) == ("failed", "processing_timeout")
    assert stuck["error"] == "Processing this video took too long and was stopped after 1 s."
    assert fine["status"] == "published"


def test_every_hostile_upload_then_a_good_one_publishes(api, user, refusals, good, run_worker):
    client = api(user)
    answers = {name: upload(client, refusals[name].path).status_code for name in REFUSED}

    body = rendered(client, good, run_worker)

    assert answers == {name: refusals[name].status for name in REFUSED}
    assert body["status"] == "published"
    assert Video.objects.count() == 1
