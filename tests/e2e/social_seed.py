"""Seed for the discovery browser test, run inside the server's data folder:

    clipdeck manage shell -c "exec(open('tests/e2e/social_seed.py').read())"

Creators with short synthetic clips, rendered by the server's own worker:
among them the demo cook's dumpling video that a new user searches for.
"""

import tempfile
from pathlib import Path

from django.core.files import File

from clipdeck.accounts.models import User
from clipdeck.accounts.services import user_create
from clipdeck.studio.engine.synth import make_clip
from clipdeck.studio.uploads import VideoFields, upload_video

SEED_PASSWORD = "swipe-up-2026"
POSTS = [
    (
        "chef_kofi",
        "Kofi Mensah",
        "Crispy pan-fried dumplings, folded by hand #dumplings #dinner",
        "gradient",
        (230, 120, 60),
    ),
    (
        "chef_kofi",
        "Kofi Mensah",
        "Five-minute chilli oil for your dumplings #dumplings #spicy",
        "bars",
        (200, 40, 40),
    ),
    (
        "lena.paints",
        "Lena Ortiz",
        "Watercolour sunset in three layers #watercolor #art",
        "quadrants",
        (60, 120, 220),
    ),
    (
        "nora.codes",
        "Nora Lin",
        "One Python trick I use every day #python #tips",
        "bouncing",
        (60, 200, 140),
    ),
]

work = Path(tempfile.mkdtemp())
for index, (handle, name, caption, scene, colour) in enumerate(POSTS):
    author = User.objects.filter(handle=handle).first() or user_create(
        handle=handle, email=f"{handle}@example.com", password=SEED_PASSWORD, display_name=name
    )
    clip = work / f"clip-{index}.mp4"
    make_clip(clip, seconds=4, width=360, height=640, scene=scene, color=colour, seed=index)
    with open(clip, "rb") as handle_:
        upload_video(
            author=author,
            upload=File(handle_, name=clip.name),
            fields=VideoFields(caption=caption),
        )
