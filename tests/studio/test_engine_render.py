"""render: single-input edits, every input kind, and the published outputs' format."""

from __future__ import annotations

import os
import struct

import av
import numpy as np
import pytest
from PIL import Image

from clipdeck.studio.engine import (
    EditSpec,
    MediaError,
    RenderJob,
    RenderOutputs,
    Trim,
    probe,
    render,
)

from .conftest import (
    SOURCE_HZ,
    StreamFacts,
    audio_samples,
    dominant_hz,
    facts,
    frame_rgb,
    image_rgb,
    mean_rgb,
    rms,
)
from .test_engine_probe import HEVC_ENCODER, INPUT_KINDS

FRAME = 1 / 30


@pytest.fixture(scope="module")
def published(media, tmp_path_factory):
    """One render of the portrait clip with every output requested."""
    folder = tmp_path_factory.mktemp("published")
    outputs = RenderOutputs(
        mp4=str(folder / "video.mp4"),
        mp4_720=str(folder / "video-720.mp4"),
        poster=str(folder / "poster.jpg"),
        audio=str(folder / "sound.m4a"),
    )
    source = media.clip("portrait.mp4", scene="bouncing")
    return render(RenderJob(source=source, outputs=outputs)), outputs


def test_main_output_is_h264_high_aac_stereo_30fps(published):
    result, outputs = published

    assert facts(outputs.mp4) == facts_like(width=180, height=320, frames=60)
    assert (result.duration_ms, result.width, result.height) == (2000, 180, 320)
    assert result.outputs["mp4"].size_bytes == os.path.getsize(outputs.mp4)


def facts_like(*, width: int, height: int, frames: int, audio_seconds=None):
    """The facts every published MP4 has, for a given size and frame count."""
    return StreamFacts(
        format="mov,mp4,m4a,3gp,3g2,mj2",
        video_codec="h264",
        profile="High",
        width=width,
        height=height,
        frames=frames,
        video_seconds=pytest.approx(frames / 30, abs=0.001),
        audio_codec="aac",
        audio_rate=48000,
        audio_channels=2,
        audio_seconds=audio_seconds or pytest.approx(frames / 30, abs=0.03),
        streams=2,
    )


def test_main_output_is_faststart(published):
    _, outputs = published

    boxes = _top_level_boxes(outputs.mp4)

    assert boxes.index("moov") < boxes.index("mdat")
    assert boxes[0] == "ftyp"


def test_small_frame_rendition_is_the_same_video(published):
    result, outputs = published

    assert facts(outputs.mp4_720) == facts(outputs.mp4)
    assert (result.outputs["mp4_720"].width, result.outputs["mp4_720"].height) == (180, 320)


def test_poster_is_a_jpeg_of_the_frame_size(published):
    result, outputs = published

    with open(outputs.poster, "rb") as poster:
        assert poster.read(3) == b"\xff\xd8\xff"
    assert image_rgb(outputs.poster).shape == (320, 180, 3)
    assert (result.outputs["poster"].width, result.outputs["poster"].height) == (180, 320)


def test_sound_output_is_the_mixed_aac_track(published):
    result, outputs = published

    with av.open(outputs.audio) as sound:
        assert [s.type for s in sound.streams] == ["audio"]
        assert sound.streams.audio[0].codec_context.name == "aac"
        assert sound.duration == pytest.approx(2_000_000, abs=25_000)
    samples, rate = audio_samples(outputs.audio)
    assert dominant_hz(samples, rate) == pytest.approx(SOURCE_HZ, abs=3)
    # the poster comes out of the render; a frame this small is its own rendition (a copy)
    assert set(result.timings) == {"probe", "render", "rendition", "audio"}


def test_wide_frames_get_a_720_rendition(media, job, outputs):
    source = media.clip("hd.mp4", width=1080, height=1920, seconds=1.0, scene="bars")
    out = outputs("hd")

    result = render(job(source, outputs=out))

    assert facts(out.mp4) == facts_like(width=1080, height=1920, frames=30)
    assert facts(out.mp4_720) == facts_like(width=720, height=1280, frames=30)
    assert (result.outputs["mp4_720"].width, result.outputs["mp4_720"].height) == (720, 1280)
    assert image_rgb(out.poster).shape == (1920, 1080, 3)
    # one decode, one graph: no pass over the main file for the rendition or the poster
    assert set(result.timings) == {"probe", "render", "audio"}
    samples, rate = audio_samples(out.mp4_720)
    assert dominant_hz(samples, rate) == pytest.approx(SOURCE_HZ, abs=3)
    assert len(samples) / rate == pytest.approx(1.0, abs=0.03)


