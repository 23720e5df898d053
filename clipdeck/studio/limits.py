"""The studio's limits, read from settings when they are needed (never at import)."""

from __future__ import annotations

import math

from django.conf import settings

from clipdeck.studio.engine.limits import Limits

PROBE_WALL_SECONDS = 30
PROBE_CPU_SECONDS = 20
# A render's wall clock grows with the length of what it produces: a 15 s video
# gets 210 s, a 60 s one 660 s; CLIPDECK_RENDER_WALL_SECONDS caps it.
RENDER_BASE_SECONDS = 60
RENDER_SECONDS_PER_OUTPUT_SECOND = 10
# Videos one person may have processing (queued or rendering) at once.


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


def render_wall_seconds(output_ms: int) -> int:
    """Wall-clock budget of a render whose edited output is at most ``output_ms`` long.

    ``RENDER_BASE_SECONDS`` plus ``RENDER_SECONDS_PER_OUTPUT_SECOND`` per second of
    output, never more than ``CLIPDECK_RENDER_WALL_SECONDS``.
    """
    derived = RENDER_BASE_SECONDS + RENDER_SECONDS_PER_OUTPUT_SECOND * output_ms / 1000
    return max(1, min(settings.CLIPDECK_RENDER_WALL_SECONDS, math.ceil(derived)))


def render_limits(output_ms: int) -> Limits:
    """Limits for one sandboxed render of at most ``output_ms`` of edited video
    (wall clock from :func:`render_wall_seconds`, CPU time twice that)."""
    wall = render_wall_seconds(output_ms)
    return Limits(
        max_bytes=settings.CLIPDECK_MAX_UPLOAD_BYTES,
        max_source_ms=settings.CLIPDECK_MAX_SOURCE_MS,
        max_side=settings.CLIPDECK_MAX_SIDE,
        cpu_seconds=wall * 2,
        memory_bytes=settings.CLIPDECK_RENDER_MEMORY_MB * 1024 * 1024,
        wall_seconds=wall,
    )


def renders_in_flight_limit() -> int:
    """How many of one person's videos may be processing at once
    (``CLIPDECK_MAX_RENDERS_IN_FLIGHT``, 3 by default)."""
    return settings.CLIPDECK_MAX_RENDERS_IN_FLIGHT


def length_options_ms() -> list[int]:
    return list(settings.CLIPDECK_LENGTH_OPTIONS_MS)


def default_length_ms() -> int:
    return length_options_ms()[0]
