"""Shared fixtures for the media engine tests: synthetic media and measuring helpers.

All media is generated with ``clipdeck.studio.engine.synth`` (small: 180x320 or
360x640, 1-3 s) into a session temporary folder, once per session.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import pytest

from clipdeck.studio.engine import RenderJob, RenderOutputs
from clipdeck.studio.engine.synth import make_clip, make_tone

SOURCE_HZ = 440.0
MUSIC_HZ = 1500.0


class Media:
    """Generates each named clip once per session (``media.clip(name, **kwargs)``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: dict[str, str] = {}

    def clip(self, name: str, **kwargs) -> str:
        if name not in self.made:
            kwargs.setdefault("width", 180)
            kwargs.setdefault("height", 320)
            kwargs.setdefault("seconds", 2.0)
            kwargs.setdefault("tone_hz", SOURCE_HZ)
            self.made[name] = make_clip(self.folder / name, **kwargs)
        return self.made[name]

    def tone(self, name: str, **kwargs) -> str:
        if name not in self.made:
            self.made[name] = make_tone(self.folder / name, **kwargs)
        return self.made[name]


@pytest.fixture(autouse=True)
def _media_and_cache():
    """Overrides tests/conftest.py's autouse fixture: the engine needs no database."""
    yield


@pytest.fixture(scope="session")
def media(tmp_path_factory) -> Media:
    return Media(tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="session")
def portrait(media) -> str:
    """A 2 s 180x320 H.264/AAC MP4 with a 440 Hz tone."""
    return media.clip("portrait.mp4", scene="bouncing")


@pytest.fixture
def outputs(tmp_path):
    """Build RenderOutputs in this test's folder (``outputs()`` or ``outputs("x")``)."""

    def make(prefix: str = "out", *, extras: bool = True) -> RenderOutputs:
        base = tmp_path / prefix
        base.mkdir(exist_ok=True)
        if not extras:
            return RenderOutputs(mp4=str(base / "video.mp4"))
        return RenderOutputs(
            mp4=str(base / "video.mp4"),
            mp4_720=str(base / "video-720.mp4"),
            poster=str(base / "poster.jpg"),
            audio=str(base / "sound.m4a"),
        )

    return make


@pytest.fixture
def job(outputs):
    """Build a RenderJob with default outputs: ``job(source, spec=..., ...)``."""

    def make(source: str, **kwargs) -> RenderJob:
        kwargs.setdefault("outputs", outputs(extras=False))
        return RenderJob(source=source, **kwargs)

    return make


@dataclass(frozen=True)
class StreamFacts:
    """What a rendered file contains, read back with PyAV."""

    format: str
    video_codec: str
    profile: str | None
    width: int
    height: int
    frames: int
    video_seconds: float
    audio_codec: str | None
    audio_rate: int | None
    audio_channels: int | None
    audio_seconds: float | None
    streams: int


def facts(path: str | os.PathLike) -> StreamFacts:
    """Count frames and samples of a file by decoding it."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        audio = container.streams.audio[0] if container.streams.audio else None
        frames = sum(1 for _ in container.decode(video))
        samples = None
        if audio is not None:
            container.seek(0)
            samples = sum(f.samples for f in container.decode(audio))
        return StreamFacts(
            format=container.format.name,
            video_codec=video.codec_context.name,
            profile=video.profile,
            width=video.width,
            height=video.height,
            frames=frames,
            video_seconds=float(video.duration * video.time_base),
            audio_codec=audio.codec_context.name if audio else None,
            audio_rate=audio.rate if audio else None,
            audio_channels=audio.channels if audio else None,
            audio_seconds=samples / audio.rate if audio else None,
            streams=len(container.streams),
        )


def frame_rgb(path: str | os.PathLike, at: float = 0.5) -> np.ndarray:
    """The decoded RGB picture at ``at`` seconds (first frame at or after it)."""
    with av.open(str(path)) as container:
        last = None
        for frame in container.decode(video=0):
            last = frame
            if frame.time >= at:
                break
        return last.to_ndarray(format="rgb24")


def image_rgb(path: str | os.PathLike) -> np.ndarray:
    """Pixels of an image file (the poster) as RGB."""
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def mean_rgb(pixels: np.ndarray) -> np.ndarray:
    """Mean colour of an (h, w, 3) region."""
    return pixels.reshape(-1, 3).mean(axis=0)


def audio_samples(path: str | os.PathLike) -> tuple[np.ndarray, int]:
    """The first audio track as mono float samples and its rate."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        chunks = [
            f.to_ndarray().reshape(f.layout.nb_channels, -1).mean(axis=0)
            if f.format.is_planar
            else f.to_ndarray().reshape(-1, f.layout.nb_channels).mean(axis=1)
            for f in container.decode(stream)
        ]
        return np.concatenate(chunks).astype(np.float64), stream.rate


def band_level(samples: np.ndarray, rate: int, hz: float, width: float = 20.0) -> float:
    """Spectral magnitude within ``width`` Hz of ``hz``, relative to the whole spectrum."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    band = spectrum[(freqs > hz - width) & (freqs < hz + width)].sum()
    return float(band / max(spectrum.sum(), 1e-12))


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    """The strongest frequency."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


def rms(samples: np.ndarray) -> float:
    """Root mean square level."""
    return float(np.sqrt(np.mean(samples**2)))
