"""For You latency: p50/p99 of building a page over a seeded catalogue.

Seeds a fresh SQLite data folder with ``--videos`` videos by ``--creators``
creators, ``--users`` viewers with hidden tastes (two favourite hashtags each)
and about ``--events`` events per viewer, trains the recommender on that log,
then times ``clipdeck.feed.pipeline.for_you`` (sources, visibility filter,
ranking, re-ranking, reasons, presenting the videos' rows) and the same through
the API in-process, for sampled viewers.

    .venv/bin/python benchmarks/feed_latency.py --videos 20000 --users 2000
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def setup(data_dir: str) -> None:
    os.environ["CLIPDECK_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clipdeck.settings")
    import django

    django.setup()
    from clipdeck.cli import prepare_database

    prepare_database(verbosity=0)


def seed(args, rng: random.Random) -> list:
    from django.utils import timezone

    from clipdeck.accounts.models import Follow, FollowState, User
    from clipdeck.feed.models import Event, EventKind, VideoStats
    from clipdeck.videos.models import Hashtag, Sound, Video, VideoStatus

    now = timezone.now()
    people = [
        User(handle=f"u{n}", email=f"u{n}@example.com", email_index=uuid.uuid4().hex)
        for n in range(args.users + args.creators)
    ]
    User.objects.bulk_create(people, batch_size=2000)
    people = list(User.objects.order_by("pk"))
    viewers, creators = people[: args.users], people[args.users :]
    tags = Hashtag.objects.bulk_create([Hashtag(name=f"topic{n}") for n in range(50)])
    sounds = Sound.objects.bulk_create([Sound(title=f"Track {n}") for n in range(200)])
    videos = [
        Video(
            author=rng.choice(creators),
            caption="",
            status=VideoStatus.PUBLISHED,
            sound=rng.choice(sounds),
            duration_ms=rng.choice([8000, 15000, 30000, 60000]),
            like_count=int(rng.paretovariate(1.5)),
            published_at=now - timedelta(hours=rng.uniform(0, 24 * 30)),
        )
        for _ in range(args.videos)
    ]
    Video.objects.bulk_create(videos, batch_size=2000)
    topic = {video.pk: rng.randrange(len(tags)) for video in videos}
    Video.hashtags.through.objects.bulk_create(
        [Video.hashtags.through(video_id=v.pk, hashtag=tags[topic[v.pk]]) for v in videos],
        batch_size=5000,
    )
    by_topic: dict[int, list] = {}
    for video in videos:
        by_topic.setdefault(topic[video.pk], []).append(video)
    follows, events = [], []
    for viewer in viewers:
        favourites = rng.sample(range(len(tags)), 2)
        for creator in rng.sample(creators, 5):
            follows.append(Follow(follower=viewer, followee=creator, state=FollowState.FOLLOWING))
        for _ in range(args.events):
            liked_topic = rng.random() < 0.7
            pool = by_topic[rng.choice(favourites)] if liked_topic else videos
            video = rng.choice(pool)
            completion = rng.uniform(0.6, 1.5) if liked_topic else rng.uniform(0.0, 0.5)
            at = now - timedelta(hours=rng.uniform(0, 24 * 14))
            kind = EventKind.VIEW if completion > 0.2 else EventKind.SKIP
            events.append(
                Event(
                    user=viewer,
                    video=video,
                    kind=kind,
                    completion_pm=int(completion * 1000),
                    watched_ms=int(completion * video.duration_ms),
                    at=at,
                )
            )
            if liked_topic and rng.random() < 0.2:
                events.append(Event(user=viewer, video=video, kind=EventKind.LIKE, at=at))
    Follow.objects.bulk_create(follows, batch_size=5000, ignore_conflicts=True)
    Event.objects.bulk_create(events, batch_size=5000)
    stats: dict = {}
    for event in events:
        row = stats.setdefault(event.video_id, VideoStats(video_id=event.video_id, updated_at=now))
        row.exposures += event.kind in (EventKind.VIEW, EventKind.SKIP)
        row.completions += event.kind == EventKind.VIEW and event.completion_pm >= 800
        row.likes += event.kind == EventKind.LIKE
    VideoStats.objects.bulk_create(stats.values(), batch_size=5000)
    return viewers


def seed_and_train(args, rng: random.Random) -> list:
    from clipdeck.feed.training import train

    started = time.perf_counter()
    viewers = seed(args, rng)
    print(
        f"seeded {args.videos} videos, {args.users} viewers, ~{args.events} events each "
        f"in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    card = train(days=30)
    print(
        f"trained version {card['version']} in {time.perf_counter() - started:.1f} s; "
        f"AUC complete {card['metrics']['complete'].get('validation_auc')}, "
        f"like {card['metrics']['like'].get('validation_auc')}"
    )
    return viewers


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return (
        f"p50 {statistics.median(ordered) * 1000:6.1f} ms  p99 {p99 * 1000:6.1f} ms  "
        f"mean {statistics.fmean(ordered) * 1000:6.1f} ms  (n={len(ordered)})"
    )


def timed(call, runs) -> list[float]:
    samples = []
    for argument in runs:
        started = time.perf_counter()
        call(argument)
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=20000)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--creators", type=int, default=2000)
    parser.add_argument("--events", type=int, default=40, help="events per viewer")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument(
        "--profile", type=int, default=0, help="also profile this many pages (cProfile)"
    )
    parser.add_argument(
        "--data-dir", help="keep the seeded data here and reuse it on the next run (same sizes)"
    )
    args = parser.parse_args()
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = args.data_dir or scratch
        reuse = Path(data_dir, "seeded").exists()
        setup(data_dir)
        from django.test import Client

        from clipdeck.accounts.models import User
        from clipdeck.accounts.services import token_issue
        from clipdeck.feed import pipeline

        if reuse:
            viewers = list(User.objects.order_by("pk")[: args.users])
            print(f"reusing the seeded and trained data folder {data_dir}")
        else:
            viewers = seed_and_train(args, rng)
            Path(data_dir, "seeded").touch()
        sample = rng.sample(viewers, min(args.samples, len(viewers)))

        def page(viewer, personalized=True):
            return pipeline.for_you(
                viewer, cursor=None, limit=args.limit, personalized=personalized
            )

        page(sample[0])  # warm caches (trending list, model load)
        print("For You page build, personalised:   ", percentiles(timed(page, sample)))
        print(
            "For You page build, anonymous:      ", percentiles(timed(lambda _: page(None), sample))
        )
        print(
            "For You page build, personalized=false:",
            percentiles(timed(lambda v: page(v, False), sample)),
        )
        clients = {
            v.pk: Client(headers={"Authorization": f"Bearer {token_issue(user=v)}"}) for v in sample
        }

        def request(viewer):
            response = clients[viewer.pk].get("/api/v1/feed/for-you", {"limit": args.limit})
            assert response.status_code == 200, response.content

        print("GET /api/v1/feed/for-you in-process:", percentiles(timed(request, sample)))
        print("queries per personalised page:", queries_per_page(page, sample[:20]))
        if args.profile:
            profile(page, sample[: args.profile])


def queries_per_page(page, viewers) -> str:
    """The mean and most SQL queries one page build makes (cache reads included)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for viewer in viewers:
        with CaptureQueriesContext(connection) as captured:
            page(viewer)
        counts.append(len(captured.captured_queries))
    return f"mean {statistics.fmean(counts):.1f}, max {max(counts)}"


def profile(page, viewers) -> None:
    """cProfile over ``viewers``' pages: the project's costliest calls by cumulative time."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for viewer in viewers:
        page(viewer)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats("clipdeck", 40)


if __name__ == "__main__":
    main()
