"""Draw the sticker library as 512-px PNGs (``python -m clipdeck.studio.engine.stickers.draw``).

Each sticker is drawn at 4x and scaled down (anti-aliased edges), with a white
outline and a soft shadow so it reads on any picture, as stickers do.
"""

from __future__ import annotations

import math

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from . import FOLDER, STICKERS

SIZE = 512
SCALE = 4
S = SIZE * SCALE
OUTLINE = 13  # pixels across of the white outline's dilation, at 512 px
FONT = FOLDER.parent / "fonts" / "NotoSans-Bold.ttf"
YELLOW, RED, ORANGE = "#ffcc33", "#ff3b5c", "#ff8a1f"
BLUE, GREEN, PURPLE, INK = "#3d8bff", "#2ec27e", "#9b5cff", "#222222"


def _c(*values: float) -> list[float]:
    """Fractions of the canvas to pixels."""
    return [v * S for v in values]


def _star_points(cx, cy, outer, inner, points=5, turn=-90.0):
    result = []
    for i in range(points * 2):
        radius = outer if i % 2 == 0 else inner
        angle = math.radians(turn + i * 180 / points)
        result.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return result


def heart(d: ImageDraw.ImageDraw, fill=RED):
    d.ellipse(_c(0.14, 0.18, 0.52, 0.56), fill=fill)
    d.ellipse(_c(0.48, 0.18, 0.86, 0.56), fill=fill)
    d.polygon([tuple(_c(0.16, 0.44)), tuple(_c(0.84, 0.44)), tuple(_c(0.5, 0.88))], fill=fill)


def star(d, fill=YELLOW):
    d.polygon(_star_points(S / 2, S * 0.53, S * 0.42, S * 0.18), fill=fill)


def sparkles(d):
    for cx, cy, r in ((0.4, 0.55, 0.3), (0.74, 0.28, 0.16), (0.78, 0.74, 0.11)):
        d.polygon(_star_points(cx * S, cy * S, r * S, r * S * 0.28, points=4), fill=YELLOW)


def fire(d):
    d.ellipse(_c(0.22, 0.38, 0.78, 0.92), fill=ORANGE)
    d.polygon([tuple(_c(0.24, 0.6)), tuple(_c(0.5, 0.06)), tuple(_c(0.76, 0.6))], fill=ORANGE)
    d.ellipse(_c(0.34, 0.58, 0.66, 0.9), fill=YELLOW)
    d.polygon([tuple(_c(0.35, 0.72)), tuple(_c(0.5, 0.38)), tuple(_c(0.65, 0.72))], fill=YELLOW)


def _face(d, fill=YELLOW):
    d.ellipse(_c(0.1, 0.1, 0.9, 0.9), fill=fill)


def _eyes(d, wink=False):
    d.ellipse(_c(0.32, 0.32, 0.4, 0.46), fill=INK)
    if wink:
        d.line(_c(0.58, 0.4, 0.7, 0.4), fill=INK, width=int(0.03 * S))
    else:
        d.ellipse(_c(0.6, 0.32, 0.68, 0.46), fill=INK)


def smile(d):
    _face(d)
    _eyes(d)
    d.arc(_c(0.28, 0.36, 0.72, 0.74), 20, 160, fill=INK, width=int(0.035 * S))


def laugh(d):
    _face(d)
    d.arc(_c(0.28, 0.32, 0.42, 0.44), 200, 340, fill=INK, width=int(0.03 * S))
    d.arc(_c(0.58, 0.32, 0.72, 0.44), 200, 340, fill=INK, width=int(0.03 * S))
    d.chord(_c(0.26, 0.42, 0.74, 0.8), 0, 180, fill=INK)
    d.chord(_c(0.34, 0.62, 0.66, 0.79), 0, 180, fill=RED)


def wink(d):
    _face(d)
    _eyes(d, wink=True)
    d.arc(_c(0.3, 0.4, 0.7, 0.72), 20, 160, fill=INK, width=int(0.035 * S))


def sad(d):
    _face(d, fill="#7fb2ff")
    _eyes(d)
    d.arc(_c(0.3, 0.6, 0.7, 0.9), 200, 340, fill=INK, width=int(0.035 * S))


