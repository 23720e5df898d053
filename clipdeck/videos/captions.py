"""Parsing hashtags and mentions out of captions."""

from __future__ import annotations

import re

HASHTAG_RE = re.compile(r"(?<![\w#])#(\w{1,100})", re.UNICODE)
MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,22}[A-Za-z0-9_])?)")
MAX_HASHTAGS = 30
MAX_MENTIONS = 20


def _unique(items: list[str], limit: int) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)[:limit]


def hashtags_in(caption: str) -> list[str]:
    """Lower-cased hashtags in order of first appearance, without ``#``."""
    return _unique([tag.lower() for tag in HASHTAG_RE.findall(caption or "")], MAX_HASHTAGS)


def mentions_in(caption: str) -> list[str]:
    """Handles mentioned, lower-cased, in order of first appearance, without ``@``."""
    return _unique([h.lower() for h in MENTION_RE.findall(caption or "")], MAX_MENTIONS)
