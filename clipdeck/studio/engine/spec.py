"""The edit a person asked for, parsed and validated from the API's JSON.

``EditSpec.from_dict`` accepts::

    {"trim": {"start_ms": 0, "end_ms": 5000}, "speed": 1.0, "filter": "vivid",
     "sound": {"path": "/media/sounds/12.m4a", "offset_ms": 0, "volume": 1.0},
     "original_volume": 1.0}

plus ``"texts": [{"text", "x", "y", "size", "color", "background", "start_ms",
"end_ms"}]`` and ``"stickers": [{"name", "x", "y", "width", "start_ms", "end_ms"}]``
(every key optional; the Django layer resolves a sound id to ``sound.path``),
``"clips": [{"path", "trim": {...}}]`` (more takes, joined after the source in
order), ``"voiceover": {"path", "volume"}`` (a second sound over the result, not
sped up) and ``"captions": [{"start_ms", "end_ms", "text"}]`` (cues burnt into
the picture, in output time), and ``Layout.from_dict`` accepts ``{"kind":
"single" | "duet" | "react" | "stitch", "pip": {"x": 0.05, "y": 0.05, "width":
0.35}, "source_trim": {"start_ms", "end_ms"}}`` (``source_trim``: the part of
the original a stitch starts with, at most 5 s). Bad values raise
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
LAYOUTS = ("single", "duet", "react", "stitch")
MAX_CLIPS = 9  # takes after the first: ten in all
MAX_STITCH_MS = 5000  # the part of someone's video a stitch starts with
MAX_CUES, MAX_CUE_CHARS = 1000, 300
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
class Clip:
    """Another take, joined after the ones before it: a local file and its kept part."""

    path: str
    trim: Trim | None = None


@dataclass(frozen=True)
class Voiceover:
    """A second sound over the whole result (from its start, not sped up), at ``volume``."""

    path: str
    volume: float = 1.0


@dataclass(frozen=True)
class CaptionCue:
    """A caption burnt into the picture from ``start_ms`` to ``end_ms`` (output time)."""

    start_ms: int
    end_ms: int
    text: str


@dataclass(frozen=True)
class EditSpec:
    """Trim, speed, colour preset, background music, the original sound's volume, text
    boxes and stickers, more takes, a voice-over and burnt-in captions."""

    trim: Trim | None = None
    speed: float = 1.0
    filter: str = "none"
    sound: Sound | None = None
    original_volume: float = 1.0
    texts: tuple[TextBox, ...] = ()
    stickers: tuple[StickerBox, ...] = ()
    clips: tuple[Clip, ...] = ()
    voiceover: Voiceover | None = None
    captions: tuple[CaptionCue, ...] = ()

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
            clips=_list(data.get("clips"), "clips", MAX_CLIPS, _clip),
            voiceover=_voiceover(data.get("voiceover")),
            captions=_list(data.get("captions"), "captions", MAX_CUES, _cue),
        )

    def to_dict(self) -> dict:
        """JSON-ready dict that :meth:`from_dict` reads back."""
        data = asdict(self)
        for key in ("texts", "stickers", "clips", "captions"):
            data[key] = list(data[key])
        return data


EDIT_KEYS = (
    "trim",
    "speed",
    "filter",
    "sound",
    "original_volume",
    "texts",
    "stickers",
    "clips",
    "voiceover",
    "captions",
)


@dataclass(frozen=True)
class Pip:
    """Picture-in-picture box for a reaction, as fractions of the output frame."""

    x: float = 0.05
    y: float = 0.05
    width: float = 0.35


@dataclass(frozen=True)
class Layout:
    """``single`` (one video), ``duet`` (side by side), ``react`` (reaction over original)
    or ``stitch`` (``source_trim`` of the original, then the recording)."""

    kind: str = "single"
    pip: Pip | None = None
    source_trim: Trim | None = None

    @classmethod
    def from_dict(cls, data: dict | str | None) -> Layout:
        """Parse ``"duet"`` or ``{"kind": "react", "pip": {...}}``; raise SpecError."""
        if data is None or isinstance(data, str):
            data = {"kind": data or "single"}
        data = _mapping(data, "layout")
        _no_unknown(data, {"kind", "pip", "source_trim"}, "layout.")
        kind = data.get("kind", "single")
        if kind not in LAYOUTS:
            raise SpecError(
                "layout.kind", f"Unknown layout {kind!r}; choose single, duet, react or stitch."
            )
        pip = _pip(data.get("pip")) if kind == "react" else None
        cut = _source_trim(data.get("source_trim")) if kind == "stitch" else None
        return cls(kind=kind, pip=pip, source_trim=cut)

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


def _clip(value, field: str) -> Clip:
    data = _mapping(value, field)
    _no_unknown(data, {"path", "trim"}, f"{field}.")
    path = data.get("path")
    if not isinstance(path, str) or not path:
        raise SpecError(f"{field}.path", "The take's file is missing.")
    try:
        trim = _trim(data.get("trim"))
    except SpecError as error:
        raise SpecError(f"{field}.{error.field}", error.message) from None
    return Clip(path=path, trim=trim)


def _voiceover(value) -> Voiceover | None:
    if value is None:
        return None
    data = _mapping(value, "voiceover")
    _no_unknown(data, {"path", "volume"}, "voiceover.")
    path = data.get("path")
    if not isinstance(path, str) or not path:
        raise SpecError("voiceover.path", "The voice-over's file is missing.")
    return Voiceover(
        path=path, volume=_number(data, "volume", 1.0, 0.0, MAX_VOLUME, "voiceover.volume")
    )


def _cue(value, field: str) -> CaptionCue:
    data = _mapping(value, field)
    _no_unknown(data, {"start_ms", "end_ms", "text"}, f"{field}.")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_CUE_CHARS:
        raise SpecError(f"{field}.text", f"A caption holds 1 to {MAX_CUE_CHARS} characters.")
    start, end = _times(data, field)
    if end is None:
        raise SpecError(f"{field}.end_ms", "A caption needs an end time.")
    return CaptionCue(start_ms=start, end_ms=end, text=text)


def _source_trim(value) -> Trim:
    try:
        trim = _trim(value if value is not None else {"start_ms": 0, "end_ms": MAX_STITCH_MS})
    except SpecError as error:
        raise SpecError(f"layout.source_{error.field}", error.message) from None
    if trim.end_ms is None or trim.end_ms - trim.start_ms > MAX_STITCH_MS:
        raise SpecError(
            "layout.source_trim.end_ms",
            f"A stitch uses at most {MAX_STITCH_MS // 1000} s of the original video.",
        )
    return trim
