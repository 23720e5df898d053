"""The API's ``edit`` object: validated, with its sound resolved through the policy.

The engine validates values (``EditSpec.from_dict``); this module adds what only
the web side knows: which sound an id names and whether the creator may use it,
which uploaded files the takes (``clips[].upload``) and the voice-over
(``voiceover.upload``) name, and whether the video's captions are burnt in
(``burn_captions``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from clipdeck.accounts.models import User
from clipdeck.kernel.errors import Forbidden, InvalidInput, NotFound
from clipdeck.studio.engine.spec import EDIT_KEYS, EditSpec, Layout, SpecError, Trim
from clipdeck.videos.models import Sound
from clipdeck.videos.visibility import sound_access

SOUND_KEYS = {"id", "offset_ms", "volume"}
_PLACEHOLDER = "<sound>"
API_KEYS = (set(EDIT_KEYS) - {"captions"}) | {"burn_captions"}
UPLOAD_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")
TAKE, VOICEOVER = "take", "voiceover"


@dataclass(frozen=True)
class Edit:
    """A valid edit: the engine's spec (placeholder paths), the sound it uses, the
    uploaded files it names (name -> ``take`` / ``voiceover``, in order) and whether
    the video's captions are burnt in."""

    spec: EditSpec
    sound: Sound | None
    uploads: dict[str, str] = field(default_factory=dict)
    burn_captions: bool = False

    @property
    def take_names(self) -> list[str]:
        """The uploaded takes, in the order they are joined (after the main file)."""
        return [name for name, kind in self.uploads.items() if kind == TAKE]

    @property
    def voiceover_name(self) -> str | None:
        """The uploaded voice-over's name, if any."""
        return next((name for name, kind in self.uploads.items() if kind == VOICEOVER), None)

    def as_api_dict(self) -> dict:
        """The edit as stored on the video and shown to its owner."""
        spec = self.spec
        data: dict = {
            "speed": spec.speed,
            "filter": spec.filter,
            "original_volume": spec.original_volume,
        }
        if spec.trim:
            data["trim"] = {"start_ms": spec.trim.start_ms, "end_ms": spec.trim.end_ms}
        if self.sound and spec.sound:
            data["sound"] = {
                "id": self.sound.pk,
                "offset_ms": spec.sound.offset_ms,
                "volume": spec.sound.volume,
            }
        full = spec.to_dict()
        for key in ("texts", "stickers"):
            if full[key]:
                data[key] = full[key]
        if spec.clips:
            data["clips"] = [
                {"upload": name, "trim": _trim_dict(clip.trim)}
                for name, clip in zip(self.take_names, spec.clips, strict=True)
            ]
        if spec.voiceover:
            data["voiceover"] = {"upload": self.voiceover_name, "volume": spec.voiceover.volume}
        if self.burn_captions:
            data["burn_captions"] = True
        return data


def _trim_dict(trim: Trim | None) -> dict | None:
    return {"start_ms": trim.start_ms, "end_ms": trim.end_ms} if trim else None


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, code="invalid_edit", field=f"edit.{field}")


def _resolve_sound(raw, viewer: User) -> tuple[Sound, dict]:
    if not isinstance(raw, dict):
        raise _invalid("sound", "sound must be an object with an id.")
    unknown = sorted(set(raw) - SOUND_KEYS)
    if unknown:
        raise _invalid(f"sound.{unknown[0]}", f"Unknown sound option {unknown[0]!r}.")
    sound_id = raw.get("id")
    if isinstance(sound_id, bool) or not isinstance(sound_id, int):
        raise _invalid("sound.id", "sound.id must be the id of a sound from the library.")
    try:
        sound = sound_access(viewer, sound_id, for_use=True)
    except NotFound:
        raise _invalid("sound.id", "That sound does not exist or is not available.") from None
    except Forbidden as refused:  # rule R1: seen, but not for everyone
        raise Forbidden(refused.message, code=refused.code, field="edit.sound.id") from None
    if not sound.audio:
        raise _invalid("sound.id", "That sound has no audio yet.")
    engine = {"path": _PLACEHOLDER, **{k: raw[k] for k in ("offset_ms", "volume") if k in raw}}
    return sound, engine


