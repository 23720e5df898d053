"""What the editor offers: filter presets, speeds, length limits, upload limits, how
many takes may be joined and how much of a video a stitch may use."""

from __future__ import annotations

from django.conf import settings

from clipdeck.studio.engine.media import AUDIO_CODECS, VIDEO_CODECS
from clipdeck.studio.engine.presets import PRESETS
from clipdeck.studio.engine.spec import MAX_CLIPS, MAX_SPEED, MAX_STITCH_MS, MIN_SPEED
from clipdeck.studio.limits import default_length_ms, length_options_ms
from clipdeck.videos.models import Sound

SPEEDS = [0.5, 1.0, 1.5, 2.0, 3.0]
CONTAINERS = ["mp4", "mov", "webm", "mkv"]


def studio_options() -> dict:
    genres = (
        Sound.objects.filter(is_original=False)
        .exclude(genre="")
        .order_by("genre")
        .values_list("genre", flat=True)
        .distinct()
    )
    return {
        "filters": [{"name": p.name, "label": p.label, "css": p.css} for p in PRESETS.values()],
        "speeds": SPEEDS,
        "speed_min": MIN_SPEED,
        "speed_max": MAX_SPEED,
        "length_limits_seconds": [ms // 1000 for ms in length_options_ms()],
        "default_length_seconds": default_length_ms() // 1000,
        "max_upload_mb": settings.CLIPDECK_MAX_UPLOAD_BYTES // 1_000_000,
        "max_source_seconds": settings.CLIPDECK_MAX_SOURCE_MS // 1000,
        "max_side": settings.CLIPDECK_MAX_SIDE,
        "containers": CONTAINERS,
        "video_codecs": sorted(VIDEO_CODECS),
        "audio_codecs": sorted(AUDIO_CODECS),
        "genres": list(genres),
        "max_takes": MAX_CLIPS + 1,
        "max_stitch_seconds": MAX_STITCH_MS // 1000,
    }
