"""Perceptual frame hashes in the manner of PDQ, on frames PyAV decodes.

For each sampled frame: its luminance, scaled to 64×64, a 2-D DCT, the
16×16 block of lowest frequencies, and one bit per coefficient: above the
block's median or not (256 bits). Re-encoding, scaling, trimming and colour
filters move few bits; unrelated frames differ in about half. Two frames
match when their hashes differ in at most ``FRAME_DISTANCE`` bits (PDQ's own
recommended threshold is 31 of 256). A video matches a fingerprint when most
of its sampled frames match some frame of it (:func:`match_share`), which is
what lets a trimmed copy match.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO

import av
import numpy as np
from scipy.fft import dctn

FRAME_DISTANCE = 31
SAMPLES_PER_SECOND = 2
MAX_SAMPLES = 120
# Frames too flat to carry a signal (a black frame) hash to noise: skip them.
MIN_LUMA_SPREAD = 4.0


def frame_hash(luma: np.ndarray) -> int | None:
    """The 256-bit hash of a 64×64 luminance array, or None for a flat frame."""
    if float(luma.std()) < MIN_LUMA_SPREAD:
        return None
    coefficients = dctn(luma.astype(np.float64), type=2, norm="ortho")[:16, :16]
    bits = (coefficients > np.median(coefficients)).flatten()
    return int("".join("1" if bit else "0" for bit in bits), 2)


def _sampled_frames(source: str | BinaryIO) -> Iterator[np.ndarray]:
    with av.open(source) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        next_at = 0.0
        taken = 0
        for frame in container.decode(stream):
            if frame.time is None or frame.time + 1e-6 < next_at:
                continue
            yield frame.reformat(width=64, height=64, format="gray").to_ndarray()
            taken += 1
            next_at = frame.time + 1.0 / SAMPLES_PER_SECOND
            if taken >= MAX_SAMPLES:
                return


def video_hashes(source: str | BinaryIO) -> list[int]:
    """Hashes of frames sampled ``SAMPLES_PER_SECOND`` times a second (flat frames left out)."""
    hashes = (frame_hash(luma) for luma in _sampled_frames(source))
    return [h for h in hashes if h is not None]


def distance(a: int, b: int) -> int:
    """Bits in which two hashes differ."""
    return (a ^ b).bit_count()


def match_share(candidate: Iterable[int], reference: Iterable[int]) -> float:
    """Share of ``candidate``'s frames that match some frame of ``reference`` (0 to 1)."""
    frames = list(candidate)
    known = list(reference)
    if not frames or not known:
        return 0.0
    matched = sum(1 for h in frames if min(distance(h, k) for k in known) <= FRAME_DISTANCE)
    return matched / len(frames)


def to_hex(hashes: Iterable[int]) -> list[str]:
    return [f"{h:064x}" for h in hashes]


def from_hex(values: Iterable[str]) -> list[int]:
    return [int(v, 16) for v in values]
