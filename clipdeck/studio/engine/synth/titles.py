"""A title drawn over a clip (white with a dark outline), rising in over the first half second.

The engine has no drawtext filter; Pillow draws the text once into a mask, and
each frame copies it into the Y plane (and neutral grey into U and V).
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

RISE_SECONDS = 0.5
RISE_PIXELS = 24


class Title:
    def __init__(self, text: str, width: int, height: int) -> None:
        size = max(18, width // 11)
        font = ImageFont.load_default(size=size)
        stroke = max(2, size // 12)
        image = Image.new("L", (width, size * 3), 0)
        draw = ImageDraw.Draw(image)
        box = draw.textbbox((0, 0), text, font=font, stroke_width=stroke)
        x = max(0, (width - (box[2] - box[0])) // 2)
        draw.text((x, size), text, font=font, fill=255, stroke_width=stroke, stroke_fill=128)
        pixels = np.asarray(image)
        rows = np.flatnonzero(pixels.any(axis=1))
        pixels = pixels[rows[0] : rows[-1] + 1] if rows.size else pixels[:2]
        pixels = pixels[: len(pixels) & ~1]
        self.mask = pixels > 0
        self.luma = np.where(pixels > 192, 235, 24).astype(np.uint8)
        self.top = int(height * 0.68) & ~1
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