def parse(raw: dict, *, viewer: User, files: dict[str, str | None] | None = None) -> Edit:
    """Validate the API's edit object; InvalidInput names the field that is wrong.

    ``files``: the uploaded files the edit may name (name -> the kind it was stored
    as, or None when it comes with this request and may be either).
    """
    data = dict(raw or {})
    unknown = sorted(set(data) - API_KEYS)
    if unknown:
        raise _invalid(
            unknown[0],
            f"Unknown option {unknown[0]!r}; the options are {', '.join(sorted(API_KEYS))}.",
        )
    burn = data.pop("burn_captions", False)
    if not isinstance(burn, bool):
        raise _invalid("burn_captions", "burn_captions must be true or false.")
    sound = None
    if data.get("sound") is not None:
        sound, data["sound"] = _resolve_sound(data["sound"], viewer)
    else:
        data.pop("sound", None)
    uploads = _resolve_uploads(data, files or {})
    try:
        spec = EditSpec.from_dict(data)
    except SpecError as error:
        raise _invalid(error.field, error.message) from None
    return Edit(spec=spec, sound=sound, uploads=uploads, burn_captions=burn)


def _resolve_uploads(data: dict, files: dict[str, str | None]) -> dict[str, str]:
    """Replace the file names of ``clips`` and ``voiceover`` by placeholder paths;
    return the names used, in order, with the kind each is used as."""
    used: dict[str, str] = {}

    def named(value, where: str, kind: str) -> str:
        if not isinstance(value, str) or not UPLOAD_NAME.match(value) or value == "file":
            raise _invalid(where, "Name the form field of an uploaded file (not 'file').")
        if value not in files:
            raise _invalid(where, f"No file was uploaded as {value!r} with this video.")
        if files[value] not in (None, kind) or value in used:
            raise _invalid(where, f"The file {value!r} is already used for something else.")
        used[value] = kind
        return f"<upload:{value}>"

    clips = data.get("clips")
    if isinstance(clips, list):
        resolved = []
        for index, clip in enumerate(clips):
            if isinstance(clip, dict):
                clip = dict(clip)
                clip["path"] = named(clip.pop("upload", None), f"clips[{index}].upload", TAKE)
            resolved.append(clip)
        data["clips"] = resolved
    voiceover = data.get("voiceover")
    if isinstance(voiceover, dict):
        voiceover = dict(voiceover)
        name = voiceover.pop("upload", None)
        data["voiceover"] = {**voiceover, "path": named(name, "voiceover.upload", VOICEOVER)}
    return used


def edited_duration_ms(
    edit: Edit, source_ms: int, take_ms: dict[str, int] | None = None, lead_ms: int = 0
) -> int:
    """How long the result will be: the trimmed part of the source at the chosen speed,
    then each take's trimmed part at that speed (``take_ms``: each take's length by
    its name), after ``lead_ms`` (a stitch's part of the original)."""
    speed = edit.spec.speed
    total = lead_ms + _kept_ms(edit.spec.trim, source_ms, "trim") / speed
    for index, (name, clip) in enumerate(zip(edit.take_names, edit.spec.clips, strict=True)):
        kept = _kept_ms(clip.trim, (take_ms or {})[name], f"clips[{index}].trim", "take")
        total += kept / speed
    return round(total)


def _kept_ms(trim: Trim | None, length_ms: int, field: str, what: str = "video") -> int:
    start = trim.start_ms if trim else 0
    end = min(trim.end_ms, length_ms) if trim and trim.end_ms is not None else length_ms
    if start >= length_ms:
        raise _invalid(
            f"{field}.start_ms",
            f"The trim starts at {start / 1000:.1f} s but the "
            f"{what} is only {length_ms / 1000:.1f} s long.",
        )
    return end - start


def parse_pip(raw: dict) -> dict:
    """The reaction window ``{x, y, width}`` as fractions of the frame."""
    try:
        layout = Layout.from_dict({"kind": "react", "pip": raw or {}})
    except SpecError as error:
        field = error.field.removeprefix("layout.")
        raise InvalidInput(error.message, code="invalid_pip", field=field) from None
    return layout.to_dict()["pip"]
