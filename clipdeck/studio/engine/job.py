"""What a render is asked to do (``RenderJob``) and what it produced (``RenderResult``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .probe import ProbeResult
from .spec import CaptionCue, Clip, EditSpec, Layout, Sound, StickerBox, TextBox, Trim, Voiceover

MAX_OUTPUT_MS = 15_000


@dataclass(frozen=True)
class RenderOutputs:
    """Final paths of the files to write; None skips that output.

    mp4: the published video. mp4_720: the 720-wide rendition. poster: a JPEG.
    audio: the final mixed sound as .m4a (reusable as the video's "original sound").
    """

    mp4: str
    mp4_720: str | None = None
    poster: str | None = None
    audio: str | None = None


@dataclass(frozen=True)
class RenderJob:
    """One render: the new recording/upload (``source``), the edit, the layout, and for
    duet/react/stitch the original video (``partner``)."""

    source: str
    outputs: RenderOutputs
    spec: EditSpec = field(default_factory=EditSpec)
    layout: Layout = field(default_factory=Layout)
    partner: str | None = None
    max_output_ms: int = MAX_OUTPUT_MS

    def __post_init__(self) -> None:
        if self.layout.kind != "single" and not self.partner:
            raise ValueError(f"a {self.layout.kind} render needs the original (partner) video")
        if self.layout.kind == "single" and self.partner:
            raise ValueError("a partner video is only used by duet, react and stitch layouts")
        if self.spec.clips and self.layout.kind in ("duet", "react"):
            raise ValueError(f"a {self.layout.kind} has one recording: takes cannot be joined")

    def to_dict(self) -> dict:
        """JSON-ready dict (for the sandbox's command line)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> RenderJob:
        """Rebuild a job from :meth:`to_dict` output."""
        spec = data.get("spec") or {}
        return cls(
            source=data["source"],
            outputs=RenderOutputs(**data["outputs"]),
            spec=EditSpec(
                trim=Trim(**spec["trim"]) if spec.get("trim") else None,
                speed=spec.get("speed", 1.0),
                filter=spec.get("filter", "none"),
                sound=Sound(**spec["sound"]) if spec.get("sound") else None,
                original_volume=spec.get("original_volume", 1.0),
                texts=tuple(TextBox(**box) for box in spec.get("texts") or ()),
                stickers=tuple(StickerBox(**box) for box in spec.get("stickers") or ()),
                clips=tuple(_clip(clip) for clip in spec.get("clips") or ()),
                voiceover=Voiceover(**spec["voiceover"]) if spec.get("voiceover") else None,
                captions=tuple(CaptionCue(**cue) for cue in spec.get("captions") or ()),
            ),
            layout=Layout.from_dict(data.get("layout")),
            partner=data.get("partner"),
            max_output_ms=data.get("max_output_ms", MAX_OUTPUT_MS),
        )


def _clip(data: dict) -> Clip:
    return Clip(path=data["path"], trim=Trim(**data["trim"]) if data.get("trim") else None)


@dataclass(frozen=True)
class OutputFile:
    """A written file: its path, size, and picture size (None for audio-only)."""

    path: str
    size_bytes: int
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class RenderResult:
    """The render's outcome: duration and frame of the main video, every output file by
    name (mp4, mp4_720, poster, audio), per-stage timings in seconds, and the source's
    probe."""

    duration_ms: int
    width: int
    height: int
    outputs: dict[str, OutputFile]
    timings: dict[str, float]
    source: ProbeResult

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> RenderResult:
        """Rebuild from :meth:`to_dict` output."""
        outputs = {name: OutputFile(**info) for name, info in data["outputs"].items()}
        return cls(
            duration_ms=data["duration_ms"],
            width=data["width"],
            height=data["height"],
            outputs=outputs,
            timings=data["timings"],
            source=ProbeResult.from_dict(data["source"]),
        )
