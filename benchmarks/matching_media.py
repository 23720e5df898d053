"""Test media for re-upload matching: distinct procedural videos and altered copies.

``make_scene_video(path, seed)`` writes a short H.264 clip whose look is set by
``seed``: a smooth random texture drifting across the frame with moving discs,
so that two seeds give unrelated videos. ``altered_copy`` writes what someone
re-uploading it might make of it: re-encoded smaller at a lower quality,
trimmed, under a colour filter, in greyscale, cropped by a tenth on each side,
or mirrored.
"""

from __future__ import annotations

import av
import numpy as np
from scipy.ndimage import gaussian_filter

ALTERATIONS = ("reencoded", "trimmed", "filtered", "grey", "cropped", "mirrored")


def _texture(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """A smooth random picture: a luminance field with a gentle colour tint, its values
    spread over the whole range (channels correlated, as in real footage)."""
    noise = rng.random((height * 2, width * 2))
    smooth = gaussian_filter(noise, sigma=(rng.uniform(6, 20), rng.uniform(6, 20)))
    luma = smooth.argsort(axis=None).argsort().reshape(smooth.shape) / smooth.size
    tint = rng.uniform(0.7, 1.0, size=3)
    return (luma[..., None] * tint * 255).astype(np.uint8)


def scene_frames(seed: int, *, seconds: float, width: int, height: int, fps: int):
    """RGB frames of the procedural scene of ``seed``."""
    rng = np.random.default_rng(seed)
    texture = _texture(rng, height, width)
    discs = rng.uniform(0, 1, size=(4, 5))  # x, y, dx, dy, radius
    ys, xs = np.mgrid[0:height, 0:width]
    count = int(seconds * fps)
    for i in range(count):
        t = i / fps
        ox = int((np.sin(t * 0.35 + seed) * 0.5 + 0.5) * width)
        oy = int((np.cos(t * 0.25 + seed) * 0.5 + 0.5) * height)
        frame = texture[oy : oy + height, ox : ox + width].copy()
        for x, y, dx, dy, r in discs:
            cx = ((x + (dx - 0.5) * t * 0.4) % 1.0) * width
            cy = ((y + (dy - 0.5) * t * 0.4) % 1.0) * height
            mask = (xs - cx) ** 2 + (ys - cy) ** 2 < (10 + r * width * 0.15) ** 2
            frame[mask] = (255 * np.array([x, y, r])).astype(np.uint8)
        yield frame


def write_frames(path, frames, *, width: int, height: int, fps: int, crf: int = 23) -> str:
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"crf": str(crf), "preset": "veryfast"}
        for rgb in frames:
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return str(path)


def make_scene_video(
    path, seed: int, *, seconds: float = 6.0, width: int = 240, height: int = 426, fps: int = 15
) -> str:
    """A clip of the procedural scene of ``seed``."""
    frames = scene_frames(seed, seconds=seconds, width=width, height=height, fps=fps)
    return write_frames(path, frames, width=width, height=height, fps=fps)


def _decoded(path) -> tuple[list[np.ndarray], int]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        fps = round(float(stream.average_rate or 15))
        return [f.to_ndarray(format="rgb24") for f in container.decode(stream)], fps


def _warm_contrast(rgb: np.ndarray) -> np.ndarray:
    x = rgb.astype(np.float32) / 255.0
    x = np.clip((x - 0.5) * 1.25 + 0.5, 0, 1) ** 0.85
    x *= np.array([1.08, 0.98, 0.82], dtype=np.float32)
    return (np.clip(x, 0, 1) * 255).astype(np.uint8)


def altered_copy(source, path, alteration: str) -> str:
    """A copy of ``source`` altered as ``alteration`` (one of ``ALTERATIONS``) says."""
    frames, fps = _decoded(source)
    height, width = frames[0].shape[:2]
    if alteration == "reencoded":
        w, h = (width * 3 // 4) // 2 * 2, (height * 3 // 4) // 2 * 2
        small = (
            av.VideoFrame.from_ndarray(f, format="rgb24")
            .reformat(width=w, height=h)
            .to_ndarray(format="rgb24")
            for f in frames
        )
        return write_frames(path, small, width=w, height=h, fps=fps, crf=34)
    if alteration == "trimmed":
        kept = frames[int(len(frames) * 0.4) : int(len(frames) * 0.9)]
        return write_frames(path, kept, width=width, height=height, fps=fps)
    if alteration == "filtered":
        return write_frames(
            path, (_warm_contrast(f) for f in frames), width=width, height=height, fps=fps
        )
    if alteration == "grey":
        grey = (
            np.repeat(f.mean(axis=2, keepdims=True), 3, axis=2).astype(np.uint8) for f in frames
        )
        return write_frames(path, grey, width=width, height=height, fps=fps)
    if alteration == "cropped":
        dy, dx = height // 10 // 2 * 2, width // 10 // 2 * 2
        kept = (np.ascontiguousarray(f[dy : height - dy, dx : width - dx]) for f in frames)
        return write_frames(path, kept, width=width - 2 * dx, height=height - 2 * dy, fps=fps)
    if alteration == "mirrored":
        flipped = (np.ascontiguousarray(f[:, ::-1]) for f in frames)
        return write_frames(path, flipped, width=width, height=height, fps=fps)
    raise ValueError(f"unknown alteration {alteration!r}")
