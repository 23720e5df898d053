"""Synthetic viewers with hidden tastes watch For You: completion per session and adaptation.

A temporary SQLite data folder gets ``--videos`` videos on ``--topics``
hashtags and ``--users`` viewers, each with a hidden taste over the topics
(a peaked Dirichlet draw, the favourite scaled to 1). How far a viewer
watches a video is drawn from that taste:

    completion ~ Beta with mean 0.08 + 0.8 x taste[topic] + 0.1 x quality[video], strength 6

below 0.15 it is a skip, above 0.8 a like with probability 0.3. Each viewer
first gets ``--history`` such events spread over the last two weeks (bulk
inserted, then ``recsys train``). Then the viewers, split at random into three
equal groups, watch ``--sessions`` sessions of ``--pages`` pages of 10:

- **clipdeck**: ``pipeline.for_you`` (what ``GET /api/v1/feed/for-you`` calls),
  following its cursor;
- **popularity**: the videos with the most completions and likes (the
  cell's counters at the start of the session) that the viewer has not seen;
- **random**: unseen videos drawn uniformly.

Every page's events go through ``services.events_record`` (what ``POST
/api/v1/events`` calls), so counters and the real-time profile move as in
production. The score is the mean completion (capped at 1) per session.

Then the taste shift: each clipdeck viewer starts to love a topic they did
not care for (taste 1.0, the old tastes halved), and keeps watching; we count
the events they post until that topic fills at least ``--appear`` of a page's
10 items (the share a random page would give it is 1 / topics).

    .venv/bin/python benchmarks/feed_simulation.py --seed 0
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
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import feed_latency  # the data folder set-up is shared
import numpy as np

LIMIT = 10


@dataclass
class Viewer:
    user: object
    taste: np.ndarray  # per topic, the favourite at 1
    seen: set[str] = field(default_factory=set)
    cursor: str | None = None


@dataclass
class World:
    videos: dict[str, dict]  # id -> {"topic", "quality", "duration_ms", "object"}
    viewers: list[Viewer]
    rng: np.random.Generator
    groups: dict[str, list[Viewer]] = field(default_factory=dict)  # policy -> its viewers


def completion_of(viewer: Viewer, video: dict, rng: np.random.Generator) -> float:
    """How far ``viewer`` watches ``video``: a Beta draw around their hidden taste."""
    mean = 0.08 + 0.8 * viewer.taste[video["topic"]] + 0.1 * video["quality"]
    strength = 6.0
    return float(rng.beta(mean * strength, (1 - mean) * strength))


def build_world(args) -> World:
    """Creators, videos on topics, viewers with tastes and their bulk-inserted history."""
    from django.utils import timezone

    from clipdeck.accounts.models import User
    from clipdeck.feed.models import Event, EventKind, VideoStats
    from clipdeck.videos.models import Hashtag, Sound, Video, VideoStatus

    rng = np.random.default_rng(args.seed)
    ids = random.Random(args.seed)
    now = timezone.now()
    people = [
        User(handle=f"s{n}", email=f"s{n}@example.com", email_index=f"{n:032x}")
        for n in range(args.users + args.creators)
    ]
    User.objects.bulk_create(people, batch_size=2000)
    people = list(User.objects.order_by("pk"))
    users, creators = people[: args.users], people[args.users :]
    tags = Hashtag.objects.bulk_create([Hashtag(name=f"topic{n}") for n in range(args.topics)])
    sounds = Sound.objects.bulk_create([Sound(title=f"Track {n}") for n in range(100)])
    speciality = rng.integers(0, args.topics, size=(len(creators), 2))
    videos, world_videos = [], {}
    for _ in range(args.videos):
        creator = int(rng.integers(len(creators)))
        topic = int(speciality[creator, int(rng.integers(2))])
        video = Video(
            id=uuid.UUID(int=ids.getrandbits(128)),
            author=creators[creator],
            status=VideoStatus.PUBLISHED,
            sound=sounds[int(rng.integers(len(sounds)))],
            duration_ms=int(rng.choice([8000, 15000, 30000, 60000])),
            published_at=now - timedelta(hours=float(rng.uniform(1, 24 * 30))),
        )
        videos.append(video)
        world_videos[str(video.pk)] = {
            "topic": topic,
            "quality": float(rng.uniform()),
            "duration_ms": video.duration_ms,
            "object": video,
        }
    Video.objects.bulk_create(videos, batch_size=2000)
    Video.hashtags.through.objects.bulk_create(
        [
            Video.hashtags.through(video_id=v.pk, hashtag=tags[world_videos[str(v.pk)]["topic"]])
            for v in videos
        ],
        batch_size=5000,
    )
    viewers = []
    for user in users:
        taste = rng.dirichlet(np.full(args.topics, 0.3))
        viewers.append(Viewer(user=user, taste=taste / taste.max()))
    world = World(videos=world_videos, viewers=viewers, rng=rng)
    events, stats = [], {}
    keys = list(world_videos)
    for viewer in viewers:
        for key in rng.choice(keys, size=args.history, replace=False):
            video = world_videos[key]
            completion = completion_of(viewer, video, rng)
            at = now - timedelta(hours=float(rng.uniform(12, 24 * 14)))
            kind = EventKind.SKIP if completion < 0.15 else EventKind.VIEW
            obj = video["object"]
            events.append(
                Event(
                    user=viewer.user,
                    video=obj,
                    kind=kind,
                    watched_ms=int(completion * obj.duration_ms),
                    completion_pm=int(completion * 1000),
                    at=at,
                )
            )
            row = stats.setdefault(obj.pk, VideoStats(video_id=obj.pk, updated_at=now))
            row.exposures += 1
            row.completions += completion >= 0.8
            row.completion_sum += completion
            row.skips += kind == EventKind.SKIP
            if completion > 0.8 and rng.uniform() < 0.3:
                events.append(Event(user=viewer.user, video=obj, kind=EventKind.LIKE, at=at))
                row.likes += 1
    Event.objects.bulk_create(events, batch_size=5000)
    VideoStats.objects.bulk_create(stats.values(), batch_size=5000)
    print(f"history: {len(events)} events by {len(viewers)} viewers on {len(keys)} videos")
    return world


def watch(world: World, viewer: Viewer, video_ids: list[str]) -> list[float]:
    """The viewer watches a page; its events go through the events service."""
    from clipdeck.feed.services import EventIn, events_record

    completions, batch = [], []
    for video_id in video_ids:
        video = world.videos[video_id]
        completion = completion_of(viewer, video, world.rng)
        watched = int(completion * video["duration_ms"])
        batch.append(
            EventIn(
                type="skip" if completion < 0.15 else "view", video=video_id, watched_ms=watched
            )
        )
        if completion > 0.8 and world.rng.uniform() < 0.3:
            batch.append(EventIn(type="like", video=video_id))
        viewer.seen.add(video_id)
        completions.append(min(completion, 1.0))
    events_record(user=viewer.user, events=batch)
    return completions


def clipdeck_page(world: World, viewer: Viewer) -> list[str]:
    from clipdeck.feed import pipeline

    page = pipeline.for_you(viewer.user, cursor=viewer.cursor, limit=LIMIT, personalized=True)
    viewer.cursor = page.next_cursor
    return [str(video.pk) for video, _ in page.items]


def popular_ids() -> list[str]:
    """Videos by completions + likes (the cell's counters), most first."""
    from clipdeck.feed.models import VideoStats

    rows = VideoStats.objects.order_by("-completions", "-likes", "video_id").values_list(
        "video_id", "completions", "likes"
    )
    scored = sorted(((c + 3 * likes, str(pk)) for pk, c, likes in rows), reverse=True)
    return [pk for _, pk in scored]


def baseline_page(world: World, viewer: Viewer, policy: str, popular: list[str]) -> list[str]:
    if policy == "popularity":
        return [pk for pk in popular if pk not in viewer.seen][:LIMIT]
    unseen = [pk for pk in world.videos if pk not in viewer.seen]
    return [unseen[i] for i in world.rng.choice(len(unseen), size=LIMIT, replace=False)]


def session(world: World, viewer: Viewer, policy: str, pages: int) -> float:
    """Mean completion over one session of ``pages`` pages."""
    viewer.cursor = None
    popular = popular_ids() if policy == "popularity" else []
    completions = []
    for _ in range(pages):
        if policy == "clipdeck":
            ids = clipdeck_page(world, viewer)
        else:
            ids = baseline_page(world, viewer, policy, popular)
        if not ids:
            break
        completions += watch(world, viewer, ids)
    return statistics.fmean(completions) if completions else 0.0


def compare(world: World, args) -> dict[str, list[float]]:
    """Each third of the viewers follows one policy; mean completion of every session."""
    order = list(range(len(world.viewers)))
    random.Random(args.seed).shuffle(order)
    groups = {
        policy: [world.viewers[i] for i in order[n::3]]
        for n, policy in enumerate(("clipdeck", "popularity", "random"))
    }
    results: dict[str, list[float]] = {policy: [] for policy in groups}
    for number in range(args.sessions):
        for policy, viewers in groups.items():
            for viewer in viewers:
                results[policy].append(session(world, viewer, policy, args.pages))
        print(
            f"  session {number + 1}: "
            + ", ".join(
                f"{p} {statistics.fmean(r[-len(groups[p]) :]):.3f}" for p, r in results.items()
            )
        )
    world.groups = groups
    return results


def taste_shift(world: World, args) -> tuple[list[int | None], list[list[float]]]:
    """Events each clipdeck viewer posts, after a new interest, until it fills a page."""
    needed, shares = [], []
    for viewer in world.groups["clipdeck"]:
        new = int(np.argmin(viewer.taste))
        viewer.taste = viewer.taste / 2
        viewer.taste[new] = 1.0
        viewer.cursor, posted, found, curve = None, 0, None, []
        for _ in range(args.shift_pages):
            ids = clipdeck_page(world, viewer)
            if not ids:
                break
            share = sum(world.videos[pk]["topic"] == new for pk in ids) / len(ids)
            curve.append(share)
            if share >= args.appear and found is None:
                found = posted
            before = len(viewer.seen)
            watch(world, viewer, ids)
            posted += len(viewer.seen) - before
        needed.append(found)
        shares.append(curve)
    return needed, shares


def report(results: dict[str, list[float]], needed, shares, args, elapsed: float) -> None:
    print(
        f"\nmean watch completion per session ({args.sessions} sessions x {args.pages} pages "
        f"x {LIMIT} videos, ± standard error over sessions):"
    )
    for policy, values in results.items():
        error = statistics.stdev(values) / len(values) ** 0.5
        print(f"  {policy:10s} {statistics.fmean(values):.3f} ± {error:.3f}  (n={len(values)})")
    reached = sorted(n for n in needed if n is not None)
    print(
        f"\ntaste shift: a new favourite topic fills ≥ {args.appear:.0%} of a page for "
        f"{len(reached)}/{len(needed)} clipdeck viewers within {args.shift_pages} pages"
    )
    if reached:
        print(
            f"  events posted before that page: median {statistics.median(reached):.0f}, "
            f"quartiles {np.percentile(reached, 25):.0f}–{np.percentile(reached, 75):.0f}"
        )
    width = max(len(curve) for curve in shares)
    mean_curve = [
        statistics.fmean(curve[i] for curve in shares if len(curve) > i) for i in range(width)
    ]
    print(
        "  share of the new topic per page after the shift: "
        + " ".join(f"{s:.2f}" for s in mean_curve)
        + f"  (a random page: {1 / args.topics:.2f})"
    )
    print(f"\n{elapsed:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--videos", type=int, default=3000)
    parser.add_argument("--creators", type=int, default=150)
    parser.add_argument("--topics", type=int, default=20)
    parser.add_argument("--users", type=int, default=150)
    parser.add_argument("--history", type=int, default=40, help="past events per viewer")
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--pages", type=int, default=3, help="pages of 10 per session")
    parser.add_argument("--shift-pages", type=int, default=8)
    parser.add_argument("--appear", type=float, default=0.3, help="share of a page")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as data_dir:
        feed_latency.setup(data_dir)
        from django.conf import settings

        from clipdeck.feed.sources import exploration

        # Each viewer's precomputed state is refreshed as their events are
        # recorded (in a live server a background thread does it within
        # milliseconds, before the next page); here in line, for reproducibility.
        settings.CLIPDECK_FEED_REFRESH = "inline"
        from clipdeck.feed.training import train

        exploration.seed_sampling(args.seed)
        world = build_world(args)
        card = train(days=30)
        order = card["metrics"].get("order", {})
        print(
            f"trained {card['version']}: AUC complete "
            f"{card['metrics']['complete'].get('validation_auc')}, list-wise head "
            + (
                f"NDCG@20 {order['validation_ndcg@20']} vs the heads' "
                f"{order['heads_validation_ndcg@20']}, "
                + ("orders the page" if order["serves"] else "does not order the page")
                if order.get("trained")
                else f"not trained ({order.get('why', 'no lists')})"
            )
        )
        results = compare(world, args)
        needed, shares = taste_shift(world, args)
    report(results, needed, shares, args, time.perf_counter() - started)


if __name__ == "__main__":
    main()
