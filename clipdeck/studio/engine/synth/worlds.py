"""Livelier procedural scenes for the demo: parallax landscapes with depth.

Each world is a sky plus layers that scroll sideways at speeds set by their
depth (far layers slow and pale, near ones fast and dark), built once as YUV
planes with a mask; a frame is the sky with each layer, rolled by its offset,
copied where its mask is set. Everything is tileable sideways, so the scroll
never ends, and the palette comes from the creator's colour.
"""

from __future__ import annotations

import numpy as np

from .scenes import Scene, planes_from_rgb, rgb_to_yuv


class Layer:
    """A tileable picture with a mask, in yuv420p planes, scrolling at ``speed`` px/s."""

    def __init__(self, rgb: np.ndarray, mask: np.ndarray, speed: float) -> None:
        height, width = mask.shape
        planes = planes_from_rgb(rgb)
        chroma = planes[height:].reshape(2, height // 2, width // 2)
        self.y, self.u, self.v = planes[:height], chroma[0], chroma[1]
        rows = np.flatnonzero(mask.any(axis=1))
        # Only the band of rows the layer covers is touched per frame.
        self.top = int(rows[0]) & ~1 if rows.size else 0
        self.bottom = (int(rows[-1]) + 2) & ~1 if rows.size else 0
        band = np.s_[self.top : self.bottom]
        half = np.s_[self.top // 2 : self.bottom // 2]
        self.y, self.mask = self.y[band], mask[band]
        self.u, self.v, self.mask2 = self.u[half], self.v[half], mask[::2, ::2][half]
        self.speed = speed

    def paint(self, y, u, v, t: float) -> None:
        if self.bottom <= self.top:
            return
        shift = int(t * self.speed) & ~1
        half = shift // 2
        band = np.s_[self.top : self.bottom]
        small = np.s_[self.top // 2 : self.bottom // 2]
        if shift == 0:
            np.copyto(y[band], self.y, where=self.mask)
            np.copyto(u[small], self.u, where=self.mask2)
            np.copyto(v[small], self.v, where=self.mask2)
            return
        np.copyto(y[band], np.roll(self.y, shift, axis=1), where=np.roll(self.mask, shift, axis=1))
        mask2 = np.roll(self.mask2, half, axis=1)
        np.copyto(u[small], np.roll(self.u, half, axis=1), where=mask2)
        np.copyto(v[small], np.roll(self.v, half, axis=1), where=mask2)


def _mix(a, b, f):
    return np.asarray(a, np.float32) * (1 - f) + np.asarray(b, np.float32) * f


def _sky(width, height, top, bottom) -> np.ndarray:
    rows = np.linspace(0, 1, height, dtype=np.float32)[:, None, None]
    return np.broadcast_to(_mix(top, bottom, rows), (height, width, 3))


def _ridge(width, height, rng, base: float, rough: float) -> np.ndarray:
    """Row of the skyline at each column: a sum of sines that wraps around."""
    x = np.arange(width, dtype=np.float32) / width * 2 * np.pi
    line = np.zeros(width, np.float32)
    for k in (1, 2, 3, 5, 8):
        line += np.sin(k * x + rng.uniform(0, 2 * np.pi)) * rough / k
    return (base + line) * height


def _below(width, height, ridge) -> np.ndarray:
    rows = np.arange(height, dtype=np.float32)[:, None]
    return rows >= ridge[None, :]


def _disc(width, height, cx, cy, radius) -> np.ndarray:
    yy, xx = np.mgrid[0:height, 0:width]
    return (xx - cx) ** 2 + (yy - cy) ** 2 < radius**2


def _hills(width, height, rng, color) -> Scene:
    """A sunset over rolling hills: three layers of depth and a low sun."""
    accent = np.array(color, np.float32)
    top, bottom = _mix((20, 24, 70), accent, 0.25), _mix((255, 170, 90), accent, 0.35)
    sky = planes_from_rgb(_sky(width, height, top, bottom))
    sun = Layer(
        np.broadcast_to(np.array((255, 236, 190), np.uint8), (height, width, 3)),
        _disc(width, height, width * 0.62, height * 0.48, min(width, height) * 0.11),
        0.0,
    )
    layers = [sun]
    for depth, (base, rough, speed) in enumerate(
        ((0.52, 0.05, 6), (0.64, 0.06, 18), (0.78, 0.07, 45))
    ):
        shade = _mix(bottom * 0.55, (12, 14, 30), depth / 2.5)
        rgb = np.broadcast_to(np.clip(shade, 0, 255).astype(np.uint8), (height, width, 3))
        layers.append(
            Layer(rgb, _below(width, height, _ridge(width, height, rng, base, rough)), speed)
        )
    return _compose(width, height, sky, layers)


def _city(width, height, rng, color) -> Scene:
    """A city at night: far and near skylines with lit windows that flicker, and stars."""
    accent = np.array(color, np.float32)
    sky_rgb = np.array(_sky(width, height, (6, 8, 24), _mix((40, 30, 70), accent, 0.4)))
    stars = rng.random((height, width)) > 0.9993
    sky_rgb[stars & (np.arange(height)[:, None] < height * 0.5)] = (240, 240, 255)
    sky = planes_from_rgb(sky_rgb.astype(np.uint8))
    layers = []
    windows_on = []
    for depth, (base, speed, block) in enumerate(((0.5, 10, 26), (0.62, 32, 40))):
        tops = (
            np.repeat(rng.uniform(base - 0.18, base + 0.05, size=width // block + 1), block)[:width]
            * height
        )
        mask = _below(width, height, tops)
        rgb = np.empty((height, width, 3), np.uint8)
        rgb[:] = np.clip(_mix((18, 18, 34), accent * 0.3, 0.3 - depth * 0.2), 0, 255)
        lit = (rng.random((height // 12 + 1, width // 10 + 1)) > 0.55).repeat(12, 0).repeat(10, 1)
        grid = np.zeros((height, width), bool)
        grid[4::12, 3::10] = True
        grid[5::12, 3::10] = grid[6::12, 3::10] = True
        grid[4::12, 4::10] = grid[5::12, 4::10] = grid[6::12, 4::10] = True
        glow = grid & lit[:height, :width] & mask
        rgb[glow] = np.clip(_mix((255, 210, 120), accent, 0.25), 0, 255)
        layers.append(Layer(rgb, mask, speed))
        windows_on.append(glow)
    road = np.zeros((height, width), bool)
    road[int(height * 0.9) :, :] = True
    layers.append(Layer(np.full((height, width, 3), 14, np.uint8), road, 0))
    streak = np.zeros((height, width), bool)
    streak[int(height * 0.93) : int(height * 0.935) + 2, : width // 5] = True
    layers.append(
        Layer(np.broadcast_to(np.array((255, 80, 60), np.uint8), (height, width, 3)), streak, 140)
    )
    return _compose(width, height, sky, layers)


def _ocean(width, height, rng, color) -> Scene:
    """Waves rolling in under a bright sky: bands of water moving faster as they come near."""
    accent = np.array(color, np.float32)
    sky = planes_from_rgb(_sky(width, height, _mix((110, 170, 235), accent, 0.2), (235, 240, 250)))
    layers = [
        Layer(
            np.broadcast_to(np.array((255, 250, 225), np.uint8), (height, width, 3)),
            _disc(width, height, width * 0.3, height * 0.3, min(width, height) * 0.08),
            0,
        )
    ]
    for depth in range(4):
        base = 0.5 + depth * 0.12
        water = _mix(_mix((20, 90, 150), accent, 0.2), (8, 40, 80), depth / 3)
        rgb = np.broadcast_to(np.clip(water, 0, 255).astype(np.uint8), (height, width, 3)).copy()
        ridge = _ridge(width, height, rng, base, 0.015 + depth * 0.006)
        rows = np.arange(height)[:, None]
        crest = (rows >= ridge[None, :]) & (rows < ridge[None, :] + 3 + depth * 2)
        rgb[crest] = (235, 245, 250)
        layers.append(Layer(rgb, _below(width, height, ridge), 12 + depth * 22))
    return _compose(width, height, sky, layers)


def _bokeh(width, height, rng, color) -> Scene:
    """Soft lights drifting up at three depths over a deep gradient (a festive close-up)."""
    accent = np.array(color, np.float32)
    sky = planes_from_rgb(_sky(width, height, _mix((10, 8, 20), accent, 0.2), (30, 12, 40)))
    layers = []
    for depth, (count, radius, speed) in enumerate(((14, 0.05, 8), (9, 0.08, 20), (5, 0.12, 40))):
        mask = np.zeros((height, width), bool)
        for _ in range(count):
            cx, cy = rng.uniform(0, width), rng.uniform(0, height)
            mask |= _disc(width, height, cx, cy, radius * width)
        tint = _mix(accent, (255, 230, 160), rng.uniform(0.2, 0.7))
        rgb = np.broadcast_to(
            np.clip(tint * (0.6 + depth * 0.2), 0, 255).astype(np.uint8), (height, width, 3)
        )
        layers.append(Layer(rgb, mask, speed))
    return _compose(width, height, sky, layers)


def _compose(width, height, sky: np.ndarray, layers: list[Layer]) -> Scene:
    def draw(t: float) -> np.ndarray:
        frame = sky.copy()
        chroma = frame[height:].reshape(2, height // 2, width // 2)
        y, u, v = frame[:height], chroma[0], chroma[1]
        for layer in layers:
            layer.paint(y, u, v, t)
        return frame

    return draw


WORLDS = {"hills": _hills, "city": _city, "ocean": _ocean, "bokeh": _bokeh}
__all__ = ["WORLDS", "rgb_to_yuv"]
