"""Colour filter presets: FFmpeg filter chains plus a CSS approximation for previews.

Only filters present in PyAV's bundled FFmpeg are used (``eq`` is missing there).
Cost decides the building blocks (measured per 1080x1920 frame on 2 cores):
``lutyuv`` (a lookup table per plane: tone curve on Y, saturation and tint on
U/V) and ``hue`` cost about 1 ms; ``gblur`` 5 ms; ``vignette`` 11 ms; RGB filters
cost 15-80 ms each because the frame is converted to RGB and back (``curves`` 15,
``vibrance`` 24, ``colortemperature`` 27, ``colorbalance`` 81). So looks are made
in YUV where they can be, and an RGB filter is used only where the look needs
channels to depend on each other (split toning in ``teal_orange``). Order: YUV
filters first, RGB filters next to each other (one conversion), ``vignette`` last.
"""

from __future__ import annotations

from dataclasses import dataclass

Filter = tuple[str, str]


@dataclass(frozen=True)
class Preset:
    """A named look: ``filters`` for the render, ``css`` for the browser preview."""

    name: str
    label: str
    filters: tuple[Filter, ...]
    css: str


def yuv_look(
    *,
    contrast: float = 0.0,
    lift: float = 0.0,
    ceiling: float = 1.0,
    gamma: float = 1.0,
    saturation: float = 1.0,
    tint: tuple[int, int] = (0, 0),
) -> Filter:
    """One ``lutyuv`` filter: a luma tone curve and a chroma scale and shift.

    With t the luma in 0..1: t -> t - contrast * sin(2 pi t) / (2 pi) (an S-curve that
    keeps black, mid-grey and white), then ** gamma, then mapped to lift..ceiling.
    Chroma: (c - 128) * saturation + 128 + tint (tint = (U shift, V shift); V up and
    U down is warmer, the reverse cooler).
    """
    t = "(val-16)/219"
    curve = f"clip({t}-{contrast}*sin(2*PI*{t})/(2*PI),0,1)"
    tone = f"16+219*({lift}+{ceiling - lift}*pow({curve},{gamma}))"
    u = f"(val-128)*{saturation}+128+{tint[0]}"
    v = f"(val-128)*{saturation}+128+{tint[1]}"
    return ("lutyuv", f"y='{tone}':u='{u}':v='{v}'")


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("none", "Original", (), "none"),
        Preset(
            "vivid",
            "Vivid",
            (yuv_look(contrast=0.3, saturation=1.45),),
            "saturate(1.45) contrast(1.1)",
        ),
        Preset(
            "warm",
            "Warm",
            (yuv_look(gamma=0.95, saturation=1.1, tint=(-10, 12)),),
            "sepia(0.25) saturate(1.25) hue-rotate(-8deg)",
        ),
        Preset(
            "cool",
            "Cool",
            (yuv_look(lift=0.02, saturation=1.05, tint=(12, -8)),),
            "saturate(1.1) hue-rotate(12deg) brightness(1.04)",
        ),
        Preset("mono", "Mono", (("hue", "s=0"),), "grayscale(1)"),
        Preset(
            "vintage",
            "Vintage",
            (
                yuv_look(lift=0.07, ceiling=0.93, saturation=0.7, tint=(-9, 7)),
                ("vignette", "angle=PI/5"),
            ),
            "sepia(0.45) contrast(0.9) brightness(1.05) saturate(0.85)",
        ),
        Preset(
            "noir",
            "Noir",
            (
                ("hue", "s=0"),
                yuv_look(contrast=0.75),
                ("vignette", "angle=PI/4"),
            ),
            "grayscale(1) contrast(1.45) brightness(0.92)",
        ),
        Preset(
            "fade",
            "Fade",
            (yuv_look(lift=0.1, ceiling=0.92, saturation=0.7),),
            "contrast(0.82) brightness(1.08) saturate(0.75)",
        ),
        Preset(
            "dream",
            "Dream",
            (
                ("gblur", "sigma=1.5"),
                yuv_look(gamma=0.8, saturation=1.2, tint=(4, 7)),
            ),
            "blur(0.5px) brightness(1.12) saturate(1.2) hue-rotate(-5deg)",
        ),
        Preset(
            "teal_orange",
            "Teal & Orange",
            (
                ("hue", "s=1.15"),
                (
                    "curves",
                    "r='0/0 0.25/0.18 0.75/0.85 1/1':g='0/0 0.5/0.5 1/0.97':"
                    "b='0/0.06 0.25/0.32 0.75/0.66 1/0.9'",
                ),
            ),
            "saturate(1.3) contrast(1.08) sepia(0.15)",
        ),
    )
}


def get_preset(name: str) -> Preset:
    """The preset called ``name``; ``KeyError`` when there is none."""
    return PRESETS[name]


def preset_names() -> list[str]:
    """All preset names, ``none`` first."""
    return list(PRESETS)