def test_rendition_and_poster_show_the_main_outputs_picture(media, job, outputs):
    source = media.clip("hd2.mp4", width=1080, height=1920, seconds=2.0, scene="bouncing")
    out = outputs("hd2")

    render(job(source, outputs=out))

    main = frame_rgb(out.mp4, 1.0)  # the poster is the frame at 1 s
    small = frame_rgb(out.mp4_720, 1.0)
    poster = image_rgb(out.poster)
    assert np.abs(poster.astype(int) - main.astype(int)).mean() < 6
    shrunk = np.asarray(Image.fromarray(main).resize((720, 1280), Image.BICUBIC))
    assert np.abs(shrunk.astype(int) - small.astype(int)).mean() < 6


INPUT_CASES = [*sorted(INPUT_KINDS), "hevc.mp4", "vfr.webm", "silent.mp4"]


@pytest.mark.parametrize("name", INPUT_CASES)
def test_every_input_kind_renders_to_the_same_format(media, job, name):
    if name == "hevc.mp4" and not HEVC_ENCODER:
        pytest.skip("this PyAV build has no HEVC encoder (libx265)")
    kwargs = {
        "hevc.mp4": dict(vcodec="libx265"),
        "vfr.webm": dict(vcodec="libvpx-vp9", acodec="libopus", vfr=True),
        "silent.mp4": dict(acodec=None),
    }.get(name) or INPUT_KINDS[name][0]
    source = media.clip(name, **kwargs)
    render_job = job(source)

    result = render(render_job)

    assert facts(render_job.outputs.mp4) == facts_like(width=180, height=320, frames=60)
    assert result.duration_ms == 2000


def test_source_without_sound_gets_silence(media, job):
    render_job = job(media.clip("silent.mp4", acodec=None))

    render(render_job)

    samples, _ = audio_samples(render_job.outputs.mp4)
    assert rms(samples) == 0.0


@pytest.mark.parametrize(
    ("rotation", "corners"),
    [
        # display corners (top-left, top-right, bottom-left, bottom-right) of a stored picture
        # with red, green / blue, white quadrants, turned clockwise by the rotation
        (90, ("blue", "red", "white", "green")),
        (180, ("white", "blue", "green", "red")),
        (270, ("green", "white", "red", "blue")),
    ],
)
def test_rotation_metadata_is_honoured(media, job, rotation, corners):
    source = media.clip(
        f"quad{rotation}.mov",
        width=320,
        height=180,
        rotation=rotation,
        scene="quadrants",
        seconds=1.0,
    )
    render_job = job(source)

    result = render(render_job)

    expected = (180, 320) if rotation in (90, 270) else (320, 568)
    assert (result.width, result.height) == expected
    if rotation in (90, 270):  # portrait after rotation: fills the frame, no bars
        assert _corner_colours(frame_rgb(render_job.outputs.mp4)) == corners


def test_landscape_is_fitted_over_a_blurred_dark_background(media, job):
    source = media.clip(
        "wide.mp4", width=320, height=180, scene="solid", color=(40, 200, 90), seconds=1.0
    )
    render_job = job(source)

    result = render(render_job)

    pixels = frame_rgb(render_job.outputs.mp4)
    centre, top = mean_rgb(pixels[250:310]), mean_rgb(pixels[:150])
    assert (result.width, result.height) == (320, 568)
    assert np.allclose(centre, (40, 200, 90), atol=6)
    assert np.allclose(top, np.array((40, 200, 90)) * 0.55, atol=25)  # same hue, darker
    assert top[1] > top[0] and top[1] > top[2]


def test_trim_keeps_exactly_the_selected_part(media, job):
    source = media.clip("three.mp4", seconds=3.0, scene="bouncing")
    render_job = job(source, spec=EditSpec(trim=Trim(500, 1700)))

    result = render(render_job)

    assert result.duration_ms == 1200
    assert facts(render_job.outputs.mp4) == facts_like(width=180, height=320, frames=36)


def test_trim_end_beyond_the_video_stops_at_its_end(portrait, job):
    render_job = job(portrait, spec=EditSpec(trim=Trim(1000, 9000)))

    assert render(render_job).duration_ms == 1000


