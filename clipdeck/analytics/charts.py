"""Server-side SVG charts for the Analytics page: axes, labels and a hover value on each mark.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>``
stating every figure in words; each bar or point has its own ``<title>``
(the value shown on hover and read by screen readers). Text is escaped.
"""

from __future__ import annotations

import math
from html import escape

from django.utils.safestring import SafeString, mark_safe

ACCENT = "#fe2c55"
ACCENT2 = "#25f4ee"
TEXT = "#f2f2f5"
MUTED = "#a3a3b2"
GRID = "#2c2c38"
WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 28


def _svg(chart_id: str, title: str, desc: str, height: int, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 — every interpolated text is escaped by the callers
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
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


def _y_axis(top: float, fmt) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    body = []
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        body.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" fill="{MUTED}" font-size="11" '
            f'text-anchor="end">{escape(fmt(value))}</text>'
        )
    return body


def _x_labels(labels: list[str], step: float) -> list[str]:
    every = max(1, math.ceil(len(labels) / 7))
    body = []
    for i, label in enumerate(labels):
        if i % every and i != len(labels) - 1:
            continue
        x = LEFT + step * (i + 0.5)
        body.append(
            f'<text x="{x:.1f}" y="{HEIGHT - 8}" fill="{MUTED}" font-size="11" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    return body


def bar_chart(
    points: list[tuple[str, str, float]],
    *,
    chart_id: str,
    title: str,
    unit: str,
    fmt=short,
) -> SafeString:
    """Vertical bars: ``points`` are ``(axis label, full label, value)``, e.g. one per day."""
    top = nice_max(max((value for _, _, value in points), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points), 1)
    body = _y_axis(top, fmt)
    for i, (_, full, value) in enumerate(points):
        bar = plot_h * value / top
        x = LEFT + step * i + step * 0.15
        body.append(
            f'<rect class="mark" x="{x:.1f}" y="{TOP + plot_h - bar:.1f}" '
            f'width="{max(step * 0.7, 1):.1f}" height="{max(bar, 0):.1f}" rx="2" fill="{ACCENT}">'
            f"<title>{escape(full)}: {escape(fmt(value))} {escape(unit)}</title></rect>"
        )
    body.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        f'stroke="{MUTED}"/>'
    )
    body += _x_labels([label for label, _, _ in points], step)
    desc = "; ".join(f"{full}: {fmt(value)} {unit}" for _, full, value in points) + "."
    return _svg(chart_id, title, desc, HEIGHT, body)


def line_chart(
    points: list[tuple[str, str, float]],
    *,
    chart_id: str,
    title: str,
    unit: str,
    fmt=short,
    top: float | None = None,
) -> SafeString:
    """A line with a dot per point (hover shows the value), e.g. a retention curve."""
    top = top or nice_max(max((value for _, _, value in points), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points), 1)
    coords = [
        (LEFT + step * (i + 0.5), TOP + plot_h - plot_h * value / top)
        for i, (_, _, value) in enumerate(points)
    ]
    body = _y_axis(top, fmt)
    if coords:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        body.append(f'<polyline points="{path}" fill="none" stroke="{ACCENT2}" stroke-width="2"/>')
    for (x, y), (_, full, value) in zip(coords, points, strict=True):
        body.append(
            f'<circle class="mark" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{ACCENT2}">'
            f"<title>{escape(full)}: {escape(fmt(value))} {escape(unit)}</title></circle>"
        )
    body += _x_labels([label for label, _, _ in points], step)
    desc = "; ".join(f"{full}: {fmt(value)} {unit}" for _, full, value in points) + "."
    return _svg(chart_id, title, desc, HEIGHT, body)


def share_bars(parts: list[tuple[str, int]], *, chart_id: str, title: str) -> SafeString:
    """Horizontal bars of a whole's parts (traffic sources), each with its count and share."""
    row, label_w = 30, 110
    total = sum(value for _, value in parts) or 1
    peak = max((value for _, value in parts), default=0) or 1
    body = []
    for i, (label, value) in enumerate(parts):
        y = 6 + i * row
        bar = (WIDTH - label_w - 110) * value / peak
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
    return _svg(chart_id, title, desc, 12 + row * len(parts), body)
