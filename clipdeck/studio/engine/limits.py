"""Limits on what the engine accepts and on what one probe or render may consume."""

from __future__ import annotations

from dataclasses import asdict, dataclass

MB = 1_000_000
GIB = 1024**3


@dataclass(frozen=True)
class Limits:
    """Input limits (checked by ``probe``) and sandbox limits (enforced by ``sandbox``).

    max_bytes: largest accepted upload.
    max_source_ms: longest accepted source (before trim; the edit may keep less).
    max_side: largest accepted width or height in pixels.
    min_side: smallest accepted width or height in pixels.
    max_fps: most pictures a second (measured from the packets, not the header);
        240 admits phone slow motion (1080p at 240 fps).
    max_pixel_rate: most pixels a second (width x height x fps); the default,
        4096x2160 at 60 fps, admits every phone format up to 4K 60 fps and
        1080p 240 fps, portrait or landscape.
    cpu_seconds: CPU time one sandboxed job may use (RLIMIT_CPU, all threads together).
    memory_bytes: address space of the sandboxed process (RLIMIT_AS).
    wall_seconds: wall-clock time before the sandboxed process is killed.
    max_output_bytes: largest file the sandboxed process may write (RLIMIT_FSIZE).
    """

    max_bytes: int = 500 * MB
    max_source_ms: int = 600_000
    max_side: int = 4096
    min_side: int = 64
    max_fps: float = 240.0
    max_pixel_rate: int = 4096 * 2160 * 60
    cpu_seconds: int = 600
    memory_bytes: int = 4 * GIB
    wall_seconds: float = 300.0
    max_output_bytes: int = 1000 * MB

    def max_frames(self, duration_ms: float) -> int:
        """The decoded-frame budget of a video ``duration_ms`` long (``max_fps`` a second,
        plus a second's worth for rounding and reordered timestamps)."""
        return int(self.max_fps * (duration_ms / 1000 + 1))

    def to_dict(self) -> dict:
        """JSON-ready dict of the fields."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Limits:
        """Rebuild from :meth:`to_dict` output."""
        return cls(**data)