@pytest.mark.parametrize(("speed", "frames"), [(0.5, 120), (2.0, 30), (3.0, 20)])
def test_speed_scales_picture_and_sound_together(portrait, job, speed, frames):
    render_job = job(portrait, spec=EditSpec(speed=speed))

    result = render(render_job)

    out = facts(render_job.outputs.mp4)
    samples, rate = audio_samples(render_job.outputs.mp4)
    assert (result.duration_ms, out.frames) == (round(2000 / speed), frames)
    assert abs(out.audio_seconds - out.video_seconds) < 0.1
    assert dominant_hz(samples, rate) == pytest.approx(SOURCE_HZ, abs=3)  # pitch is kept


def test_too_long_edit_is_refused_unless_trimmed(portrait, job):
    with pytest.raises(MediaError) as error:
        render(job(portrait, max_output_ms=1000))
    trimmed = render(job(portrait, max_output_ms=1000, spec=EditSpec(trim=Trim(0, 900))))
    sped_up = render(job(portrait, max_output_ms=1000, spec=EditSpec(speed=2.0)))

    assert error.value.code == "video_too_long"
    assert error.value.message == (
        "The edited video would be 2.0 s long; the limit is 1.0 s. Trim it or speed it up."
    )
    assert (trimmed.duration_ms, sped_up.duration_ms) == (900, 1000)


def test_trim_after_the_end_is_refused(portrait, job):
    with pytest.raises(MediaError) as error:
        render(job(portrait, spec=EditSpec(trim=Trim(5000, 6000))))

    assert error.value.code == "trim_out_of_range"
    assert error.value.message == "The trim starts at 5.0 s but the video is only 2.0 s long."


def test_rendering_twice_gives_the_same_video(portrait, outputs):
    spec = EditSpec(trim=Trim(200, 1500), speed=1.5, filter="warm")
    first = render(RenderJob(source=portrait, outputs=outputs("a"), spec=spec))
    second = render(RenderJob(source=portrait, outputs=outputs("b"), spec=spec))

    assert facts(first.outputs["mp4"].path) == facts(second.outputs["mp4"].path)
    assert (first.duration_ms, first.width, first.height) == (
        second.duration_ms,
        second.width,
        second.height,
    )
    assert probe(first.outputs["mp4"].path).video == probe(second.outputs["mp4"].path).video


COLOURS = {
    "red": (220, 20, 20),
    "green": (20, 220, 20),
    "blue": (20, 20, 220),
    "white": (235, 235, 235),
}


def _corner_colours(pixels: np.ndarray) -> tuple[str, ...]:
    h, w = pixels.shape[:2]
    spots = [
        pixels[h // 4, w // 4],
        pixels[h // 4, 3 * w // 4],
        pixels[3 * h // 4, w // 4],
        pixels[3 * h // 4, 3 * w // 4],
    ]
    return tuple(min(COLOURS, key=lambda c: np.abs(spot - COLOURS[c]).sum()) for spot in spots)


def _top_level_boxes(path: str) -> list[str]:
    boxes = []
    with open(path, "rb") as handle:
        while header := handle.read(8):
            size, kind = struct.unpack(">I4s", header)
            if size == 1:
                size = struct.unpack(">Q", handle.read(8))[0] - 8
            boxes.append(kind.decode("latin-1"))
            handle.seek(size - 8, 1)
    return boxes


def test_browser_style_webm_without_duration_or_index_trims_exactly(media, job, tmp_path):
    recorded = media.clip(
        "browser.webm", vcodec="libvpx-vp9", acodec="libopus", vfr=True, seconds=3.0
    )
    live = str(tmp_path / "live.webm")  # like MediaRecorder: no duration, no cues
    with (
        av.open(recorded) as source,
        av.open(live, "w", format="webm", options={"live": "1"}) as out,
    ):
        streams = {s.index: out.add_stream_from_template(s) for s in source.streams}
        for packet in source.demux():
            if packet.dts is not None:
                packet.stream = streams[packet.stream.index]
                out.mux(packet)
    render_job = job(live, spec=EditSpec(trim=Trim(1200, 2500)))

    result = render(render_job)

    with av.open(live) as container:
        assert container.duration is None
    assert probe(live).video.is_vfr is True
    assert result.duration_ms == 1300
    assert facts(render_job.outputs.mp4) == facts_like(width=180, height=320, frames=39)