def cool(d):
    _face(d)
    d.rounded_rectangle(_c(0.22, 0.32, 0.48, 0.46), radius=int(0.04 * S), fill=INK)
    d.rounded_rectangle(_c(0.52, 0.32, 0.78, 0.46), radius=int(0.04 * S), fill=INK)
    d.line(_c(0.46, 0.36, 0.54, 0.36), fill=INK, width=int(0.03 * S))
    d.arc(_c(0.32, 0.44, 0.68, 0.72), 20, 160, fill=INK, width=int(0.035 * S))


def thumbs_up(d):
    d.rounded_rectangle(_c(0.16, 0.44, 0.34, 0.86), radius=int(0.03 * S), fill=BLUE)
    d.rounded_rectangle(_c(0.36, 0.42, 0.8, 0.86), radius=int(0.08 * S), fill=YELLOW)
    d.rounded_rectangle(_c(0.42, 0.12, 0.6, 0.5), radius=int(0.08 * S), fill=YELLOW)


def check(d):
    d.ellipse(_c(0.1, 0.1, 0.9, 0.9), fill=GREEN)
    d.line(_c(0.3, 0.52, 0.45, 0.67, 0.72, 0.36), fill="white", width=int(0.09 * S), joint="curve")


def cross(d):
    d.ellipse(_c(0.1, 0.1, 0.9, 0.9), fill=RED)
    d.line(_c(0.33, 0.33, 0.67, 0.67), fill="white", width=int(0.09 * S))
    d.line(_c(0.67, 0.33, 0.33, 0.67), fill="white", width=int(0.09 * S))


def arrow(d):
    d.rectangle(_c(0.12, 0.4, 0.56, 0.6), fill=PURPLE)
    d.polygon([tuple(_c(0.5, 0.2)), tuple(_c(0.9, 0.5)), tuple(_c(0.5, 0.8))], fill=PURPLE)


def crown(d):
    points = [(0.12, 0.3), (0.3, 0.52), (0.5, 0.22), (0.7, 0.52), (0.88, 0.3), (0.8, 0.76)]
    d.polygon([tuple(_c(*p)) for p in [*points, (0.2, 0.76)]], fill=YELLOW)
    for x in (0.12, 0.5, 0.88):
        d.ellipse(_c(x - 0.05, 0.17 if x == 0.5 else 0.25, x + 0.05, 0.27 if x == 0.5 else 0.35),
                  fill=RED)  # fmt: skip


def sun(d):
    for i in range(12):
        angle = math.radians(i * 30)
        inner, outer = 0.3 * S, 0.45 * S
        d.line([(S / 2 + inner * math.cos(angle), S / 2 + inner * math.sin(angle)),
                (S / 2 + outer * math.cos(angle), S / 2 + outer * math.sin(angle))],
               fill=ORANGE, width=int(0.05 * S))  # fmt: skip
    d.ellipse(_c(0.26, 0.26, 0.74, 0.74), fill=YELLOW)


def moon(d, canvas: Image.Image):
    d.ellipse(_c(0.14, 0.12, 0.86, 0.84), fill=YELLOW)
    d.ellipse(_c(0.34, 0.04, 0.98, 0.68), fill=(0, 0, 0, 0))


def cloud(d):
    for box in ((0.12, 0.4, 0.48, 0.76), (0.3, 0.22, 0.7, 0.62), (0.52, 0.36, 0.88, 0.72)):
        d.ellipse(_c(*box), fill="#e8f1ff")
    d.rectangle(_c(0.3, 0.5, 0.7, 0.76), fill="#e8f1ff")


def lightning(d):
    points = [(0.56, 0.06), (0.22, 0.56), (0.46, 0.56), (0.38, 0.94), (0.8, 0.4), (0.54, 0.4)]
    d.polygon([tuple(_c(*p)) for p in points], fill=YELLOW)


def music(d):
    d.ellipse(_c(0.16, 0.62, 0.4, 0.82), fill=PURPLE)
    d.ellipse(_c(0.56, 0.54, 0.8, 0.74), fill=PURPLE)
    d.rectangle(_c(0.34, 0.2, 0.4, 0.72), fill=PURPLE)
    d.rectangle(_c(0.74, 0.12, 0.8, 0.64), fill=PURPLE)
    d.polygon([tuple(_c(*p)) for p in ((0.34, 0.2), (0.8, 0.12), (0.8, 0.24), (0.34, 0.32))],
              fill=PURPLE)  # fmt: skip


