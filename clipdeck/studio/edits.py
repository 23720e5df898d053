"""The API's ``edit`` object: validated, with its sound resolved through the policy.

The engine validates values (``EditSpec.from_dict``); this module adds what only
the web side knows: which sound an id names and whether the creator may use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from clipdeck.accounts.models import User
from clipdeck.kernel.errors import Forbidden, InvalidInput, NotFound
from clipdeck.studio.engine.spec import EditSpec, Layout, SpecError
from clipdeck.videos.models import Sound
from clipdeck.videos.visibility import sound_access

SOUND_KEYS = {"id", "offset_ms", "volume"}
_PLACEHOLDER = "<sound>"


@dataclass(frozen=True)
class Edit:
    spec: EditSpec
    sound: Sound | None

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
        return data


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


def parse(raw: dict, *, viewer: User) -> Edit:
    """Validate the API's edit object; InvalidInput names the field that is wrong."""
    data = dict(raw or {})
    sound = None
    if data.get("sound") is not None:
        sound, data["sound"] = _resolve_sound(data["sound"], viewer)
    else:
        data.pop("sound", None)
    try:
        spec = EditSpec.from_dict(data)
    except SpecError as error:
        raise _invalid(error.field, error.message) from None
    return Edit(spec=spec, sound=sound)


def edited_duration_ms(edit: Edit, source_ms: int) -> int:
    """How long the result will be: the trimmed part of the source at the chosen speed."""
    trim = edit.spec.trim
    start = trim.start_ms if trim else 0
    end = min(trim.end_ms, source_ms) if trim and trim.end_ms is not None else source_ms
    if start >= source_ms:
        raise _invalid(
            "trim.start_ms",
            f"The trim starts at {start / 1000:.1f} s but the "
            f"video is only {source_ms / 1000:.1f} s long.",
        )
    return round((end - start) / edit.spec.speed)


def parse_pip(raw: dict) -> dict:
    """The reaction window ``{x, y, width}`` as fractions of the frame."""
    try:
        layout = Layout.from_dict({"kind": "react", "pip": raw or {}})
    except SpecError as error:
        field = error.field.removeprefix("layout.")
        raise InvalidInput(error.message, code="invalid_pip", field=field) from None
    return layout.to_dict()["pip"]
