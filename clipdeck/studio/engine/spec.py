"""The edit a person asked for, parsed and validated from the API's JSON.

``EditSpec.from_dict`` accepts::

    {"trim": {"start_ms": 0, "end_ms": 5000}, "speed": 1.0, "filter": "vivid",
     "sound": {"path": "/media/sounds/12.m4a", "offset_ms": 0, "volume": 1.0},
     "original_volume": 1.0}

(every key optional; the Django layer resolves a sound id to ``sound.path``), and
``Layout.from_dict`` accepts ``{"kind": "single" | "duet" | "react",
"pip": {"x": 0.05, "y": 0.05, "width": 0.35}}``. Bad values raise
:class:`SpecError` naming the field, with a message a person understands.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from .presets import PRESETS

MIN_SPEED, MAX_SPEED = 0.5, 3.0
MAX_VOLUME = 2.0
MIN_TRIM_MS = 100
LAYOUTS = ("single", "duet", "react")


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
class EditSpec:
    """Trim, speed, colour preset, background music and the original sound's volume."""

    trim: Trim | None = None
    speed: float = 1.0
    filter: str = "none"
    sound: Sound | None = None
    original_volume: float = 1.0

    @classmethod
    def from_dict(cls, data: dict | None) -> EditSpec:
        """Parse and validate the API's edit dict; raise :class:`SpecError` when invalid."""
        data = _mapping(data or {}, "edit")
        _no_unknown(data, {"trim", "speed", "filter", "sound", "original_volume"}, "")
        return cls(
            trim=_trim(data.get("trim")),
            speed=_number(data, "speed", 1.0, MIN_SPEED, MAX_SPEED, "speed"),
            filter=_filter(data.get("filter", "none")),
            sound=_sound(data.get("sound")),
            original_volume=_number(
                data, "original_volume", 1.0, 0.0, MAX_VOLUME, "original_volume"
            ),
        )

    def to_dict(self) -> dict:
        """JSON-ready dict that :meth:`from_dict` reads back."""
        return asdict(self)


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
