"""Procedural picture generators that draw straight into yuv420p planes.

A scene is built once for a size and seed, then called with a time in seconds;
it returns a (height * 3 // 2, width) uint8 array, the layout
``av.VideoFrame.from_ndarray(..., format="yuv420p")`` takes. Drawing in YUV
avoids a colour conversion per frame: a 720x1280 frame costs about a millisecond.
Colours are given in RGB and converted with BT.601 limited range (FFmpeg's default).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

Scene = Callable[[float], np.ndarray]
WHITE = (235, 235, 235)


def make_scene(name: str, width: int, height: int, seed: int, color: tuple[int, int, int]) -> Scene:
    """Return ``scene(t_seconds) -> yuv420p ndarray`` for ``name`` (even width and height)."""
    factories = {
        "gradient": _gradient,
        "bouncing": _bouncing,
        "bars": _bars,
        "solid": _solid,
        "quadrants": _quadrants,
    }
    from .worlds import WORLDS

    factories.update(WORLDS)
    if name not in factories:
        raise ValueError(f"unknown scene {name!r}; choose from {sorted(factories)}")
    if width % 2 or height % 2:
        raise ValueError("width and height must be even for yuv420p")
    return factories[name](width, height, np.random.default_rng(seed), color)


def rgb_to_yuv(rgb: np.ndarray) -> np.ndarray:
    """Convert (..., 3) RGB values to (..., 3) limited-range BT.601 YUV, as uint8."""
    rgb = np.asarray(rgb, np.float32) / 255.0
    m = np.array(
        [[65.481, 128.553, 24.966], [-37.797, -74.203, 112.0], [112.0, -93.786, -18.214]],
        np.float32,
    )
    yuv = rgb @ m.T + np.array([16, 128, 128], np.float32)
    return np.clip(np.rint(yuv), 0, 255).astype(np.uint8)


def planes_from_rgb(rgb: np.ndarray) -> np.ndarray:
    """Convert an (h, w, 3) RGB image to a yuv420p (h*3/2, w) array."""
    yuv = rgb_to_yuv(rgb)
    h, w = yuv.shape[:2]
    chroma = yuv[::2, ::2, 1:]
    out = np.empty((h * 3 // 2, w), np.uint8)
    out[:h] = yuv[..., 0]
    out[h:].reshape(2, h // 2, w // 2)[0] = chroma[..., 0]
    out[h:].reshape(2, h // 2, w // 2)[1] = chroma[..., 1]
    return out


def _views(frame: np.ndarray, width: int, height: int):
    """The Y, U and V planes of a yuv420p array, as writable views."""
    chroma = frame[height:].reshape(2, height // 2, width // 2)
    return frame[:height], chroma[0], chroma[1]


def _gradient(width, height, rng, color) -> Scene:
    """A diagonal colour gradient scrolling over time (one 1-D LUT per frame; a pure
    translation, so encoders find the motion and the clip stays cheap to encode)."""
    phase = rng.uniform(0, 2 * np.pi, size=3).astype(np.float32)
    diag = np.arange(width + height, dtype=np.float32) * np.float32(np.pi / (width + height))

    def draw(t: float) -> np.ndarray:
        rgb = np.stack([np.sin(2 * diag + phase[c] + t * 1.2) for c in range(3)], -1)
        lut = rgb_to_yuv(rgb * 100 + 128)
        frame = np.empty((height * 3 // 2, width), np.uint8)
        y, u, v = _views(frame, width, height)
        y[:] = sliding_window_view(lut[:, 0], width)[:height]
        half = lut[::2]
        u[:] = sliding_window_view(half[:, 1], width // 2)[: height // 2]
        v[:] = sliding_window_view(half[:, 2], width // 2)[: height // 2]
        return frame

    return draw


def _bouncing(width, height, rng, color) -> Scene:
    """A ball bouncing over a dark vertical gradient."""
    rows = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    back = np.broadcast_to(
        np.stack([rows * 40 + 20, rows * 30 + 30, 90 - rows * 40], -1), (height, width, 3)
    )
    background = planes_from_rgb(back)
    radius = max(2, int(0.12 * min(width, height)))
    vx, vy = rng.uniform(0.25, 0.45, size=2)
    ball = rgb_to_yuv(color)
    yy, xx = np.mgrid[-radius:radius, -radius:radius]
    disc = xx**2 + yy**2 < radius**2

    def draw(t: float) -> np.ndarray:
        frame = background.copy()
        x0 = int(_bounce(t * vx, width - 2 * radius)) & ~1
        y0 = int(_bounce(t * vy, height - 2 * radius)) & ~1
        y, u, v = _views(frame, width, height)
        y[y0 : y0 + 2 * radius, x0 : x0 + 2 * radius][disc] = ball[0]
        small = disc[::2, ::2]
        sl = np.s_[y0 // 2 : y0 // 2 + radius, x0 // 2 : x0 // 2 + radius]
        u[sl][small], v[sl][small] = ball[1], ball[2]
        return frame

    return draw


def _bounce(position: float, span: float) -> float:
    """Triangle wave: a point moving ``position`` spans, bouncing inside ``span`` pixels."""
    p = (position % 2.0) * span
    return p if p <= span else 2 * span - p


def _bars(width, height, rng, color) -> Scene:
    """Seven colour bars with a white line sweeping across them."""
    palette = np.array(
        [
            [192, 192, 192],
            [192, 192, 0],
            [0, 192, 192],
            [0, 192, 0],
            [192, 0, 192],
            [192, 0, 0],
            [0, 0, 192],
        ],
        np.uint8,
    )
    columns = (np.arange(width) * 7 // width).clip(0, 6)
    base = planes_from_rgb(np.broadcast_to(palette[columns], (height, width, 3)))
    line_width = max(2, width // 60) & ~1

    def draw(t: float) -> np.ndarray:
        frame = base.copy()
        x = int((t * 0.5 % 1.0) * (width - line_width)) & ~1
        y, u, v = _views(frame, width, height)
        y[:, x : x + line_width] = 235
        u[:, x // 2 : (x + line_width) // 2] = 128
        v[:, x // 2 : (x + line_width) // 2] = 128
        return frame

    return draw


def _solid(width, height, rng, color) -> Scene:
    """One flat colour (used where tests compare colours)."""
    frame = planes_from_rgb(np.broadcast_to(np.array(color, np.uint8), (height, width, 3)))
    return lambda t: frame


def _quadrants(width, height, rng, color) -> Scene:
    """Red top-left, green top-right, blue bottom-left, white bottom-right."""
    rgb = np.empty((height, width, 3), np.uint8)
    h2, w2 = height // 2, width // 2
    rgb[:h2, :w2], rgb[:h2, w2:] = (220, 20, 20), (20, 220, 20)
    rgb[h2:, :w2], rgb[h2:, w2:] = (20, 20, 220), WHITE
    frame = planes_from_rgb(rgb)
    return lambda t: frame
