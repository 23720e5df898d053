"""``make_music``: procedural background music per genre, encoded as AAC in .m4a.

A genre fixes the tempo, key and mode, chord progression, instruments, drum
patterns (16 steps a bar), swing and master effects; the seed varies the melody
and the drum humanisation. Chords change every bar, the bass follows the chord
roots, the lead walks the scale landing on chord tones on the beat.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import numpy as np

from .audiofile import write_audio
from .instruments import RATE, drum, voice

MODES = {
    "major": [0, 2, 4, 5, 7, 9, 11],
    "minor": [0, 2, 3, 5, 7, 8, 10],
    "dorian": [0, 2, 3, 5, 7, 9, 10],
    "lydian": [0, 2, 4, 6, 7, 9, 11],
}


@dataclass(frozen=True)
class Genre:
    """The musical recipe of one genre."""

    bpm: float
    key: int  # MIDI note of the tonic (octave 4)
    mode: str
    progression: tuple[int, ...]  # chord roots as scale degrees, one per bar
    chords: str  # instrument voice for chords
    bass: str | None
    lead: str
    drums: dict[str, str] = field(default_factory=dict)  # hit -> 16-step pattern
    swing: float = 0.5  # 0.5 = straight
    lead_density: float = 0.5  # chance of a lead note on each eighth
    arpeggio: bool = False  # chords played as 16th arpeggios
    lowpass_hz: float | None = None
    reverb: float = 0.15
    crackle: bool = False


GENRES: dict[str, Genre] = {
    "lofi": Genre(
        76,
        62,
        "dorian",
        (0, 3, 6, 4),
        "epiano",
        "sine",
        "epiano",
        {"kick": "x.....x..x......", "snare": "....x.......x...", "hat": "x.x.x.x.x.x.x.x."},
        swing=0.62,
        lead_density=0.3,
        lowpass_hz=3500,
        reverb=0.25,
        crackle=True,
    ),
    "electronic": Genre(
        124,
        57,
        "minor",
        (0, 5, 2, 6),
        "pad",
        "saw",
        "saw",
        {
            "kick": "x...x...x...x...",
            "clap": "....x.......x...",
            "openhat": "..x...x...x...x.",
            "hat": "xxxxxxxxxxxxxxxx",
        },
        lead_density=0.0,
        arpeggio=True,
        reverb=0.2,
    ),
    "pop": Genre(
        108,
        67,
        "major",
        (0, 4, 5, 3),
        "pad",
        "sine",
        "square",
        {"kick": "x.......x.x.....", "clap": "....x.......x...", "hat": "x.x.x.x.x.x.x.x."},
        lead_density=0.6,
        reverb=0.15,
    ),
    "acoustic": Genre(
        92,
        64,
        "major",
        (0, 5, 3, 4),
        "pluck",
        "pluck",
        "pluck",
        {"shaker": "x.x.x.x.x.x.x.x.", "rim": "....x.......x..."},
        lead_density=0.35,
        arpeggio=True,
        reverb=0.3,
    ),
    "hiphop": Genre(
        88,
        60,
        "minor",
        (0, 0, 5, 4),
        "epiano",
        "sub808",
        "bell",
        {"kick": "x.....x...x.....", "snare": "....x.......x...", "hat": "x.xxx.xxx.xxx.xx"},
        swing=0.56,
        lead_density=0.25,
        lowpass_hz=9000,
        reverb=0.15,
    ),
    "ambient": Genre(
        64,
        65,
        "lydian",
        (0, 1, 4, 0),
        "pad",
        None,
        "bell",
        {},
        lead_density=0.15,
        lowpass_hz=6000,
        reverb=0.6,
    ),
}


def make_music(
    path: str | os.PathLike, *, genre: str = "lofi", seconds: float = 30.0, seed: int = 0
) -> str:
    """Write ``seconds`` of procedural ``genre`` music (see ``GENRES``) to ``path`` (.m4a)."""
    return write_audio(path, compose(genre, seconds, seed), RATE)


def compose(genre: str, seconds: float, seed: int) -> np.ndarray:
    """Render the music as stereo float32 samples (n, 2) at 44.1 kHz."""
    if genre not in GENRES:
        raise ValueError(f"unknown genre {genre!r}; choose from {sorted(GENRES)}")
    g, rng = GENRES[genre], np.random.default_rng(seed)
    bar = 4 * 60.0 / g.bpm
    bars = math.ceil(seconds / bar) + 1
    mix = np.zeros((int((bars + 1) * bar * RATE), 2), np.float32)
    _chords(mix, g, bars, bar)
    _bass(mix, g, bars, bar)
    _lead(mix, g, bars, bar, rng)
    _drums(mix, g, bars, bar, rng)
    return _master(mix[: int(seconds * RATE)], g, rng)


def _scale_note(g: Genre, degree: int, octave: int = 0) -> int:
    steps = MODES[g.mode]
    return g.key + 12 * (octave + degree // 7) + steps[degree % 7]


def _chord(g: Genre, root: int) -> list[int]:
    return [_scale_note(g, root + k) for k in (0, 2, 4, 6)]


def _place(mix: np.ndarray, signal: np.ndarray, at: float, gain: float, pan: float) -> None:
    start = int(at * RATE)
    end = min(len(mix), start + len(signal))
    if end <= start:
        return
    part = signal[: end - start] * gain
    mix[start:end, 0] += part * (1 - pan) / 2 * 2**0.5
    mix[start:end, 1] += part * (1 + pan) / 2 * 2**0.5


def _step_time(g: Genre, bar_index: int, step: int, bar: float) -> float:
    """Start of 16th ``step`` in a bar, with swing applied to the off-beat 16ths."""
    sixteenth = bar / 16
    swing = (g.swing - 0.5) * 2 * sixteenth if step % 2 else 0.0
    return bar_index * bar + step * sixteenth + swing


def _chords(mix, g: Genre, bars: int, bar: float) -> None:
    for b in range(bars):
        notes = _chord(g, g.progression[b % len(g.progression)])
        if g.arpeggio:
            for step in range(16):
                note = notes[step % 4] + (12 if step % 8 >= 4 else 0)
                _place(
                    mix,
                    voice(g.chords, note, bar / 4),
                    _step_time(g, b, step, bar),
                    0.12,
                    0.3 * (-1) ** step,
                )
        else:
            for i, note in enumerate(notes):
                _place(mix, voice(g.chords, note - 12, bar), b * bar, 0.11, -0.4 + 0.27 * i)


def _bass(mix, g: Genre, bars: int, bar: float) -> None:
    if g.bass is None:
        return
    for b in range(bars):
        root = _scale_note(g, g.progression[b % len(g.progression)], octave=-2)
        steps = (2, 6, 10, 14) if g.bass == "saw" else (0, 8, 11)
        for step in steps:
            _place(mix, voice(g.bass, root, bar / 5), _step_time(g, b, step, bar), 0.35, 0.0)


def _lead(mix, g: Genre, bars: int, bar: float, rng: np.random.Generator) -> None:
    degree = 7
    for b in range(bars):
        chord_degrees = [g.progression[b % len(g.progression)] + k for k in (0, 2, 4)]
        for step in range(0, 16, 2):
            if rng.random() >= g.lead_density:
                continue
            on_beat = step % 4 == 0
            degree = _next_degree(degree, chord_degrees, on_beat, rng)
            length = bar / 8 * rng.choice([1, 1, 2, 3])
            _place(
                mix,
                voice(g.lead, _scale_note(g, degree), length),
                _step_time(g, b, step, bar),
                0.16,
                0.15,
            )


def _next_degree(degree: int, chord: list[int], on_beat: bool, rng) -> int:
    """A melodic random walk within two octaves, snapping to chord tones on the beat."""
    if on_beat:
        candidates = [c + 7 * o for c in chord for o in (0, 1)]
        return int(min(candidates, key=lambda c: abs(c - degree) + rng.random()))
    return int(np.clip(degree + rng.choice([-2, -1, 1, 2]), 3, 13))


def _drums(mix, g: Genre, bars: int, bar: float, rng: np.random.Generator) -> None:
    gains = {
        "kick": 0.55,
        "snare": 0.35,
        "clap": 0.3,
        "hat": 0.12,
        "openhat": 0.1,
        "shaker": 0.1,
        "rim": 0.2,
    }
    pans = {"hat": 0.3, "openhat": -0.3, "shaker": 0.35, "rim": -0.2}
    for name, pattern in g.drums.items():
        for b in range(bars):
            for step, hit in enumerate(pattern):
                if hit == "x":
                    gain = gains[name] * rng.uniform(0.8, 1.0)
                    _place(
                        mix, drum(name, rng), _step_time(g, b, step, bar), gain, pans.get(name, 0.0)
                    )


def _master(mix: np.ndarray, g: Genre, rng: np.random.Generator) -> np.ndarray:
    if g.lowpass_hz:
        mix = _lowpass(mix, g.lowpass_hz)
    if g.reverb:
        mix = mix + g.reverb * _reverb(mix, rng)
    if g.crackle:
        mix = mix + _crackle(len(mix), rng)[:, None]
    mix *= 0.16 / max(float(np.sqrt(np.mean(mix**2))), 1e-6)
    mix = 0.89 * np.tanh(mix * 1.1) / np.tanh(1.1)
    return _fades(mix.astype(np.float32))


def _lowpass(mix: np.ndarray, cutoff: float) -> np.ndarray:
    spectrum = np.fft.rfft(mix, axis=0)
    freqs = np.fft.rfftfreq(len(mix), 1 / RATE)
    spectrum *= (1 / np.sqrt(1 + (freqs / cutoff) ** 4))[:, None]
    return np.fft.irfft(spectrum, n=len(mix), axis=0).astype(np.float32)


def _reverb(mix: np.ndarray, rng, seconds: float = 1.6) -> np.ndarray:
    """Convolution with decaying noise (a different impulse per channel for width)."""
    t = np.arange(int(seconds * RATE)) / RATE
    n = len(mix) + len(t)
    size = 1 << (n - 1).bit_length()
    wet = np.empty_like(mix)
    for ch in range(2):
        ir = rng.standard_normal(len(t)) * np.exp(-t * 4.5) * 0.02
        full = np.fft.irfft(np.fft.rfft(mix[:, ch], size) * np.fft.rfft(ir, size), size)
        wet[:, ch] = full[: len(mix)]
    return _lowpass(wet, 4000)


def _crackle(n: int, rng) -> np.ndarray:
    clicks = (rng.random(n) < 8 / RATE) * rng.uniform(-0.3, 0.3, n)
    hiss = rng.standard_normal(n) * 0.004
    return (clicks + hiss).astype(np.float32)


def _fades(mix: np.ndarray) -> np.ndarray:
    fade_in, fade_out = min(len(mix), RATE // 50), min(len(mix), RATE)
    mix[:fade_in] *= np.linspace(0, 1, fade_in, dtype=np.float32)[:, None]
    mix[len(mix) - fade_out :] *= np.linspace(1, 0, fade_out, dtype=np.float32)[:, None]
    return mix
