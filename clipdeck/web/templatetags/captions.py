"""Captions and comments as HTML: #hashtags and @mentions become links."""

from __future__ import annotations

import re
from urllib.parse import quote

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The same rule as captionNodes() in static/web/js/api.js.
TOKEN = re.compile(r"([#@])([\w.]+)")


@register.filter
def linked_caption(text: str | None) -> SafeString:
    """Escape ``text`` and link each #hashtag to its page and each @mention to a profile."""
    text = text or ""
    parts: list[str] = []
    last = 0
    for match in TOKEN.finditer(text):
        sign, name = match.groups()
        clean = name.rstrip(".")
        if not clean:
            continue
        parts.append(conditional_escape(text[last : match.start()]))
        href = f"/tag/{quote(clean.lower())}" if sign == "#" else f"/@{quote(clean)}"
        parts.append(format_html('<a href="{}">{}{}</a>', href, sign, clean))
        last = match.start() + 1 + len(clean)
    parts.append(conditional_escape(text[last:]))
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every part escaped
