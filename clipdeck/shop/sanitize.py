"""Product descriptions come from other systems: keep the formatting, drop anything active."""

from __future__ import annotations

import nh3

TAGS = {
    "a", "b", "blockquote", "br", "caption", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "li", "ol", "p", "pre", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}


def clean_description(html: str) -> str:
    """``html`` with scripts, styles, event handlers and unknown tags removed."""
    return nh3.clean(
        html or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()
