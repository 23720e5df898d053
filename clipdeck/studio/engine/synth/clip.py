"""``make_clip``: write a procedural video file (picture + optional sound) with PyAV.

Used by the tests (every input kind the engine accepts) and by the demo seeder.
The container follows the file extension (.mp4 .mov .webm .mkv ...).
"""

from __future__ import annotations

import os
from fractions import Fraction

import av
import numpy as np

from . import tones
from .priority import normal_scheduling
from .scenes import make_scene
from .titles import Title

VIDEO_OPTIONS = {
    "libx264": {"preset": "superfast", "crf": "23"},
    "libx265": {"preset": "ultrafast", "crf": "28", "x265-params": "log-level=error"},
    "libvpx-vp9": {"deadline": "realtime", "cpu-used": "8", "crf": "35", "b": "0", "row-mt": "1"},
    "libvpx": {"deadline": "realtime", "cpu-used": "8", "crf": "20", "b": "1M"},
    "libsvtav1": {"preset": "12", "crf": "40"},
    "mpeg4": {"qscale": "4"},
}
PIXEL_FORMATS = {"mjpeg": "yuvj420p", "rawvideo": "yuv420p", "png": "rgb24", "gif": "rgb8"}
AUDIO_RATES = {"libmp3lame": 44100}
ALIASES = {
    "hevc": "libx265",
    "h264": "libx264",
    "vp9": "libvpx-vp9",
    "vp8": "libvpx",
    "av1": "libsvtav1",
}


def make_clip(
    path: str | os.PathLike,
    *,
    seconds: float = 2.0,
    width: int = 360,
    height: int = 640,
    fps: int = 30,
    vcodec: str = "libx264",
    acodec: str | None = "aac",
    rotation: int = 0,
    scene: str = "gradient",
    sound: str = "tone",
    tone_hz: float = 440.0,
    color: tuple[int, int, int] = (230, 120, 30),
    seed: int = 0,
    vfr: bool = False,
    options: dict[str, str] | None = None,
    pace: float = 1.0,
    title: str = "",
) -> str:
    """Write a ``seconds`` long clip to ``path`` and return the path as a string.

    ``width``/``height`` are the stored (coded) size; ``rotation`` (0, 90, 180, 270,
    clockwise, like a phone's ``rotate`` tag) is written as the stream's display matrix,
    so a 320x180 stream with rotation 90 displays as 180x320. ``scene`` is one of
    gradient, bouncing, bars, solid (``color``), quadrants. ``sound`` is "tone"
    (a sine at ``tone_hz``) or "melody"; ``acodec=None`` writes no audio track.
    ``vfr=True`` writes irregular frame times on a 1/1000 time base (like browser WebM).
    The demo's worlds (hills, city, ocean, bokeh) scroll in depth; ``pace`` speeds the
    motion up or slows it down, and ``title`` is drawn over the picture.
    """
    path = str(path)
    vcodec = _encoder(vcodec)
    draw = _paced(make_scene(scene, width, height, seed, color), pace, title, width, height)
    with normal_scheduling(), av.open(path, "w") as container:
        video = _add_video(container, vcodec, width, height, fps, rotation, vfr, options)
        audio = _add_audio(container, _encoder(acodec)) if acodec else None
        samples = _soundtrack(sound, seconds, audio.rate, tone_hz, seed) if audio else None
        _write(container, video, audio, draw, samples, seconds, fps, vfr, seed)
    return path


def _paced(draw, pace: float, title: str, width: int, height: int):
    """The scene at ``pace`` times its speed, with ``title`` over it (if any)."""
    if pace == 1.0 and not title:
        return draw
    overlay = Title(title, width, height) if title else None

    def paced(t: float):
        frame = draw(t * pace)
        if overlay is not None:
            frame = frame.copy()  # a still scene hands out the same array every time
            overlay.paint(frame, t)
        return frame

    return paced


def _encoder(name: str) -> str:
    name = ALIASES.get(name, name)
    if name not in av.codecs_available:
        raise ValueError(f"encoder {name!r} is not available in this PyAV build")
    return name


def _add_video(container, codec, width, height, fps, rotation, vfr, options):
    stream = container.add_stream(
        codec, rate=fps, options={**VIDEO_OPTIONS.get(codec, {}), **(options or {})}
    )
    stream.width, stream.height = width, height
    stream.pix_fmt = PIXEL_FORMATS.get(codec, "yuv420p")
    stream.codec_context.thread_type = "AUTO"
    if vfr:
        stream.codec_context.time_base = Fraction(1, 1000)
    if rotation % 360:
        stream.set_display_rotation(-(rotation % 360))
    return stream


def _add_audio(container, codec):
    stream = container.add_stream(codec, rate=AUDIO_RATES.get(codec, 48000), layout="stereo")
    if codec in ("aac", "libopus", "libmp3lame"):
        stream.bit_rate = 128_000
    return stream


def _soundtrack(sound, seconds, rate, tone_hz, seed) -> np.ndarray:
    if sound == "tone":
        return tones.tone(tone_hz, seconds, rate)
    if sound == "melody":
        return tones.melody(seconds, rate, seed)
    raise ValueError(f"unknown sound {sound!r}; choose tone or melody")


def _frame_times(seconds: float, fps: int, vfr: bool, seed: int) -> list[float]:
    """Presentation times of the frames: regular, or jittered with dropped frames for VFR."""
    count = max(1, round(seconds * fps))
    times = [i / fps for i in range(count)]
    if not vfr:
        return times
    rng = np.random.default_rng(seed)
    jitter = rng.uniform(-0.3, 0.3, count) / fps
    kept = [
        t + j
        for i, (t, j) in enumerate(zip(times, jitter, strict=True))
        if i == 0 or rng.random() > 0.15
    ]
    kept[0] = 0.0
    return kept


def _write(container, video, audio, draw, samples, seconds, fps, vfr, seed) -> None:
    audio_pos = 0
    for t in _frame_times(seconds, fps, vfr, seed):
        frame = av.VideoFrame.from_ndarray(draw(t), format="yuv420p")
        frame.pts = round(t * 1000) if vfr else round(t * fps)
        frame.time_base = Fraction(1, 1000) if vfr else Fraction(1, fps)
        container.mux(video.encode(frame))
        if audio is not None:
            audio_pos = _write_audio(container, audio, samples, audio_pos, t + 1 / fps)
    container.mux(video.encode(None))
    if audio is not None:
        _write_audio(container, audio, samples, audio_pos, seconds + 1)
        container.mux(audio.encode(None))


def _write_audio(container, stream, samples, pos: int, until: float) -> int:
    """Encode the soundtrack from sample ``pos`` up to time ``until``; return the new pos."""
    end = min(len(samples), int(until * stream.rate))
    while pos < end:
        chunk = samples[pos : min(pos + 1024, end)]
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(chunk.T), format="fltp", layout="stereo"
        )
        frame.sample_rate = stream.rate
        frame.pts, frame.time_base = pos, Fraction(1, stream.rate)
        container.mux(stream.encode(frame))
        pos += len(chunk)
    return pos
