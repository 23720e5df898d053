"""The studio's limits, read from settings when they are needed (never at import)."""

from __future__ import annotations

from django.conf import settings

from clipdeck.studio.engine.limits import Limits

PROBE_WALL_SECONDS = 30
PROBE_CPU_SECONDS = 20


def probe_limits() -> Limits:
    """Limits for reading an upload's headers at upload time."""
    return Limits(
        max_bytes=settings.CLIPDECK_MAX_UPLOAD_BYTES,
        max_source_ms=settings.CLIPDECK_MAX_SOURCE_MS,
        max_side=settings.CLIPDECK_MAX_SIDE,
        cpu_seconds=PROBE_CPU_SECONDS,
        memory_bytes=settings.CLIPDECK_RENDER_MEMORY_MB * 1024 * 1024,
        wall_seconds=PROBE_WALL_SECONDS,
    )


def render_limits() -> Limits:
    """Limits for one sandboxed render."""
    wall = settings.CLIPDECK_RENDER_WALL_SECONDS
    return Limits(
        max_bytes=settings.CLIPDECK_MAX_UPLOAD_BYTES,
        max_source_ms=settings.CLIPDECK_MAX_SOURCE_MS,
        max_side=settings.CLIPDECK_MAX_SIDE,
        cpu_seconds=wall * 2,
        memory_bytes=settings.CLIPDECK_RENDER_MEMORY_MB * 1024 * 1024,
        wall_seconds=wall,
    )


def length_options_ms() -> list[int]:
    return list(settings.CLIPDECK_LENGTH_OPTIONS_MS)


def default_length_ms() -> int:
    return length_options_ms()[0]
