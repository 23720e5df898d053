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
    cpu_seconds: CPU time one sandboxed job may use (RLIMIT_CPU, all threads together).
    memory_bytes: address space of the sandboxed process (RLIMIT_AS).
    wall_seconds: wall-clock time before the sandboxed process is killed.
    max_output_bytes: largest file the sandboxed process may write (RLIMIT_FSIZE).
    """

    max_bytes: int = 500 * MB
    max_source_ms: int = 600_000
    max_side: int = 4096
    cpu_seconds: int = 600
    memory_bytes: int = 4 * GIB
    wall_seconds: float = 300.0
    max_output_bytes: int = 1000 * MB

    def to_dict(self) -> dict:
        """JSON-ready dict of the fields."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Limits:
        """Rebuild from :meth:`to_dict` output."""
        return cls(**data)
