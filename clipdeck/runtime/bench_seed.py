"""``clipdeck bench seed``: a large synthetic catalogue, fast, for load tests and benchmarks.

Writes, with bulk inserts: ``creators`` accounts, ``viewers`` accounts with
hidden tastes (two favourite topics each), ``videos`` published videos with
one or two hashtags (of ``TOPICS``) and a sound (of ``SOUNDS``), five follows
per viewer, and about ``events`` events per viewer over the last two weeks
(views, skips and likes, 70 % on their favourite topics), with the counters
those events imply; then trains the recommender on that log. Every video
shares one of a few real, tiny encoded files (H.264/AAC and a poster), so the
web app plays them and seeding a million videos takes minutes, not days.

Seeded accounts have no password: they are reached through API tokens
(``clipdeck manage`` or the benchmarks mint them).
"""

from __future__ import annotations

import random
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from clipdeck.accounts.models import Follow, FollowState, User
from clipdeck.feed.models import Event, EventKind, VideoStats
from clipdeck.kernel import keys
from clipdeck.videos.models import Hashtag, Like, Sound, Video, VideoStatus

TOPICS = 200
SOUNDS = 500
MEDIA_FILES = 4
BATCH = 20_000
FOLLOWS = 5
COMPLETED_PM = 800


@dataclass
class Sizes:
    videos: int
    viewers: int
    creators: int = 0  # 0: one creator for every 20 videos (at least 100)
    events: int = 40  # per viewer

    def __post_init__(self) -> None:
        if self.videos < 1 or self.viewers < 1 or self.events < 0 or self.creators < 0:
            raise ValueError("--videos and --viewers must be at least 1, counts not negative.")
        self.creators = self.creators or max(100, self.videos // 20)


def seed(sizes: Sizes, *, seed: int = 0, log=print) -> list[int]:
    """Fill the (empty) database; the viewers' user ids."""
    if User.objects.exists():
        raise ValueError("The data folder already has accounts; seed an empty one.")
    rng = random.Random(seed)  # noqa: S311 (synthetic data, reproducible by seed; no secret)
    started = time.perf_counter()
    media = _media_files()
    viewers, creators = _accounts(sizes)
    log(f"accounts: {len(viewers)} viewers, {len(creators)} creators ({_since(started)})")
    tags = Hashtag.objects.bulk_create([Hashtag(name=f"topic{n}") for n in range(TOPICS)])
    sounds = Sound.objects.bulk_create([Sound(title=f"Track {n}") for n in range(SOUNDS)])
    catalogue = _plan(sizes.videos, rng)
    events, likes, stats = _events(viewers, catalogue, sizes.events, rng)
    _videos(catalogue, likes, creators, tags, sounds, media, rng, log, started)
    _follows(viewers, creators, rng)
    _store_events(catalogue, events, likes, stats)
    log(f"follows, {len(events)} events, {len(likes)} likes and counters ({_since(started)})")
    return viewers


def _since(started: float) -> str:
    return f"{time.perf_counter() - started:.0f} s"


def _poster(clip: Path, dest: Path) -> None:
    """A JPEG of the clip's frame at one second, as the studio's posters are."""
    import av

    with av.open(str(clip)) as source:
        chosen = None
        for frame in source.decode(source.streams.video[0]):
            chosen = frame
            if frame.time is not None and frame.time >= 1.0:
                break
    chosen.to_image().save(dest, format="JPEG", quality=85)


def _media_files() -> list[tuple[str, str]]:
    """A few real clips (and posters) that every seeded video points at."""
    from clipdeck.studio.engine.synth import make_clip

    files = []
    with tempfile.TemporaryDirectory() as work:
        for n in range(MEDIA_FILES):
            clip = Path(work, f"bench-{n}.mp4")
            make_clip(clip, seconds=2.0, width=180, height=320, scene="bouncing", seed=n)
            poster = Path(work, f"bench-{n}.jpg")
            _poster(clip, poster)
            with clip.open("rb") as video, poster.open("rb") as image:
                files.append(
                    (
                        default_storage.save(f"videos/bench-{n}.mp4", File(video)),
                        default_storage.save(f"posters/bench-{n}.jpg", File(image)),
                    )
                )
    return files


def _accounts(sizes: Sizes) -> tuple[list[int], list[int]]:
    def person(prefix: str, n: int) -> User:
        return User(
            handle=f"{prefix}{n}",
            email=f"{prefix}{n}@bench.invalid",
            email_index=uuid.uuid4().hex,
            password=make_password(None),  # unusable: seeded accounts use tokens only
        )

    for prefix, count in (("viewer", sizes.viewers), ("creator", sizes.creators)):
        for start in range(0, count, BATCH):
            people = [person(prefix, n) for n in range(start, min(start + BATCH, count))]
            User.objects.bulk_create(people, batch_size=2000)
    ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
    creators = ids[sizes.viewers :]
    for pk in creators:  # captions and media are sealed with the author's data key
        holder = User(pk=pk)
        keys.user_key_assign(holder)
        keys.user_key_save(holder)
    return ids[: sizes.viewers], creators


@dataclass
class Catalogue:
    ids: list[uuid.UUID]
    topic: list[int]
    duration: list[int]
    by_topic: dict[int, list[int]]


def _plan(count: int, rng: random.Random) -> Catalogue:
    """Each video's id, main topic and duration (nothing written yet)."""
    catalogue = Catalogue([], [], [], {})
    for row in range(count):
        topic = rng.randrange(TOPICS)
        catalogue.by_topic.setdefault(topic, []).append(row)
        catalogue.ids.append(uuid.UUID(int=rng.getrandbits(128), version=4))
        catalogue.topic.append(topic)
        catalogue.duration.append(rng.choice([8000, 15000, 30000, 60000]))
    return catalogue


def _videos(catalogue, likes, creators, tags, sounds, media, rng, log, started) -> None:
    now = timezone.now()
    liked = Counter(row for _, row in likes)
    through = Video.hashtags.through
    count = len(catalogue.ids)
    for start in range(0, count, BATCH):
        batch, taggings = [], []
        for row in range(start, min(start + BATCH, count)):
            mp4, poster = media[row % len(media)]
            topic = catalogue.topic[row]
            video = Video(
                id=catalogue.ids[row],
                author_id=rng.choice(creators),
                caption=f"#topic{topic}",
                status=VideoStatus.PUBLISHED,
                sound=rng.choice(sounds),
                mp4=mp4,
                poster=poster,
                duration_ms=catalogue.duration[row],
                width=180,
                height=320,
                like_count=liked.get(row, 0),
                published_at=now - timedelta(hours=rng.uniform(0, 24 * 30)),
            )
            batch.append(video)
            taggings.append(through(video_id=video.id, hashtag_id=tags[topic].pk))
            if rng.random() < 0.3:
                other = (topic + 1 + rng.randrange(TOPICS - 1)) % TOPICS
                taggings.append(through(video_id=video.id, hashtag_id=tags[other].pk))
        with transaction.atomic():
            Video.objects.bulk_create(batch, batch_size=2000)
            through.objects.bulk_create(taggings, batch_size=5000)
        log(f"videos: {start + len(batch)} ({_since(started)})")


def _follows(viewers: list[int], creators: list[int], rng: random.Random) -> None:
    follows = [
        Follow(follower_id=viewer, followee_id=creator, state=FollowState.FOLLOWING)
        for viewer in viewers
        for creator in rng.sample(creators, min(FOLLOWS, len(creators)))
    ]
    Follow.objects.bulk_create(follows, batch_size=5000, ignore_conflicts=True)


def _events(viewers: list[int], catalogue: Catalogue, per_viewer: int, rng: random.Random):
    """The events, likes and counters of the viewers' histories (inserted by ``_store_events``)."""
    now = timezone.now()
    events, likes = [], {}
    stats: dict[int, Counter] = {}
    for viewer in viewers:
        favourites = [rng.randrange(TOPICS) for _ in range(2)]
        for _ in range(per_viewer):
            pool = catalogue.by_topic.get(rng.choice(favourites))
            in_taste = pool is not None and rng.random() < 0.7
            row = rng.choice(pool) if in_taste else rng.randrange(len(catalogue.ids))
            completion = rng.uniform(0.6, 1.5) if in_taste else rng.uniform(0.0, 0.5)
            kind = EventKind.VIEW if completion > 0.2 else EventKind.SKIP
            at = now - timedelta(hours=rng.uniform(0, 24 * 14))
            video_id = catalogue.ids[row]
            events.append(
                Event(
                    user_id=viewer,
                    video_id=video_id,
                    kind=kind,
                    completion_pm=int(completion * 1000),
                    watched_ms=int(completion * catalogue.duration[row]),
                    at=at,
                )
            )
            tally = stats.setdefault(row, Counter())
            tally["exposures"] += 1
            tally["completions"] += int(kind == EventKind.VIEW and completion >= 0.8)
            tally["completion_sum"] += min(completion, 1.0)
            tally["skips"] += int(kind == EventKind.SKIP)
            if in_taste and rng.random() < 0.2 and (viewer, row) not in likes:
                likes[(viewer, row)] = at
                events.append(Event(user_id=viewer, video_id=video_id, kind=EventKind.LIKE, at=at))
                tally["likes"] += 1
    return events, likes, stats


def _store_events(catalogue: Catalogue, events, likes, stats) -> None:
    now = timezone.now()
    with transaction.atomic():
        Event.objects.bulk_create(events, batch_size=5000)
        Like.objects.bulk_create(
            [
                Like(user_id=viewer, video_id=catalogue.ids[row], created_at=at)
                for (viewer, row), at in likes.items()
            ],
            batch_size=5000,
        )
        VideoStats.objects.bulk_create(
            [
                VideoStats(video_id=catalogue.ids[row], updated_at=now, **tally)
                for row, tally in stats.items()
            ],
            batch_size=5000,
        )
