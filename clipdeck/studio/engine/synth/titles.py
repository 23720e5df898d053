"""A title drawn over a clip (white with a dark outline), rising in over the first half second.

The engine has no drawtext filter; Pillow draws the text once into a mask, and
each frame copies it into the Y plane (and neutral grey into U and V).
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

RISE_SECONDS = 0.5
RISE_PIXELS = 24


def _wrapped(text: str, font, stroke: int, limit: float) -> list[str]:
    """Words in lines no wider than ``limit`` pixels (a longer word gets a line of its own)."""
    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        box = measure.textbbox((0, 0), candidate, font=font, stroke_width=stroke)
        if lines and box[2] - box[0] <= limit:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines or [""]


def _fitted(text: str, width: int):
    """The largest font (a ninth of the width down to a sixteenth) at which ``text``
    fits 78% of the width (clear of the rail) in at most two lines; the smallest size
    wraps as it must."""
    smallest = max(12, width // 16)
    size = max(smallest, width // 9)
    while True:
        font = ImageFont.load_default(size=size)
        stroke = max(2, size // 12)
        lines = _wrapped(text, font, stroke, width * 0.78)
        if len(lines) <= 2 or size <= smallest:
            return size, font, stroke, lines
        size -= 2


class Title:
    def __init__(self, text: str, width: int, height: int) -> None:
        size, font, stroke, lines = _fitted(text, width)
        image = Image.new("L", (width, size * (len(lines) + 2)), 0)
        draw = ImageDraw.Draw(image)
        for row, line in enumerate(lines):
            box = draw.textbbox((0, 0), line, font=font, stroke_width=stroke)
            x = max(0, (width - (box[2] - box[0])) // 2)
            draw.text(
                (x, size + row * int(size * 1.15)),
                line,
                font=font,
                fill=255,
                stroke_width=stroke,
                stroke_fill=128,
            )
        pixels = np.asarray(image)
        rows = np.flatnonzero(pixels.any(axis=1))
        pixels = pixels[rows[0] : rows[-1] + 1] if rows.size else pixels[:2]
        pixels = pixels[: len(pixels) & ~1]
        self.mask = pixels > 0
        self.luma = np.where(pixels > 192, 235, 24).astype(np.uint8)
        self.top = int(height * 0.42) & ~1
        self.width, self.height = width, height

    def paint(self, frame: np.ndarray, t: float) -> None:
        rise = max(0.0, 1 - t / RISE_SECONDS) * RISE_PIXELS
        top = int(self.top + rise) & ~1
        rows = min(len(self.mask), self.height - top) & ~1
        if rows <= 0:
            return
        y = frame[: self.height]
        chroma = frame[self.height :].reshape(2, self.height // 2, self.width // 2)
        mask = self.mask[:rows]
        np.copyto(y[top : top + rows], self.luma[:rows], where=mask)
        half = mask[::2, ::2]
        for plane in chroma:
            np.copyto(plane[top // 2 : top // 2 + rows // 2], 128, where=half)
