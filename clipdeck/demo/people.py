"""The demo cast: creators with handles, names, bios and a colour for their avatar."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    handle: str
    name: str
    bio: str
    colour: tuple[int, int, int]
    private: bool = False


CAST = [
    Person("maya.moves", "Maya Moves", "Dance breakdowns in 15 seconds 💃", (254, 44, 85)),
    Person("chef_kofi", "Chef Kofi", "One-pan dinners. No dishes left behind.", (255, 149, 0)),
    Person("lena.paints", "Lena Paints", "Watercolour in real time 🎨", (88, 86, 214)),
    Person(
        "trailrunner_ines", "Inês on Trails", "Mountains, mud and sunrise miles.", (52, 199, 89)
    ),
    Person("beatsbyraj", "Raj", "Making beats from kitchen sounds 🥁", (0, 122, 255)),
    Person("nora.codes", "Nora", "Tiny programming tips for busy people.", (175, 82, 222)),
    Person("tomas_fixes", "Tomás Fixes It", "Repair, don't replace. 🔧", (255, 204, 0)),
    Person("ada.birds", "Ada & the Birds", "Backyard birds, named and explained.", (48, 176, 199)),
    Person("sam.quiet", "Sam", "Close friends only.", (142, 142, 147), private=True),
    Person("viewer.vic", "Vic", "Mostly here to watch.", (255, 59, 48)),
]

COMMENTS = [
    "This is so good 😍",
    "How did you do that?!",
    "Tutorial please 🙏",
    "Saved for later",
    "The ending 😂",
    "Watched it five times",
    "Need the name of this sound",
    "Instant follow",
    "Trying this tonight",
    "Underrated",
    "The colours!!",
    "Okay this made my day",
]
