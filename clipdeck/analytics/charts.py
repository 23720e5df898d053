"""Server-side SVG charts for the Analytics page: axes, labels and a hover value on each mark.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>``
stating every figure in words; each bar or point has its own ``<title>``
(the value shown on hover and read by screen readers). Text is escaped.
``both`` draws a chart at two widths, so that its text keeps a readable size
on a phone and on a laptop; the page's CSS shows the one that fits.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape

from django.utils.safestring import SafeString, mark_safe

ACCENT = "#fe2c55"
ACCENT2 = "#25f4ee"
TEXT = "#f2f2f5"
MUTED = "#a3a3b2"
GRID = "#2c2c38"
WIDE, NARROW = 460, 330
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28
Points = list[tuple[str, str, float]]  # (axis label, full label, value)


def _svg(chart_id: str, title: str, desc: str, width: int, height: int, body: list[str]):
    size = "wide" if width == WIDE else "narrow"
    return mark_safe(  # noqa: S308 — every interpolated text is escaped by the callers
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{size}" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{chart_id}-{size}-title {chart_id}-{size}-desc">'
        f'<title id="{chart_id}-{size}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-{size}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def both(draw: Callable[..., SafeString], *args, **kwargs) -> SafeString:
    """``draw`` at the wide and the narrow width, one after the other."""
    return mark_safe(  # noqa: S308 — both are built escaped
        draw(*args, width=WIDE, **kwargs) + draw(*args, width=NARROW, **kwargs)
    )


def nice_max(value: float) -> float:
    """The top of the axis: 1, 2 or 5 times a power of ten, at least ``value``."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def short(value: float) -> str:
    """``1234`` → ``1.2K``: axis labels stay narrow."""
    for size, suffix in ((1_000_000, "M"), (1_000, "K")):
        if abs(value) >= size:
            return f"{value / size:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:g}"


def _intervals(top: float) -> int:
    """Gridlines on round values: 0, 1, 2 for a top of 2; fifths otherwise."""
    return int(top) if top in (1, 2) else 5


def _y_axis(top: float, fmt, width: int) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    steps = _intervals(top)
    body = []
    for i in range(steps + 1):
        y = TOP + plot_h - plot_h * i / steps
        body.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{width - RIGHT}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" fill="{MUTED}" font-size="12" '
            f'text-anchor="end">{escape(fmt(top * i / steps))}</text>'
        )
    return body


def _x_labels(labels: list[str], step: float, width: int) -> list[str]:
    every = max(1, math.ceil(len(labels) / (7 if width == WIDE else 4)))
    body = []
    for i, label in enumerate(labels):
        if i % every and i != len(labels) - 1:
            continue
        if i != len(labels) - 1 and len(labels) - 1 - i < every:
            continue  # the last label has the room
        x = LEFT + step * (i + 0.5)
        body.append(
            f'<text x="{x:.1f}" y="{HEIGHT - 8}" fill="{MUTED}" font-size="12" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    return body


def _describe(points: Points, fmt, unit: str) -> str:
    return "; ".join(f"{full}: {fmt(value)} {unit}" for _, full, value in points) + "."


def bar_chart(
    points: Points, *, chart_id: str, title: str, unit: str, fmt=short, width: int = WIDE
) -> SafeString:
    """Vertical bars, e.g. one per day, with a value on hover for each."""
    top = nice_max(max((value for _, _, value in points), default=0))
    plot_w, plot_h = width - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points), 1)
    body = _y_axis(top, fmt, width)
    for i, (_, full, value) in enumerate(points):
        bar = plot_h * value / top
        x = LEFT + step * i + step * 0.15
        body.append(
            f'<rect class="mark" x="{x:.1f}" y="{TOP + plot_h - bar:.1f}" '
            f'width="{max(step * 0.7, 1):.1f}" height="{max(bar, 0):.1f}" rx="2" fill="{ACCENT}">'
            f"<title>{escape(full)}: {escape(fmt(value))} {escape(unit)}</title></rect>"
        )
    body.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{width - RIGHT}" y2="{TOP + plot_h}" '
        f'stroke="{MUTED}"/>'
    )
    body += _x_labels([label for label, _, _ in points], step, width)
    return _svg(chart_id, title, _describe(points, fmt, unit), width, HEIGHT, body)


def line_chart(
    points: Points,
    *,
    chart_id: str,
    title: str,
    unit: str,
    fmt=short,
    top: float | None = None,
    width: int = WIDE,
) -> SafeString:
    """A line with a dot per point (hover shows the value), e.g. a retention curve."""
    top = top or nice_max(max((value for _, _, value in points), default=0))
    plot_w, plot_h = width - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points), 1)
    coords = [
        (LEFT + step * (i + 0.5), TOP + plot_h - plot_h * value / top)
        for i, (_, _, value) in enumerate(points)
    ]
    body = _y_axis(top, fmt, width)
    if coords:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        body.append(f'<polyline points="{path}" fill="none" stroke="{ACCENT2}" stroke-width="2"/>')
    for (x, y), (_, full, value) in zip(coords, points, strict=True):
        body.append(
            f'<circle class="mark" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{ACCENT2}">'
            f"<title>{escape(full)}: {escape(fmt(value))} {escape(unit)}</title></circle>"
        )
    body += _x_labels([label for label, _, _ in points], step, width)
    return _svg(chart_id, title, _describe(points, fmt, unit), width, HEIGHT, body)


def share_bars(
    parts: list[tuple[str, int]], *, chart_id: str, title: str, width: int = WIDE
) -> SafeString:
    """Horizontal bars of a whole's parts (traffic sources), each with its count and share."""
    row, label_w = 30, 92
    total = sum(value for _, value in parts) or 1
    peak = max((value for _, value in parts), default=0) or 1
    body = []
    for i, (label, value) in enumerate(parts):
        y = 6 + i * row
        bar = (width - label_w - 84) * value / peak
        share = f"{value / total:.0%}"
        body.append(
            f'<text x="0" y="{y + 16}" fill="{TEXT}" font-size="13">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{max(bar, 1):.1f}" height="18" rx="3" '
            f'fill="{ACCENT}" class="mark"><title>{escape(label)}: {value} views ({share})</title>'
            f"</rect>"
            f'<text x="{label_w + max(bar, 1) + 6:.1f}" y="{y + 16}" fill="{MUTED}" '
            f'font-size="12">{value} · {share}</text>'
        )
    desc = "; ".join(f"{label}: {value} views" for label, value in parts) + "."
    return _svg(chart_id, title, desc, width, 12 + row * len(parts), body)
