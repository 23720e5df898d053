"""Synthesised instruments: pitched voices and drum hits as mono float32 numpy arrays.

Each function returns one note or hit; ``music.py`` places them on a timeline.
All are vectorised (additive synthesis, no per-sample Python loops).
"""

from __future__ import annotations

import numpy as np

RATE = 44100


def midi_hz(note: float) -> float:
    """Frequency of a MIDI note number (69 = A4 = 440 Hz)."""
    return 440.0 * 2 ** ((note - 69) / 12)


def _t(seconds: float) -> np.ndarray:
    return np.arange(int(seconds * RATE), dtype=np.float32) / RATE


def envelope(n: int, attack: float, release: float, sustain: float = 1.0) -> np.ndarray:
    """A linear attack, flat sustain and linear release over ``n`` samples."""
    env = np.full(n, sustain, np.float32)
    a, r = min(n, int(attack * RATE)), min(n, int(release * RATE))
    if a:
        env[:a] = np.linspace(0, sustain, a, dtype=np.float32)
    if r:
        env[n - r :] *= np.linspace(1, 0, r, dtype=np.float32)
    return env


def _harmonics(hz: float, t: np.ndarray, weights, decays=None) -> np.ndarray:
    """Sum of harmonics k*hz with given weights (and per-harmonic decay rates), band-limited."""
    out = np.zeros_like(t)
    for k, w in enumerate(weights, start=1):
        if k * hz >= RATE / 2 or w == 0:
            continue
        partial = w * np.sin(2 * np.pi * k * hz * t)
        out += partial * np.exp(-decays[k - 1] * t) if decays is not None else partial
    return out


def voice(kind: str, note: float, seconds: float) -> np.ndarray:
    """One pitched note of ``kind`` (sine, epiano, saw, square, pluck, bell, pad, sub808)."""
    hz, t = midi_hz(note), _t(seconds)
    if t.size == 0:
        return t
    return VOICES[kind](hz, t).astype(np.float32)


def _sine(hz, t):
    return np.sin(2 * np.pi * hz * t) * envelope(t.size, 0.01, 0.05)


def _epiano(hz, t):
    tone = _harmonics(hz, t, [1.0, 0.35, 0.0, 0.08], decays=[2.0, 4.0, 0.0, 9.0])
    bell = 0.12 * np.sin(2 * np.pi * 7 * hz * t) * np.exp(-t * 25)
    tremolo = 1 + 0.15 * np.sin(2 * np.pi * 4.5 * t)
    return (tone + bell) * tremolo * envelope(t.size, 0.005, 0.08)


def _saw(hz, t):
    tone = _harmonics(hz, t, [1 / k for k in range(1, 16)])
    return 0.6 * tone * envelope(t.size, 0.005, 0.05, 0.9) * np.exp(-t * 1.5)


def _square(hz, t):
    tone = _harmonics(hz, t, [1 / k if k % 2 else 0 for k in range(1, 16)])
    return 0.7 * tone * envelope(t.size, 0.01, 0.06, 0.8)


def _pluck(hz, t):
    weights = [1 / k for k in range(1, 11)]
    decays = [2.5 + 1.8 * k for k in range(1, 11)]
    return _harmonics(hz, t, weights, decays) * envelope(t.size, 0.002, 0.05)


def _bell(hz, t):
    out = np.zeros_like(t)
    for ratio, weight, decay in [
        (1, 1.0, 1.5),
        (2.76, 0.5, 3.0),
        (5.4, 0.25, 5.0),
        (8.93, 0.12, 8.0),
    ]:
        if ratio * hz < RATE / 2:
            out += weight * np.sin(2 * np.pi * ratio * hz * t) * np.exp(-decay * t)
    return out * envelope(t.size, 0.002, 0.1)


def _pad(hz, t):
    out = np.zeros_like(t)
    for cents in (-8, 0, 8):
        out += _harmonics(hz * 2 ** (cents / 1200), t, [1 / k for k in range(1, 7)])
    return 0.35 * out * envelope(t.size, min(0.6, t[-1] / 3), min(0.8, t[-1] / 3))


def _sub808(hz, t):
    glide = hz * (1 + 0.5 * np.exp(-t * 40))
    phase = 2 * np.pi * np.cumsum(glide) / RATE
    return np.tanh(1.8 * np.sin(phase) * np.exp(-t * 2.2)) * envelope(t.size, 0.003, 0.06)


VOICES = {
    "sine": _sine,
    "epiano": _epiano,
    "saw": _saw,
    "square": _square,
    "pluck": _pluck,
    "bell": _bell,
    "pad": _pad,
    "sub808": _sub808,
}


def drum(kind: str, rng: np.random.Generator) -> np.ndarray:
    """One drum hit: kick, snare, clap, hat, openhat, shaker, rim."""
    return DRUMS[kind](rng).astype(np.float32)


def _kick(rng):
    t = _t(0.4)
    freq = 48 + 110 * np.exp(-t * 35)
    return np.sin(2 * np.pi * np.cumsum(freq) / RATE) * np.exp(-t * 9)


def _snare(rng):
    t = _t(0.25)
    noise = np.diff(rng.standard_normal(t.size + 1)).astype(np.float32) * 0.5
    body = np.sin(2 * np.pi * 185 * t) * np.exp(-t * 30)
    return 0.55 * noise * np.exp(-t * 20) + 0.5 * body


def _clap(rng):
    t = _t(0.3)
    noise = np.diff(rng.standard_normal(t.size + 1)).astype(np.float32) * 0.5
    bursts = sum(np.exp(-np.maximum(t - d, 0) * 60) * (t >= d) for d in (0, 0.011, 0.023))
    return 0.5 * noise * (bursts + np.exp(-t * 12) * 0.4)


def _hat(rng, decay=70.0, seconds=0.08):
    t = _t(seconds)
    noise = np.diff(np.diff(rng.standard_normal(t.size + 2))).astype(np.float32) * 0.25
    return noise * np.exp(-t * decay)


def _openhat(rng):
    return _hat(rng, decay=12.0, seconds=0.3)


def _shaker(rng):
    t = _t(0.12)
    noise = np.diff(rng.standard_normal(t.size + 1)).astype(np.float32) * 0.3
    return noise * np.sin(np.pi * t / t[-1]) ** 2


def _rim(rng):
    t = _t(0.05)
    return np.sin(2 * np.pi * 820 * t) * np.exp(-t * 90)


DRUMS = {
    "kick": _kick,
    "snare": _snare,
    "clap": _clap,
    "hat": _hat,
    "openhat": _openhat,
    "shaker": _shaker,
    "rim": _rim,
}
