"""The edit a person asked for, parsed and validated from the API's JSON.

``EditSpec.from_dict`` accepts::

    {"trim": {"start_ms": 0, "end_ms": 5000}, "speed": 1.0, "filter": "vivid",
     "sound": {"path": "/media/sounds/12.m4a", "offset_ms": 0, "volume": 1.0},
     "original_volume": 1.0}

plus ``"texts": [{"text", "x", "y", "size", "color", "background", "start_ms",
"end_ms"}]`` and ``"stickers": [{"name", "x", "y", "width", "start_ms", "end_ms"}]``
(every key optional; the Django layer resolves a sound id to ``sound.path``), and
``Layout.from_dict`` accepts ``{"kind": "single" | "duet" | "react",
"pip": {"x": 0.05, "y": 0.05, "width": 0.35}}``. Bad values raise
:class:`SpecError` naming the field, with a message a person understands.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass

from .presets import PRESETS
from .stickers import STICKERS

MIN_SPEED, MAX_SPEED = 0.5, 3.0
MAX_VOLUME = 2.0
MIN_TRIM_MS = 100
LAYOUTS = ("single", "duet", "react")
MAX_TEXTS, MAX_STICKERS, MAX_TEXT_CHARS = 10, 10, 150
MIN_TEXT_SIZE, MAX_TEXT_SIZE = 16, 200  # font size in pixels of a 1080-wide frame
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$")


class SpecError(ValueError):
    """An invalid edit value: ``field`` (e.g. ``"trim.end_ms"``) and a human ``message``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Trim:
    """The kept part of the source, in source milliseconds (``end_ms`` None = to the end)."""

    start_ms: int = 0
    end_ms: int | None = None


@dataclass(frozen=True)
class Sound:
    """Background music: a local audio file, where in it to start, and its volume."""

    path: str
    offset_ms: int = 0
    volume: float = 1.0


@dataclass(frozen=True)
class TextBox:
    """Text drawn over the video: its centre (fractions of the frame), font size (pixels
    of a 1080-wide frame), colours (``#rrggbb[aa]``; no background when None) and when
    it shows (output milliseconds; ``end_ms`` None = to the end)."""

    text: str
    x: float = 0.5
    y: float = 0.5
    size: float = 64
    color: str = "#ffffff"
    background: str | None = None
    start_ms: int = 0
    end_ms: int | None = None


@dataclass(frozen=True)
class StickerBox:
    """A sticker from the library: its centre and width (fractions of the frame) and
    when it shows."""

    name: str
    x: float = 0.5
    y: float = 0.5
    width: float = 0.3
    start_ms: int = 0
    end_ms: int | None = None


@dataclass(frozen=True)
class EditSpec:
    """Trim, speed, colour preset, background music, the original sound's volume, text
    boxes and stickers."""

    trim: Trim | None = None
    speed: float = 1.0
    filter: str = "none"
    sound: Sound | None = None
    original_volume: float = 1.0
    texts: tuple[TextBox, ...] = ()
    stickers: tuple[StickerBox, ...] = ()

    @classmethod
    def from_dict(cls, data: dict | None) -> EditSpec:
        """Parse and validate the API's edit dict; raise :class:`SpecError` when invalid."""
        data = _mapping(data or {}, "edit")
        _no_unknown(data, set(EDIT_KEYS), "")
        return cls(
            trim=_trim(data.get("trim")),
            speed=_number(data, "speed", 1.0, MIN_SPEED, MAX_SPEED, "speed"),
            filter=_filter(data.get("filter", "none")),
            sound=_sound(data.get("sound")),
            original_volume=_number(
                data, "original_volume", 1.0, 0.0, MAX_VOLUME, "original_volume"
            ),
            texts=_list(data.get("texts"), "texts", MAX_TEXTS, _text_box),
            stickers=_list(data.get("stickers"), "stickers", MAX_STICKERS, _sticker_box),
        )

    def to_dict(self) -> dict:
        """JSON-ready dict that :meth:`from_dict` reads back."""
        data = asdict(self)
        data["texts"], data["stickers"] = list(data["texts"]), list(data["stickers"])
        return data


EDIT_KEYS = ("trim", "speed", "filter", "sound", "original_volume", "texts", "stickers")


@dataclass(frozen=True)
class Pip:
    """Picture-in-picture box for a reaction, as fractions of the output frame."""

    x: float = 0.05
    y: float = 0.05
    width: float = 0.35


@dataclass(frozen=True)
class Layout:
    """``single`` (one video), ``duet`` (side by side) or ``react`` (reaction over original)."""

    kind: str = "single"
    pip: Pip | None = None

    @classmethod
    def from_dict(cls, data: dict | str | None) -> Layout:
        """Parse ``"duet"`` or ``{"kind": "react", "pip": {...}}``; raise SpecError."""
        if data is None or isinstance(data, str):
            data = {"kind": data or "single"}
        data = _mapping(data, "layout")
        _no_unknown(data, {"kind", "pip"}, "layout.")
        kind = data.get("kind", "single")
        if kind not in LAYOUTS:
            raise SpecError(
                "layout.kind", f"Unknown layout {kind!r}; choose single, duet or react."
            )
        pip = _pip(data.get("pip")) if kind == "react" else None
        return cls(kind=kind, pip=pip)

    def to_dict(self) -> dict:
        """JSON-ready dict that :meth:`from_dict` reads back."""
        return asdict(self)


def _mapping(value, field: str) -> dict:
    if not isinstance(value, dict):
        raise SpecError(field, "Expected an object with named values.")
    return value


