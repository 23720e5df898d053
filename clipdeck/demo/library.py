"""The demo uses the music library every cell ships (``clipdeck.studio.music_library``)."""

from __future__ import annotations

from clipdeck.studio.music_library import LICENCE, TRACK_SECONDS, TRACKS, seed_library

__all__ = ["LICENCE", "TRACKS", "TRACK_SECONDS", "seed_library"]
