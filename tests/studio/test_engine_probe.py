"""probe: every accepted input kind is recognised by content and described exactly."""

from __future__ import annotations

import shutil

import av
import pytest

from clipdeck.studio.engine import AudioInfo, Limits, MediaError, probe, probe_sound

HEVC_ENCODER = "libx265" in av.codecs_available

INPUT_KINDS = {
    # name: (make_clip kwargs, container, video codec, audio codec)
    "h264.mp4": (dict(vcodec="libx264", acodec="aac"), "mov,mp4,m4a,3gp,3g2,mj2", "h264", "aac"),
    "h264.mov": (dict(vcodec="libx264", acodec="aac"), "mov,mp4,m4a,3gp,3g2,mj2", "h264", "aac"),
    "vp9.webm": (dict(vcodec="libvpx-vp9", acodec="libopus"), "matroska,webm", "vp9", "opus"),
    "vp8.webm": (dict(vcodec="libvpx", acodec="libopus"), "matroska,webm", "vp8", "opus"),
    "av1.mkv": (dict(vcodec="libsvtav1", acodec="libmp3lame"), "matroska,webm", "av1", "mp3"),
    "mpeg4.mkv": (dict(vcodec="mpeg4", acodec="aac"), "matroska,webm", "mpeg4", "aac"),
}


@pytest.mark.parametrize("name", sorted(INPUT_KINDS))
def test_probe_describes_each_input_kind(media, name):
    kwargs, container, vcodec, acodec = INPUT_KINDS[name]
    path = media.clip(name, **kwargs)

    info = probe(path)

    assert (info.container, info.video.codec) == (container, vcodec)
    assert (info.video.width, info.video.height) == (180, 320)
    assert (info.video.display_width, info.video.display_height) == (180, 320)
    assert info.video.rotation == 0
    assert abs(info.duration_ms - 2000) <= 34
    assert info.audio == AudioInfo(
        codec=acodec, sample_rate=44100 if acodec == "mp3" else 48000, channels=2
    )


@pytest.mark.skipif(not HEVC_ENCODER, reason="this PyAV build has no HEVC encoder (libx265)")
def test_probe_reads_hevc(media):
    info = probe(media.clip("hevc.mp4", vcodec="libx265"))

    assert (info.video.codec, info.video.width, info.video.height) == ("hevc", 180, 320)


def test_probe_ignores_the_file_name(media, tmp_path):
    disguised = tmp_path / "holiday.txt"
    shutil.copy(media.clip("vp9.webm", vcodec="libvpx-vp9", acodec="libopus"), disguised)

    assert probe(disguised).video.codec == "vp9"


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_probe_reads_rotation_from_the_display_matrix(media, rotation):
    path = media.clip(f"rot{rotation}.mp4", width=320, height=180, rotation=rotation)

    video = probe(path).video

    assert (video.width, video.height, video.rotation) == (320, 180, rotation)
    expected = (180, 320) if rotation in (90, 270) else (320, 180)
    assert (video.display_width, video.display_height) == expected


def test_probe_landscape(media):
    video = probe(media.clip("landscape.mp4", width=320, height=180)).video

    assert (video.display_width, video.display_height, video.rotation) == (320, 180, 0)


def test_probe_flags_variable_frame_rate(media):
    vfr = probe(media.clip("vfr.webm", vcodec="libvpx-vp9", acodec="libopus", vfr=True))
    cfr = probe(media.clip("cfr.webm", vcodec="libvpx-vp9", acodec="libopus"))

    assert (vfr.video.is_vfr, cfr.video.is_vfr) == (True, False)
    assert abs(vfr.duration_ms - 2000) <= 40
    assert cfr.video.fps == 30.0


def test_probe_without_audio(media):
    info = probe(media.clip("silent.mp4", acodec=None))

    assert info.audio is None
    assert info.video.codec == "h264"


def test_probe_result_round_trips_through_json(portrait):
    info = probe(portrait)

    assert type(info).from_dict(info.to_dict()) == info


def test_probe_applies_the_limits(portrait):
    with pytest.raises(MediaError) as small:
        probe(portrait, Limits(max_side=200))
    with pytest.raises(MediaError) as short:
        probe(portrait, Limits(max_source_ms=1000))

    assert small.value.code == "dimensions_too_large"
    assert small.value.message == (
        "This video is 180x320 pixels; the largest side we accept is 200 pixels."
    )
    assert short.value.code == "source_too_long"
    assert short.value.message == (
        "This video is 2.0 s long; the longest video we accept is 1.0 s."
    )


def test_probe_sound_accepts_music_and_refuses_video_only(media):
    music = media.tone("music.m4a", hz=1000.0, seconds=1.0)

    assert probe_sound(music) == AudioInfo(codec="aac", sample_rate=48000, channels=2)
    with pytest.raises(MediaError) as error:
        probe_sound(media.clip("silent.mp4", acodec=None))
    assert error.value.code == "sound_unusable"
