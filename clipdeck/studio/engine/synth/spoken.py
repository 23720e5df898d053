"""Clips that speak: English sentences said by espeak-ng, muxed under a plain picture.

For the auto-captions tests and benchmark. espeak-ng is the Debian package of that
name (``apt-get install espeak-ng``); ``VOICE`` is its American English voice with
the ``f2`` variant, which PocketSphinx's model hears best of the stock voices.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from fractions import Fraction

import av
import numpy as np

VOICE = "en-us+f2"
WORDS_PER_MINUTE = 160
RATE = 48_000


def espeak_available() -> bool:
    """Whether the ``espeak-ng`` command is installed."""
    return shutil.which("espeak-ng") is not None


def speak(text: str, path: str | os.PathLike) -> str:
    """Write ``text`` spoken by espeak-ng to the WAV file ``path``; the path."""
    command = ["espeak-ng", "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "-w", str(path), text]
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    return str(path)


def _samples(wav: str) -> np.ndarray:
    with av.open(wav) as container:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
        chunks = []
        for frame in container.decode(audio=0):
            chunks.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(frame))
        chunks.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(None))
    return np.concatenate(chunks).astype(np.int16)


def spoken_clip(
    path: str | os.PathLike,
    text: str,
    *,
    lead_seconds: float = 0.5,
    seconds: float | None = None,
    width: int = 180,
    height: int = 320,
    fps: int = 10,
) -> str:
    """An H.264 + AAC clip whose sound is ``text`` spoken from ``lead_seconds`` on.

    ``seconds`` pads (with silence) or cuts the clip; by default it ends half a
    second after the speech. An empty ``text`` gives a clip of silence.
    """
    speech = np.zeros(0, dtype=np.int16)
    if text:
        with tempfile.TemporaryDirectory() as folder:
            speech = _samples(speak(text, os.path.join(folder, "speech.wav")))
    lead = np.zeros(round(lead_seconds * RATE), dtype=np.int16)
    sound = np.concatenate([lead, speech, np.zeros(RATE // 2, dtype=np.int16)])
    if seconds is not None:
        wanted = round(seconds * RATE)
        sound = np.pad(sound[:wanted], (0, max(0, wanted - len(sound))))
    _mux(str(path), sound, width=width, height=height, fps=fps)
    return str(path)


def _mux(path: str, sound: np.ndarray, *, width: int, height: int, fps: int) -> None:
    with av.open(path, "w") as container:
        video = container.add_stream("libx264", rate=fps, options={"preset": "ultrafast"})
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        audio = container.add_stream("aac", rate=RATE, layout="mono")
        picture = np.full((height, width, 3), (40, 90, 160), dtype=np.uint8)
        for index in range(round(len(sound) / RATE * fps)):
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts, frame.time_base = index, Fraction(1, fps)
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
        step = 1024
        for start in range(0, len(sound), step):
            chunk = sound[start : start + step].reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(chunk, format="s16", layout="mono")
            frame.sample_rate, frame.pts = RATE, start
            container.mux(audio.encode(frame))
        container.mux(audio.encode(None))


def word_error_rate(reference: str, heard: str) -> float:
    """Word error rate of ``heard`` against ``reference`` (case and punctuation ignored):
    substitutions, insertions and deletions over the reference's word count."""
    expected, got = _words(reference), _words(heard)
    row = list(range(len(got) + 1))
    for i, want in enumerate(expected, 1):
        previous, row[0] = row[:], i
        for j, word in enumerate(got, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (want != word))
    return row[-1] / max(1, len(expected))


def _words(text: str) -> list[str]:
    cleaned = "".join(c if c.isalnum() or c in " '" else " " for c in text.lower())
    return cleaned.split()
