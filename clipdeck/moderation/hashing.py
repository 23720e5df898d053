"""Perceptual frame hashes in the manner of PDQ, on frames PyAV decodes.

For each sampled frame: its luminance, scaled to 64×64, a 2-D DCT, the
16×16 block of lowest frequencies, and one bit per coefficient: above the
block's median or not (256 bits). Re-encoding, scaling, trimming and colour
filters move few bits; unrelated frames differ in about half. Two frames
match when their hashes differ in at most ``FRAME_DISTANCE`` bits (PDQ's own
recommended threshold is 31 of 256). A video matches a fingerprint when most
of its sampled frames match some frame of it (:func:`match_share`), which is
what lets a trimmed copy match. The removed video is sampled densely
(``REFERENCE_PER_SECOND``) and an upload sparsely (``SAMPLES_PER_SECOND``), so
that each sampled frame of a trimmed copy lies close in time to some reference
frame whatever the cut.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO

import av
import numpy as np
from scipy.fft import dctn

FRAME_DISTANCE = 31
SAMPLES_PER_SECOND = 2
REFERENCE_PER_SECOND = 10
MAX_SAMPLES = 600
# Frames too flat to carry a signal (a black frame) hash to noise: skip them.
MIN_LUMA_SPREAD = 4.0


# Mirroring a frame left to right flips the sign of the DCT's odd columns (as PDQ's
# dihedral hashes use): the mirrored frame's hash comes from the same coefficients.
_MIRROR = np.where(np.arange(16) % 2 == 1, -1.0, 1.0)[None, :]


def _coefficients(luma: np.ndarray) -> np.ndarray | None:
    if float(luma.std()) < MIN_LUMA_SPREAD:
        return None
    return dctn(luma.astype(np.float64), type=2, norm="ortho")[:16, :16]


def _bits(coefficients: np.ndarray) -> int:
    bits = (coefficients > np.median(coefficients)).flatten()
    return int("".join("1" if bit else "0" for bit in bits), 2)


def frame_hash(luma: np.ndarray, *, mirrored: bool = False) -> int | None:
    """The 256-bit hash of a 64×64 luminance array (or of its mirror image), or None
    for a flat frame."""
    coefficients = _coefficients(luma)
    if coefficients is None:
        return None
    return _bits(coefficients * _MIRROR if mirrored else coefficients)


def _sampled_frames(source: str | BinaryIO, per_second: float) -> Iterator[np.ndarray]:
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
            next_at = frame.time + 1.0 / per_second
            if taken >= MAX_SAMPLES:
                return


def video_hashes(source: str | BinaryIO, *, per_second: float = SAMPLES_PER_SECOND) -> list[int]:
    """Hashes of frames sampled ``per_second`` times a second (flat frames left out)."""
    hashes = (frame_hash(luma) for luma in _sampled_frames(source, per_second))
    return [h for h in hashes if h is not None]


def upload_hashes(source: str | BinaryIO) -> tuple[list[int], list[int]]:
    """An upload's frame hashes and those of its mirror image, from one decoding pass."""
    plain, mirrored = [], []
    for luma in _sampled_frames(source, SAMPLES_PER_SECOND):
        coefficients = _coefficients(luma)
        if coefficients is not None:
            plain.append(_bits(coefficients))
            mirrored.append(_bits(coefficients * _MIRROR))
    return plain, mirrored


def distance(a: int, b: int) -> int:
    """Bits in which two hashes differ."""
    return (a ^ b).bit_count()


def as_array(hashes: Iterable[int]) -> np.ndarray:
    """Hashes as a ``(n, 32)`` array of bytes, for vectorised distances."""
    rows = [h.to_bytes(32, "big") for h in hashes]
    return np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(len(rows), 32)


def nearest_distances(candidate: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """For each candidate hash, the distance to its nearest reference hash."""
    xor = candidate[:, None, :] ^ reference[None, :, :]
    return np.unpackbits(xor, axis=2).sum(axis=2).min(axis=1)


def match_share(
    candidate: Iterable[int], reference: Iterable[int], mirrored: Iterable[int] = ()
) -> float:
    """Share of ``candidate``'s frames that match some frame of ``reference`` (0 to 1).

    With ``mirrored`` (the candidate's mirror-image hashes, frame by frame), a
    frame also matches when its mirror image does, and the better of the two
    images is taken for the whole video.
    """
    frames, known, flipped = list(candidate), list(reference), list(mirrored)
    if not frames or not known:
        return 0.0
    reference_array = as_array(known)
    share = float((nearest_distances(as_array(frames), reference_array) <= FRAME_DISTANCE).mean())
    if flipped:
        nearest = nearest_distances(as_array(flipped), reference_array)
        share = max(share, float((nearest <= FRAME_DISTANCE).mean()))
    return share


def to_hex(hashes: Iterable[int]) -> list[str]:
    return [f"{h:064x}" for h in hashes]


def from_hex(values: Iterable[str]) -> list[int]:
    return [int(v, 16) for v in values]
