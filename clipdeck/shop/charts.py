"""Server-side SVG charts: pure Python, no JavaScript, readable by screen readers.

Each chart is an ``<svg role="img">`` labelled by its ``<title>`` and a
``<desc>`` that states every figure in words, so the numbers are never only in
the drawing. Text is escaped; the colours suit the dark theme.
"""

from __future__ import annotations

from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe

BAR = "#fe2c55"
TEXT = "#f2f2f5"
MUTED = "#9a9aa8"


def _svg(chart_id: str, title: str, desc: str, width: int, height: int, body: list[str]):
    return mark_safe(  # noqa: S308 — every interpolated text is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def funnel_svg(steps: list[tuple[str, int]], *, chart_id: str = "funnel", title: str = "Funnel"):
    """Horizontal bars, one per step, each with its count and its rate from the step before."""
    width, row, label_w = 480, 36, 120
    peak = max((value for _, value in steps), default=0) or 1
    desc = "; ".join(f"{label}: {value}" for label, value in steps) + "."
    body = []
    for i, (label, value) in enumerate(steps):
        y = 8 + i * row
        bar = round((width - label_w - 90) * value / peak)
        rate = ""
        if i and steps[i - 1][1]:
            rate = f" ({value / steps[i - 1][1]:.0%})"
        body.append(
            f'<text x="0" y="{y + 18}" fill="{TEXT}" font-size="13">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{max(bar, 1)}" height="20" rx="3" '
            f'fill="{BAR}"><title>{escape(label)}: {value}{rate}</title></rect>'
            f'<text x="{label_w + max(bar, 1) + 6}" y="{y + 18}" fill="{MUTED}" '
            f'font-size="12">{value}{escape(rate)}</text>'
        )
    return _svg(chart_id, title, desc, width, 16 + row * len(steps), body)


def orders_per_day_svg(
    days: list[tuple[date, int]], *, chart_id: str = "orders-per-day", title: str = "Orders per day"
) -> SafeString:
    """Vertical bars, one per day, with the first and last dates under the axis."""
    width, height, base = 480, 160, 130
    peak = max((count for _, count in days), default=0) or 1
    step = width / max(len(days), 1)
    desc = ", ".join(f"{day.isoformat()}: {count}" for day, count in days) + "."
    body = [f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" stroke="{MUTED}"/>']
    for i, (day, count) in enumerate(days):
        bar = round((base - 20) * count / peak)
        x = round(i * step + step * 0.15, 1)
        body.append(
            f'<rect x="{x}" y="{base - bar}" width="{round(step * 0.7, 1)}" height="{bar}" '
            f'fill="{BAR}"><title>{day.isoformat()}: {count} orders</title></rect>'
        )
        if count:
            body.append(
                f'<text x="{x + step * 0.35:.1f}" y="{base - bar - 4}" fill="{TEXT}" '
                f'font-size="11" text-anchor="middle">{count}</text>'
            )
    if days:
        body.append(
            f'<text x="0" y="{height - 8}" fill="{MUTED}" font-size="11">'
            f"{days[0][0].isoformat()}</text>"
            f'<text x="{width}" y="{height - 8}" fill="{MUTED}" font-size="11" '
            f'text-anchor="end">{days[-1][0].isoformat()}</text>'
        )
    return _svg(chart_id, title, desc, width, height, body)
