"""Captions as WebVTT: parsed, checked and written back in one normal form.

Accepted: the ``WEBVTT`` header, then cues of an optional identifier line, a
timing line ``HH:MM:SS.mmm --> HH:MM:SS.mmm`` (hours optional; cue settings after
it are dropped) and one or more text lines. Tags in the cue text (``<b>``,
``<c.x>``…) are removed and the text is stored as plain text, so a track never
carries markup into the page. Bad input is an InvalidInput naming the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from clipdeck.kernel.errors import InvalidInput

if TYPE_CHECKING:
    from clipdeck.studio.speech import Word

MAX_BYTES = 64 * 1024
MAX_CUES = 1000
MAX_CUE_CHARS = 300
STAMP = r"((?:\d{2,}:)?\d{2}:\d{2}\.\d{3})"
TIMING = re.compile(rf"^{STAMP}\s+-->\s+{STAMP}(\s.*)?$")
TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Cue:
    """One caption: shown from ``start_ms`` to ``end_ms``."""

    start_ms: int
    end_ms: int
    text: str


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(message, code="invalid_captions", field="captions")


def _ms(stamp: str) -> int:
    parts = stamp.split(":")
    hours = int(parts[0]) if len(parts) == 3 else 0
    minutes, seconds = int(parts[-2]), float(parts[-1])
    if minutes > 59 or seconds >= 60:
        raise ValueError(stamp)
    return round((hours * 3600 + minutes * 60 + seconds) * 1000)


def parse(text: str, *, duration_ms: int | None = None) -> list[Cue]:
    """The cues of a WebVTT document; InvalidInput says what is wrong and where."""
    if len(text.encode()) > MAX_BYTES:
        raise _invalid(f"Captions are limited to {MAX_BYTES // 1024} KB.")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        raise _invalid("Captions must be WebVTT: the first line is WEBVTT.")
    cues: list[Cue] = []
    index = 1
    while index < len(lines):
        line = lines[index]
        index += 1
        if "-->" not in line:
            continue  # blank lines, cue identifiers, NOTE blocks
        match = TIMING.match(line.strip())
        if not match:
            raise _invalid(f"Line {index}: a cue timing looks like 00:01.000 --> 00:02.500.")
        try:
            start, end = _ms(match[1]), _ms(match[2])
        except ValueError:
            raise _invalid(f"Line {index}: that time does not exist.") from None
        if end <= start:
            raise _invalid(f"Line {index}: a cue must end after it starts.")
        if duration_ms is not None and start >= duration_ms:
            raise _invalid(f"Line {index}: the cue starts after the video ends.")
        body = []
        while index < len(lines) and lines[index].strip():
            body.append(_unescape(TAG.sub("", lines[index])).strip())
            index += 1
        words = "\n".join(part for part in body if part)
        if not words:
            raise _invalid(f"Line {index}: a cue needs some text.")
        if len(words) > MAX_CUE_CHARS:
            raise _invalid(f"Line {index}: a cue holds at most {MAX_CUE_CHARS} characters.")
        cues.append(Cue(start, end, words))
        if len(cues) > MAX_CUES:
            raise _invalid(f"At most {MAX_CUES} cues.")
    return sorted(cues, key=lambda cue: (cue.start_ms, cue.end_ms))


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _stamp(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02}:{minutes:02}:{rest // 1000:02}.{rest % 1000:03}"


def write(cues: list[Cue]) -> str:
    """The normal form of ``cues`` as a WebVTT document."""
    blocks = [f"{_stamp(c.start_ms)} --> {_stamp(c.end_ms)}\n{_escape(c.text)}" for c in cues]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + ("\n" if blocks else "")


MAX_LINE_CHARS = 42
MAX_CUE_MS = 3000
PAUSE_MS = 200
MIN_CUE_MS = 700


def cues_from_words(words: list[Word]) -> list[Cue]:
    """Words grouped into readable cues: a new cue after a pause, or before the text
    passes ``MAX_LINE_CHARS`` or the cue lasts longer than ``MAX_CUE_MS`` (then at
    the longest gap between its words, so a phrase is not cut mid-way).

    A short cue is held up to ``MIN_CUE_MS`` when the next one leaves room, so a
    lone word stays on screen long enough to read.
    """
    groups: list[list[Word]] = []
    for word in words:
        current = groups[-1] if groups else None
        if current is None or word.start_ms - current[-1].end_ms >= PAUSE_MS:
            groups.append([word])
        elif _too_long([*current, word]):
            cut = _longest_gap([*current, word])
            groups[-1], rest = current[:cut], [*current[cut:], word]
            groups.append(rest)
        else:
            current.append(word)
    cues = []
    for index, group in enumerate(groups):
        start, end = group[0].start_ms, group[-1].end_ms
        following = groups[index + 1][0].start_ms if index + 1 < len(groups) else None
        held = start + MIN_CUE_MS
        end = max(end, held if following is None else min(held, following))
        cues.append(Cue(start, end, _sentence_case(" ".join(word.text for word in group))))
    return cues


def _too_long(group: list[Word]) -> bool:
    text = " ".join(word.text for word in group)
    return len(text) > MAX_LINE_CHARS or group[-1].end_ms - group[0].start_ms > MAX_CUE_MS


def _longest_gap(group: list[Word]) -> int:
    """Where to cut ``group`` (whose last word does not fit): before the word after
    the longest silence, the first part never empty, the rest fitting."""
    best, best_gap = len(group) - 1, -1
    for index in range(1, len(group)):
        gap = group[index].start_ms - group[index - 1].end_ms
        if gap > best_gap and not _too_long(group[index:]) and not _too_long(group[:index]):
            best, best_gap = index, gap
    return best


def _sentence_case(text: str) -> str:
    words = [
        "I" + word[1:] if word == "i" or word.startswith("i'") else word for word in text.split()
    ]
    text = " ".join(words)
    return text[:1].upper() + text[1:]
