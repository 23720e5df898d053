"""Demo videos: procedural worlds with depth, text and sound, uploaded and rendered for real.

Each creator has a look (their worlds, tinted with their colour) and a pace;
each clip opens on its caption's hook as a title, as people do.

Every video goes through the same upload service and renderer as a person's
upload, so the demo exercises the whole pipeline (filters, speed, music, duets
and reactions included).
"""

from __future__ import annotations

import random
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.core.files import File
from django.db import connection
from django.utils import timezone

from clipdeck.accounts.models import User
from clipdeck.studio.engine.presets import preset_names
from clipdeck.studio.engine.synth import make_clip
from clipdeck.studio.rendering import render
from clipdeck.studio.uploads import Remix, VideoFields, upload_video
from clipdeck.videos.models import RemixKind, Sound, Video, VideoStatus

WORLDS = ["hills", "city", "ocean", "bokeh"]
# Each creator has a look and a pace: their worlds, in order, and how fast they move.
STYLES = {
    "maya.moves": (["bokeh", "city"], 1.8),
    "chef_kofi": (["bokeh", "hills"], 1.2),
    "lena.paints": (["ocean", "hills"], 0.6),
    "trailrunner_ines": (["hills", "ocean"], 1.5),
    "beatsbyraj": (["city", "bokeh"], 1.4),
    "nora.codes": (["city", "ocean"], 0.9),
    "tomas_fixes": (["hills", "city"], 1.0),
    "ada.birds": (["hills", "ocean"], 0.7),
}
REMIX_KINDS = [RemixKind.DUET, RemixKind.DUET, RemixKind.REACT]
PARALLEL_RENDERS = 2
TOPICS = {
    "maya.moves": ["#dance #tutorial", "#choreo #slowmo", "#dancechallenge #fyp"],
    "chef_kofi": [
        "Crispy pan-fried dumplings #dumplings #dinner",
        "#recipe #quick",
        "#foodtok #spicy",
    ],
    "lena.paints": ["#watercolor #art", "#painting #process", "#arttok #calm"],
    "trailrunner_ines": ["#trailrunning #sunrise", "#mountains #running", "#outdoors"],
    "beatsbyraj": ["#beats #producer", "#kitchenbeats #music", "#lofi #beatmaking"],
    "nora.codes": ["#python #tips", "#coding #learn", "#programming #shortcut"],
    "tomas_fixes": ["#repair #diy", "#fixit #tools", "#rightofrepair"],
    "ada.birds": ["#birds #nature", "#birdwatching #spring", "#backyard"],
    "sam.quiet": ["weekend stuff", "for friends only"],
}
CAPTIONS = [
    "Wait for it…",
    "Part 2 is coming",
    "Took me 3 hours",
    "Try this!",
    "Day 12",
    "Which one is your favourite?",
    "Okay I'm obsessed",
    "Small win today",
]


@dataclass(frozen=True)
class Plan:
    author: User
    seconds: float
    landscape: bool
    scene: str
    edit: dict
    caption: str
    visibility: str = "public"
    pace: float = 1.0
    title: str = ""


def _plan(author: User, index: int, sounds: list[Sound], rng: random.Random) -> Plan:
    edit: dict = {"filter": rng.choice(preset_names())}
    if rng.random() < 0.5 and sounds:
        sound = rng.choice(sounds)
        edit["sound"] = {"id": sound.pk, "offset_ms": rng.choice([0, 4000, 8000]), "volume": 0.9}
        edit["original_volume"] = rng.choice([0.0, 0.3])
    if rng.random() < 0.2:
        edit["speed"] = rng.choice([1.5, 2.0])
    topics = TOPICS.get(author.handle, ["#clipdeck"])
    hook = rng.choice(CAPTIONS)
    caption = f"{hook} {topics[index % len(topics)]}"
    visibility = "followers" if author.is_private else "public"
    worlds, pace = STYLES.get(author.handle, (WORLDS, 1.0))
    return Plan(
        author=author,
        seconds=rng.uniform(5, 9),
        landscape=rng.random() < 0.15,
        scene=worlds[index % len(worlds)],
        edit=edit,
        caption=caption,
        visibility=visibility,
        pace=pace * rng.uniform(0.85, 1.15),
        title=hook,
    )