def _no_unknown(data: dict, allowed: set[str], prefix: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise SpecError(
            prefix + unknown[0],
            f"Unknown option {unknown[0]!r}; the options are {', '.join(sorted(allowed))}.",
        )


def _number(data: dict, key: str, default: float, low: float, high: float, field: str) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SpecError(field, f"{_title(field)} must be a number.")
    if not low <= value <= high:
        raise SpecError(
            field, f"{_title(field)} must be between {low:g} and {high:g} (got {value:g})."
        )
    return float(value)


def _integer_ms(data: dict, key: str, field: str, default: int | None = 0) -> int | None:
    value = data.get(key, default)
    if value is None and default is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SpecError(field, f"{_title(field)} must be a whole number of milliseconds.")
    if value < 0:
        raise SpecError(field, f"{_title(field)} cannot be negative.")
    return round(value)


def _title(field: str) -> str:
    return field.split(".")[-1].replace("_ms", "").replace("_", " ").capitalize()


def _trim(value) -> Trim | None:
    if value is None:
        return None
    data = _mapping(value, "trim")
    _no_unknown(data, {"start_ms", "end_ms"}, "trim.")
    start = _integer_ms(data, "start_ms", "trim.start_ms")
    end = _integer_ms(data, "end_ms", "trim.end_ms", default=None)
    if end is not None and end - start < MIN_TRIM_MS:
        raise SpecError(
            "trim.end_ms",
            f"The trim must keep at least {MIN_TRIM_MS} ms (start {start} ms, end {end} ms).",
        )
    return Trim(start_ms=start, end_ms=end)


def _filter(value) -> str:
    if not isinstance(value, str) or value not in PRESETS:
        raise SpecError("filter", f"Unknown filter {value!r}; choose one of {', '.join(PRESETS)}.")
    return value


def _sound(value) -> Sound | None:
    if value is None:
        return None
    data = _mapping(value, "sound")
    _no_unknown(data, {"path", "offset_ms", "volume"}, "sound.")
    path = data.get("path")
    if not isinstance(path, str) or not path:
        raise SpecError("sound.path", "The sound's file path is missing.")
    return Sound(
        path=path,
        offset_ms=_integer_ms(data, "offset_ms", "sound.offset_ms"),
        volume=_number(data, "volume", 1.0, 0.0, MAX_VOLUME, "sound.volume"),
    )


def _pip(value) -> Pip:
    data = _mapping(value if value is not None else {}, "layout.pip")
    _no_unknown(data, {"x", "y", "width"}, "layout.pip.")
    return Pip(
        x=_number(data, "x", Pip.x, 0.0, 1.0, "layout.pip.x"),
        y=_number(data, "y", Pip.y, 0.0, 1.0, "layout.pip.y"),
        width=_number(data, "width", Pip.width, 0.1, 1.0, "layout.pip.width"),
    )


def _list(value, field: str, most: int, parse) -> tuple:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise SpecError(field, f"{_title(field)} must be a list.")
    if len(value) > most:
        raise SpecError(field, f"At most {most} {field} per video (got {len(value)}).")
    return tuple(parse(item, f"{field}[{index}]") for index, item in enumerate(value))


def _times(data: dict, field: str) -> tuple[int, int | None]:
    start = _integer_ms(data, "start_ms", f"{field}.start_ms")
    end = _integer_ms(data, "end_ms", f"{field}.end_ms", default=None)
    if end is not None and end <= start:
        raise SpecError(f"{field}.end_ms", f"It must end after it starts ({start} ms).")
    return start, end


def _colour(data: dict, key: str, field: str, default: str | None) -> str | None:
    value = data.get(key, default)
    if value is None and default is None:
        return None
    if not isinstance(value, str) or not COLOUR.match(value):
        raise SpecError(field, f"{_title(field)} must be a colour like #ffcc00 (got {value!r}).")
    return value.lower()


def _text_box(value, field: str) -> TextBox:
    data = _mapping(value, field)
    allowed = {"text", "x", "y", "size", "color", "background", "start_ms", "end_ms"}
    _no_unknown(data, allowed, f"{field}.")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise SpecError(f"{field}.text", "A text box needs some text.")
    if len(text) > MAX_TEXT_CHARS:
        raise SpecError(f"{field}.text", f"A text box holds at most {MAX_TEXT_CHARS} characters.")
    if any(ord(ch) < 32 and ch != "\n" for ch in text):
        raise SpecError(f"{field}.text", "The text has control characters.")
    start, end = _times(data, field)
    return TextBox(
        text=text,
        x=_number(data, "x", 0.5, 0.0, 1.0, f"{field}.x"),
        y=_number(data, "y", 0.5, 0.0, 1.0, f"{field}.y"),
        size=_number(data, "size", 64, MIN_TEXT_SIZE, MAX_TEXT_SIZE, f"{field}.size"),
        color=_colour(data, "color", f"{field}.color", "#ffffff"),
        background=_colour(data, "background", f"{field}.background", None),
        start_ms=start,
        end_ms=end,
    )


def _sticker_box(value, field: str) -> StickerBox:
    data = _mapping(value, field)
    _no_unknown(data, {"name", "x", "y", "width", "start_ms", "end_ms"}, f"{field}.")
    name = data.get("name")
    if name not in STICKERS:
        raise SpecError(f"{field}.name", f"Unknown sticker {name!r}.")
    start, end = _times(data, field)
    return StickerBox(
        name=name,
        x=_number(data, "x", 0.5, 0.0, 1.0, f"{field}.x"),
        y=_number(data, "y", 0.5, 0.0, 1.0, f"{field}.y"),
        width=_number(data, "width", 0.3, 0.05, 1.0, f"{field}.width"),
        start_ms=start,
        end_ms=end,
    )
