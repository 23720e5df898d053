"""Write numpy audio to files (.m4a AAC by default) and make simple tone files."""

from __future__ import annotations

import os
from fractions import Fraction

import av
import numpy as np

from . import tones

CODEC_BY_EXTENSION = {
    ".m4a": "aac",
    ".mp4": "aac",
    ".aac": "aac",
    ".mp3": "libmp3lame",
    ".wav": "pcm_s16le",
    ".ogg": "libopus",
    ".opus": "libopus",
    ".webm": "libopus",
    ".mka": "libopus",
    ".flac": "flac",
}
FORMAT_BY_EXTENSION = {".m4a": "ipod", ".opus": "ogg"}


def write_audio(
    path: str | os.PathLike, samples: np.ndarray, rate: int, codec: str | None = None
) -> str:
    """Encode stereo float samples (n, 2) in [-1, 1] to ``path``; codec from the extension."""
    path = str(path)
    ext = os.path.splitext(path)[1].lower()
    codec = codec or CODEC_BY_EXTENSION.get(ext, "aac")
    with av.open(path, "w", format=FORMAT_BY_EXTENSION.get(ext)) as container:
        stream = container.add_stream(codec, rate=rate, layout="stereo")
        if codec in ("aac", "libopus", "libmp3lame"):
            stream.bit_rate = 128_000
        data = np.clip(samples, -1.0, 1.0).astype(np.float32)
        for pos in range(0, len(data), 4096):
            chunk = np.ascontiguousarray(data[pos : pos + 4096].T)
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="stereo")
            frame.sample_rate, frame.pts, frame.time_base = rate, pos, Fraction(1, rate)
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


def make_tone(
    path: str | os.PathLike,
    *,
    hz: float = 1000.0,
    seconds: float = 2.0,
    parts: list[tuple[float, float]] | None = None,
    amplitude: float = 0.3,
    rate: int = 48000,
) -> str:
    """Write a sine tone (or consecutive ``parts`` of (hz, seconds)) as an audio file."""
    if rate == 48000 and str(path).lower().endswith(".mp3"):
        rate = 44100
    samples = tones.segments(parts or [(hz, seconds)], rate, amplitude)
    return write_audio(path, samples, rate)
