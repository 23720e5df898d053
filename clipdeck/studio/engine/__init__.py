"""Clipdeck's media engine: probe, validate and render short videos with PyAV.

Pure Python + PyAV + numpy (no Django). For untrusted files call the sandboxed
entry points::

    from clipdeck.studio.engine import (EditSpec, Layout, Limits, RenderJob,
                                        RenderOutputs, safe_probe, safe_render)

    info = safe_probe(upload_path, Limits())
    result = safe_render(RenderJob(source=upload_path,
                                   outputs=RenderOutputs(mp4=..., mp4_720=..., poster=...,
                                                         audio=...),
                                   spec=EditSpec.from_dict(edit_json)), Limits())

Every failure caused by a file or an edit is a :class:`MediaError` (``code``,
``message``); bad edit values raise :class:`SpecError` from ``EditSpec.from_dict``.
See docs/studio.md.
"""

from .errors import CODES, MediaError
from .job import OutputFile, RenderJob, RenderOutputs, RenderResult
from .limits import Limits
from .presets import PRESETS, Preset, get_preset
from .probe import (
    AudioInfo,
    ProbeResult,
    VideoInfo,
    VoiceoverInfo,
    probe,
    probe_sound,
    probe_voiceover,
)
from .render import render
from .spec import CaptionCue, Clip, EditSpec, Layout, Pip, Sound, SpecError, Trim, Voiceover


def __getattr__(name: str):
    """Import the sandbox lazily, so ``python -m ...engine.sandbox`` runs it only once."""
    if name in ("safe_probe", "safe_probe_voiceover", "safe_render"):
        from . import sandbox

        return getattr(sandbox, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CODES",
    "PRESETS",
    "AudioInfo",
    "CaptionCue",
    "Clip",
    "EditSpec",
    "Layout",
    "Limits",
    "MediaError",
    "OutputFile",
    "Pip",
    "Preset",
    "ProbeResult",
    "RenderJob",
    "RenderOutputs",
    "RenderResult",
    "Sound",
    "SpecError",
    "Trim",
    "VideoInfo",
    "Voiceover",
    "VoiceoverInfo",
    "get_preset",
    "probe",
    "probe_sound",
    "probe_voiceover",
    "render",
    "safe_probe",
    "safe_probe_voiceover",
    "safe_render",
]
