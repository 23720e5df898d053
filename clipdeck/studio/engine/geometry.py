"""Frame sizes: the vertical output frame, fitting sources into it, duet halves, PIP boxes.

Fit policy. Every output is a vertical 9:16 frame, at most 1080x1920, with even
sides. Its width is the largest that never upscales the source's picture:
``min(1080, max(W, H * 9/16))`` for a source displayed at W x H. A 9:16 source
fills the frame exactly (720x1280 stays 720x1280); a landscape or square source
is scaled down to fit the frame's width and the space above and below is filled
with a blurred, darkened copy of itself (see ``graph.fit_to_frame``).
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_WIDTH, MAX_HEIGHT = 1080, 1920
RENDITION_WIDTH = 720
ASPECT_TOLERANCE = 0.02  # sources within 2% of 9:16 are scaled and cropped, no background


@dataclass(frozen=True)
class Box:
    """A rectangle in output pixels."""

    x: int
    y: int
    width: int
    height: int


def even(value: float) -> int:
    """Round to the nearest even integer, at least 2."""
    return max(2, round(value / 2) * 2)


def output_frame(width: int, height: int) -> tuple[int, int]:
    """The 9:16 output frame for a source displayed at ``width`` x ``height``."""
    frame_width = min(MAX_WIDTH, max(width, height * 9 / 16))
    frame_width = min(MAX_WIDTH, even(frame_width))
    return frame_width, min(MAX_HEIGHT, even(frame_width * 16 / 9))


def fills_frame(width: int, height: int, frame: tuple[int, int]) -> bool:
    """True when the source's shape is close enough to the frame's to crop, not pad."""
    return abs((width / height) / (frame[0] / frame[1]) - 1) <= ASPECT_TOLERANCE


def fit_inside(width: int, height: int, frame: tuple[int, int]) -> tuple[int, int]:
    """The largest even size with the source's aspect that fits inside ``frame``."""
    scale = min(frame[0] / width, frame[1] / height)
    return min(frame[0], even(width * scale)), min(frame[1], even(height * scale))


def duet_halves(frame: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]]:
    """Left and right half sizes (even widths adding up to the frame's width)."""
    left = even(frame[0] / 2 - 1) if (frame[0] // 2) % 2 else frame[0] // 2
    return (left, frame[1]), (frame[0] - left, frame[1])


def pip_box(
    x: float, y: float, width: float, source: tuple[int, int], frame: tuple[int, int]
) -> Box:
    """The reaction's box: ``width`` of the frame, the source's aspect, clamped inside."""
    box_width = min(frame[0], even(width * frame[0]))
    box_height = min(frame[1], even(box_width * source[1] / source[0]))
    left = int(min(max(0.0, x * frame[0]), frame[0] - box_width)) & ~1
    top = int(min(max(0.0, y * frame[1]), frame[1] - box_height)) & ~1
    return Box(left, top, box_width, box_height)


def rendition_frame(frame: tuple[int, int]) -> tuple[int, int] | None:
    """The 720-wide rendition's size, or None when the frame is already that small."""
    if frame[0] <= RENDITION_WIDTH:
        return None
    return RENDITION_WIDTH, even(RENDITION_WIDTH * frame[1] / frame[0])