def rainbow(d):
    for index, colour in enumerate((RED, ORANGE, YELLOW, GREEN, BLUE, PURPLE)):
        inset = 0.05 + index * 0.045
        d.pieslice(_c(inset, 0.2 + inset, 1 - inset, 1.2 - inset), 180, 360, fill=colour)
    d.pieslice(_c(0.32, 0.52, 0.68, 0.88), 180, 360, fill=(0, 0, 0, 0))


def balloon(d):
    d.line(_c(0.5, 0.7, 0.46, 0.8, 0.54, 0.9, 0.5, 0.96), fill=INK, width=int(0.015 * S))
    d.ellipse(_c(0.24, 0.06, 0.76, 0.7), fill=RED)
    d.polygon([tuple(_c(0.46, 0.74)), tuple(_c(0.54, 0.74)), tuple(_c(0.5, 0.68))], fill=RED)
    d.ellipse(_c(0.34, 0.16, 0.44, 0.3), fill="#ff9aaa")


def flower(d):
    for i in range(6):
        angle = math.radians(i * 60)
        cx, cy = S / 2 + 0.22 * S * math.cos(angle), S / 2 + 0.22 * S * math.sin(angle)
        d.ellipse([cx - 0.17 * S, cy - 0.17 * S, cx + 0.17 * S, cy + 0.17 * S], fill="#ff7ab8")
    d.ellipse(_c(0.36, 0.36, 0.64, 0.64), fill=YELLOW)


def _word(text: str, fill: str, shape: str = "burst"):
    def draw(d):
        if shape == "burst":
            d.polygon(_star_points(S / 2, S / 2, S * 0.48, S * 0.38, points=14), fill=fill)
        else:
            d.rounded_rectangle(_c(0.04, 0.28, 0.96, 0.72), radius=int(0.12 * S), fill=fill)
        size = int(S * (0.3 if len(text) <= 3 else 0.19))
        font = ImageFont.truetype(str(FONT), size)
        d.text((S / 2, S / 2), text, font=font, fill="white", anchor="mm",
               stroke_width=int(size * 0.06), stroke_fill=INK)  # fmt: skip

    return draw


DRAWINGS = {
    "heart": heart, "star": star, "sparkles": sparkles, "fire": fire, "smile": smile,
    "laugh": laugh, "wink": wink, "sad": sad, "cool": cool, "thumbs_up": thumbs_up,
    "check": check, "cross": cross, "arrow": arrow, "crown": crown, "sun": sun, "moon": moon,
    "cloud": cloud, "lightning": lightning, "music": music, "rainbow": rainbow,
    "balloon": balloon, "flower": flower, "wow": _word("WOW", PURPLE),
    "lol": _word("LOL", ORANGE), "omg": _word("OMG", RED), "new": _word("NEW", GREEN),
    "follow": _word("FOLLOW", RED, "pill"), "hot": _word("HOT", ORANGE),
}  # fmt: skip


def draw_sticker(name: str) -> Image.Image:
    """The sticker ``name`` as a 512-px RGBA image with an outline and a shadow."""
    shape = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(shape)
    drawing = DRAWINGS[name]
    if drawing is moon:
        moon(d, shape)
    else:
        drawing(d)
    shape = shape.resize((SIZE, SIZE), Image.LANCZOS)
    outline = shape.getchannel("A").filter(ImageFilter.MaxFilter(OUTLINE))
    shadow = outline.filter(ImageFilter.GaussianBlur(SIZE * 0.02)).point(lambda v: v * 0.45)
    result = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    result.paste((0, 0, 0, 255), (round(SIZE * 0.012), round(SIZE * 0.018)), shadow)
    result.paste((255, 255, 255, 255), (0, 0), outline)
    result.alpha_composite(shape)
    return result


def main() -> None:
    """Write every sticker's PNG next to this module."""
    assert set(DRAWINGS) == set(STICKERS)
    for name in STICKERS:
        draw_sticker(name).save(FOLDER / f"{name}.png", optimize=True)


if __name__ == "__main__":
    main()
