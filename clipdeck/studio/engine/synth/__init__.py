"""Procedural media (video clips, tones, music) for tests and demo content; no downloads."""

from .audiofile import make_tone, write_audio
from .clip import make_clip
from .music import GENRES, make_music

__all__ = ["GENRES", "make_clip", "make_music", "make_tone", "write_audio"]
