"""Numbers as people read them: 987, 1.2K, 34K; 45 s, 12 min, 3.5 h; "just now"."""

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


@register.filter
def duration_ms(value) -> str:
    """``45_000`` → ``45 s``; ``720_000`` → ``12 min``; ``12_600_000`` → ``3.5 h``."""
    seconds = int(value or 0) / 1000
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f}".rstrip("0").rstrip(".") + " h"


@register.filter
def ago(when) -> str:
    """ "just now" under a minute, else Django's ``timesince`` and "ago"."""
    from django.utils import timezone
    from django.utils.timesince import timesince

    if when is None:
        return ""
    if (timezone.now() - when).total_seconds() < 60:
        return "just now"
    return f"{timesince(when).split(',')[0]} ago"
