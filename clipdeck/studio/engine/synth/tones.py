"""Simple soundtracks for synthetic clips: a steady tone, a short melody, tone segments."""

from __future__ import annotations

import numpy as np

A4 = 440.0


def tone(hz: float, seconds: float, rate: int, amplitude: float = 0.3) -> np.ndarray:
    """A stereo sine (samples, 2) float32 with 10 ms fades at both ends."""
    n = round(seconds * rate)
    t = np.arange(n, dtype=np.float64) / rate
    mono = (amplitude * np.sin(2 * np.pi * hz * t)).astype(np.float32)
    return _stereo(_fade(mono, rate))


def segments(parts: list[tuple[float, float]], rate: int, amplitude: float = 0.3) -> np.ndarray:
    """Tones played one after the other: ``parts`` is a list of (hz, seconds)."""
    return np.concatenate([tone(hz, seconds, rate, amplitude) for hz, seconds in parts])


def melody(seconds: float, rate: int, seed: int, amplitude: float = 0.25) -> np.ndarray:
    """A looping pentatonic melody of soft plucked notes (four notes a second)."""
    rng = np.random.default_rng(seed)
    n = round(seconds * rate)
    out = np.zeros(n, np.float32)
    note_len = rate // 4
    steps = np.array([0, 2, 4, 7, 9, 12])
    for start in range(0, n, note_len):
        hz = A4 * 2 ** (rng.choice(steps) / 12)
        length = min(note_len, n - start)
        t = np.arange(length) / rate
        env = np.exp(-t * 6.0)
        out[start : start + length] = amplitude * env * np.sin(2 * np.pi * hz * t)
    return _stereo(_fade(out, rate))


def _fade(mono: np.ndarray, rate: int) -> np.ndarray:
    k = min(len(mono) // 2, rate // 100)
    if k:
        ramp = np.linspace(0, 1, k, dtype=np.float32)
        mono[:k] *= ramp
        mono[-k:] *= ramp[::-1]
    return mono


def _stereo(mono: np.ndarray) -> np.ndarray:
    return np.stack([mono, mono], axis=1)