def _clip(plan: Plan, work: Path, seed: int, colour) -> Path:
    width, height = (960, 540) if plan.landscape else (540, 960)
    path = work / f"clip-{seed}.mp4"
    make_clip(
        path,
        seconds=plan.seconds,
        width=width,
        height=height,
        scene=plan.scene,
        sound="melody",
        color=colour,
        seed=seed,
        pace=plan.pace,
        title=plan.title,
    )
    return path


def _upload(plan: Plan, path: Path, remix: Remix | None = None) -> Video:
    fields = VideoFields(caption=plan.caption, visibility=plan.visibility, edit=plan.edit)
    with open(path, "rb") as handle:
        upload = File(handle, name=path.name)
        return upload_video(author=plan.author, upload=upload, fields=fields, remix=remix)


def seed_videos(
    creators: list[tuple[User, tuple[int, int, int]]],
    sounds: list[Sound],
    *,
    per_creator: int,
    rng: random.Random,
    progress,
) -> list[Video]:
    """Upload and render ``per_creator`` videos for each creator, then a few remixes."""
    videos: list[Video] = []
    with tempfile.TemporaryDirectory(prefix="clipdeck-demo-") as tmp:
        work = Path(tmp)
        plans = [
            (_plan(user, i, sounds, rng), colour)
            for user, colour in creators
            for i in range(per_creator)
        ]
        total = len(plans) + len(REMIX_KINDS)
        videos = [
            _upload(plan, _clip(plan, work, n, colour))
            for n, (plan, colour) in enumerate(plans, start=1)
        ]
        _render_all(videos, progress, total)
        _spread_publish_times(videos, rng)
        videos += _remixes(creators, videos, work, rng, progress, start=len(plans), total=total)
    return videos


def _render_all(videos: list[Video], progress, total: int) -> None:
    """Render in parallel: each render runs in its own sandbox process."""

    def work(video: Video) -> Video:
        try:
            render(video.pk)
        finally:
            connection.close()
        return video

    with ThreadPoolExecutor(max_workers=PARALLEL_RENDERS) as pool:
        for done, video in enumerate(pool.map(work, videos), start=1):
            progress(done, total, f"@{video.author.handle}")


def _remixes(creators, videos, work: Path, rng, progress, *, start: int, total: int):
    public = [
        v
        for v in Video.objects.filter(
            pk__in=[v.pk for v in videos], status=VideoStatus.PUBLISHED, visibility="public"
        )
    ]
    made = []
    for offset, kind in enumerate(REMIX_KINDS, start=1):
        source = rng.choice(public)
        author, colour = rng.choice(
            [c for c in creators if c[0].pk != source.author_id and not c[0].is_private]
        )
        plan = Plan(
            author=author,
            seconds=min(8.0, source.duration_ms / 1000),
            landscape=False,
            scene=STYLES.get(author.handle, (WORLDS, 1.0))[0][0],
            edit={"filter": "none"},
            caption=f"{kind.label} with @{source.author.handle} #{kind.value}",
        )
        pip = {"x": 0.6, "y": 0.05, "width": 0.35} if kind == RemixKind.REACT else {}
        video = _upload(
            plan,
            _clip(plan, work, 1000 + offset, colour),
            remix=Remix(source=source, kind=kind, pip=pip),
        )
        render(video.pk)
        made.append(video)
        progress(start + offset, total, f"{kind.label.lower()} by @{author.handle}")
    return made


def _spread_publish_times(videos: list[Video], rng: random.Random) -> None:
    now = timezone.now()
    for video in videos:
        when = now - timedelta(minutes=rng.randint(5, 60 * 24 * 6))
        Video.objects.filter(pk=video.pk, status=VideoStatus.PUBLISHED).update(
            published_at=when, created_at=when
        )
