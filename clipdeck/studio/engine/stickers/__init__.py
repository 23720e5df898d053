"""The sticker library: PNGs drawn by ``draw.py`` (CC0, see LICENSE.md), by name.

``STICKERS`` maps each name to its label; ``sticker_path(name)`` is its 512-px PNG
(transparent background). The engine scales it to the width an edit asks for.
"""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent

STICKERS: dict[str, str] = {
    "heart": "Heart",
    "star": "Star",
    "sparkles": "Sparkles",
    "fire": "Fire",
    "smile": "Smile",
    "laugh": "Laugh",
    "wink": "Wink",
    "sad": "Sad",
    "cool": "Cool",
    "thumbs_up": "Thumbs up",
    "check": "Check",
    "cross": "Cross",
    "arrow": "Arrow",
    "crown": "Crown",
    "sun": "Sun",
    "moon": "Moon",
    "cloud": "Cloud",
    "lightning": "Lightning",
    "music": "Music note",
    "rainbow": "Rainbow",
    "balloon": "Balloon",
    "flower": "Flower",
    "wow": "WOW",
    "lol": "LOL",
    "omg": "OMG",
    "new": "NEW",
    "follow": "Follow",
    "hot": "HOT",
}


def sticker_path(name: str) -> Path:
    """The PNG of sticker ``name`` (a key of ``STICKERS``)."""
    if name not in STICKERS:
        raise KeyError(name)
    return FOLDER / f"{name}.png"
