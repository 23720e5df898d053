"""Text boxes and stickers drawn with Pillow into RGBA images for the filter graph.

The bundled FFmpeg has no ``drawtext``: every text box is drawn here into a tight
RGBA image, which the graph composites with ``overlay`` at its place and only
between its times. The layout (``text_layout``) is simple enough for the
editor's live preview to reproduce: the font size is ``size`` pixels of a
1080-wide frame, scaled to the frame; lines are centred; the box has a padding
of 0.3 x the font size (a rounded background when one is set); the box is
centred on (x, y) and kept inside the frame. Each character is drawn with the
first bundled font that has it (Noto Sans Bold, then Droid Sans Fallback for
CJK); emoji with Noto Color Emoji (drawn at its one bitmap size, then scaled).

Burnt-in captions (``spec.captions``) are text boxes too, one per cue, in one
style: white on a translucent black box, centred at 82% of the frame's height,
words wrapped to 86% of its width, over every text and sticker.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .geometry import Box
from .spec import CaptionCue, EditSpec, StickerBox, TextBox
from .stickers import sticker_path

FONTS = Path(__file__).resolve().parent / "fonts"
TEXT_FONT = FONTS / "NotoSans-Bold.ttf"
FALLBACK_FONT = FONTS / "DroidSansFallbackFull.ttf"
EMOJI_FONT = FONTS / "NotoColorEmoji.ttf"
EMOJI_BITMAP = 109  # the only size Noto Color Emoji's bitmaps come in
REFERENCE_WIDTH = 1080
PADDING = 0.3  # of the font size, around the text
RADIUS = 0.25  # of the font size, the background's corners
LINE_HEIGHT = 1.25  # of the font size
EMOJI_RANGES = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x1F1E6, 0x1F1FF))
JOINERS = {0x200D, 0xFE0F, 0xFE0E}

TEXT_EXAMPLE = {
    "text": "Clipdeck ✨ 你好",
    "x": 0.5,
    "y": 0.2,
    "size": 72,
    "color": "#ffffff",
    "background": "#000000aa",
    "start_ms": 0,
    "end_ms": 8000,
}
STICKER_EXAMPLE = {"name": "heart", "x": 0.8, "y": 0.75, "width": 0.25, "start_ms": 1000}


@dataclass(frozen=True)
class Overlay:
    """An RGBA image to composite at (x, y) from ``start`` to ``end`` seconds (None: to
    the end)."""

    image: Image.Image
    x: int
    y: int
    start: float
    end: float | None


def draw_overlays(spec: EditSpec, frame: tuple[int, int]) -> list[Overlay]:
    """Every text box and sticker of ``spec`` as overlays for a ``frame``-sized video,
    in drawing order (texts over stickers)."""
    placed = [_sticker(box, frame) for box in spec.stickers]
    placed += [_text(box, frame) for box in spec.texts]
    placed += [_text(caption_box(cue, frame), frame) for cue in spec.captions]
    return placed


CAPTION_STYLE = {"x": 0.5, "y": 0.82, "size": 54, "color": "#ffffff", "background": "#000000b3"}
CAPTION_WIDTH = 0.86  # of the frame: where a caption's words wrap


def caption_box(cue: CaptionCue, frame: tuple[int, int]) -> TextBox:
    """The text box a burnt-in caption is drawn as: its words wrapped to the frame."""
    pixels = font_pixels(CAPTION_STYLE["size"], frame)
    text = wrap(cue.text, pixels, CAPTION_WIDTH * frame[0])
    return TextBox(text=text, start_ms=cue.start_ms, end_ms=cue.end_ms, **CAPTION_STYLE)


def wrap(text: str, pixels: int, width: float) -> str:
    """``text`` with its words wrapped into lines no wider than ``width`` (a longer word
    keeps a line of its own; the box then shrinks the font)."""
    lines: list[str] = []
    for paragraph in _lines(text):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and _line_width(candidate, pixels) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return "\n".join(line for line in lines if line) or text


def font_pixels(size: float, frame: tuple[int, int]) -> int:
    """The font size in output pixels of a box whose size is given for 1080 wide."""
    return max(4, round(size * frame[0] / REFERENCE_WIDTH))


def text_layout(box: TextBox, frame: tuple[int, int]) -> tuple[Box, int]:
    """Where the text box lands in the frame (its background's rectangle) and the font
    size used (shrunk when the text would be wider than the frame)."""
    pixels = font_pixels(box.size, frame)
    width, height = _text_size(box.text, pixels)
    pad = round(pixels * PADDING)
    if width + 2 * pad > frame[0]:
        pixels = max(4, int(pixels * (frame[0] - 2 * pad) / width))
        width, height = _text_size(box.text, pixels)
        pad = round(pixels * PADDING)
    return _centred(box.x, box.y, width + 2 * pad, height + 2 * pad, frame), pixels


def sticker_layout(box: StickerBox, frame: tuple[int, int]) -> Box:
    """Where a sticker lands: ``width`` of the frame, square, centred on (x, y)."""
    side = max(2, round(box.width * frame[0]))
    return _centred(box.x, box.y, side, side, frame)


def _centred(x: float, y: float, width: int, height: int, frame: tuple[int, int]) -> Box:
    width, height = min(width, frame[0]), min(height, frame[1])
    left = min(max(0, round(x * frame[0] - width / 2)), frame[0] - width)
    top = min(max(0, round(y * frame[1] - height / 2)), frame[1] - height)
    return Box(left, top, width, height)


def _seconds(start_ms: int, end_ms: int | None) -> tuple[float, float | None]:
    return start_ms / 1000, None if end_ms is None else end_ms / 1000


def _sticker(box: StickerBox, frame: tuple[int, int]) -> Overlay:
    place = sticker_layout(box, frame)
    with Image.open(sticker_path(box.name)) as source:
        image = source.convert("RGBA").resize((place.width, place.height), Image.LANCZOS)
    return Overlay(image, place.x, place.y, *_seconds(box.start_ms, box.end_ms))


def _text(box: TextBox, frame: tuple[int, int]) -> Overlay:
    place, pixels = text_layout(box, frame)
    image = Image.new("RGBA", (place.width, place.height), (0, 0, 0, 0))
    if box.background:
        ImageDraw.Draw(image).rounded_rectangle(
            (0, 0, place.width - 1, place.height - 1),
            radius=round(pixels * RADIUS),
            fill=_rgba(box.background),
        )
    line_height = round(pixels * LINE_HEIGHT)
    top = (place.height - line_height * len(_lines(box.text))) // 2
    for index, line in enumerate(_lines(box.text)):
        width = _line_width(line, pixels)
        _draw_line(image, line, pixels, (place.width - width) // 2, top + index * line_height,
                   _rgba(box.color))  # fmt: skip
    return Overlay(image, place.x, place.y, *_seconds(box.start_ms, box.end_ms))


def _rgba(colour: str) -> tuple[int, int, int, int]:
    value = colour.lstrip("#")
    alpha = int(value[6:8], 16) if len(value) == 8 else 255
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), alpha


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _text_size(text: str, pixels: int) -> tuple[int, int]:
    lines = _lines(text)
    width = max(_line_width(line, pixels) for line in lines)
    return max(1, width), round(pixels * LINE_HEIGHT) * len(lines)


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return code in JOINERS or any(low <= code <= high for low, high in EMOJI_RANGES)


@lru_cache(maxsize=32)
def _font(path: Path, pixels: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), pixels)


@lru_cache(maxsize=4096)
def _has_glyph(path: Path, char: str) -> bool:
    """True when the font draws ``char`` differently from its missing-glyph box."""
    font = _font(path, 32)
    return font.getmask(char).getbbox() != font.getmask("\U0010fffd").getbbox() or char == " "


def _runs(line: str) -> list[tuple[str, str]]:
    """Split a line into (kind, text) runs: "emoji", "text" or "fallback"."""
    runs: list[tuple[str, str]] = []
    for char in line:
        if _is_emoji(char):
            kind = "emoji"
        elif _has_glyph(TEXT_FONT, char):
            kind = "text"
        else:
            kind = "fallback"
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + char)
        else:
            runs.append((kind, char))
    return runs


def _line_width(line: str, pixels: int) -> int:
    return round(sum(_run_width(kind, text, pixels) for kind, text in _runs(line)))


def _run_width(kind: str, text: str, pixels: int) -> float:
    if kind == "emoji":
        return sum(pixels * LINE_HEIGHT for ch in text if ord(ch) not in JOINERS)
    return _font(TEXT_FONT if kind == "text" else FALLBACK_FONT, pixels).getlength(text)


def _draw_line(image: Image.Image, line: str, pixels: int, x: float, top: int, colour) -> None:
    draw = ImageDraw.Draw(image)
    middle = top + pixels * LINE_HEIGHT / 2
    for kind, text in _runs(line):
        if kind == "emoji":
            for char in text:
                if ord(char) in JOINERS:
                    continue
                side = round(pixels * LINE_HEIGHT * 0.9)
                glyph = _emoji(char, side)
                image.alpha_composite(glyph, (round(x + pixels * LINE_HEIGHT * 0.05),
                                              round(middle - side / 2)))  # fmt: skip
                x += pixels * LINE_HEIGHT
            continue
        font = _font(TEXT_FONT if kind == "text" else FALLBACK_FONT, pixels)
        draw.text((x, middle), text, font=font, fill=colour, anchor="lm")
        x += font.getlength(text)


@lru_cache(maxsize=256)
def _emoji(char: str, side: int) -> Image.Image:
    font = _font(EMOJI_FONT, EMOJI_BITMAP)
    canvas = Image.new("RGBA", (EMOJI_BITMAP * 2, EMOJI_BITMAP * 2), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text((EMOJI_BITMAP, EMOJI_BITMAP), char, font=font,
                                embedded_color=True, anchor="mm")  # fmt: skip
    bounds = canvas.getbbox() or (0, 0, 1, 1)
    return canvas.crop(bounds).resize((side, side), Image.LANCZOS)
