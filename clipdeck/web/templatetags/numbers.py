"""Counts as people read them: 987, 1.2K, 34K, 5.6M."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def compact(value) -> str:
    """``1234`` → ``1.2K``; ``1_250_000`` → ``1.2M``; small numbers unchanged."""
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        return str(value)
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if abs(number) >= size:
            shown = f"{number / size:.1f}".rstrip("0").rstrip(".")
            return f"{shown}{suffix}"
    return str(number)
