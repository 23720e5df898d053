"""Search latency: p50/p99 of a search over a catalogue of public videos.

Seeds a fresh SQLite data folder (or the configured PostgreSQL database with
``--postgres``) with ``--videos`` videos whose captions mix words from a
cooking/travel/music vocabulary, rebuilds the index (timed), then times
``clipdeck.search.selectors.search`` for ``--queries`` queries of four kinds:
one common word, two words, the start of a word (typing) and a misspelt
word (the typo step). Each search includes ranking and the visibility check
of the candidates for a signed-in viewer. The reference in the same run is
the naive way, ``caption LIKE %word%`` over the videos table, and the floor
of any search page: loading its 20 videos with what they show.

    .venv/bin/python benchmarks/search_latency.py --videos 100000
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

WORDS = [
    "dumplings",
    "noodles",
    "ramen",
    "pasta",
    "tacos",
    "curry",
    "salad",
    "bread",
    "sourdough",
    "pancakes",
    "waffles",
    "sushi",
    "sunset",
    "mountains",
    "beach",
    "harbour",
    "forest",
    "river",
    "island",
    "desert",
    "canyon",
    "glacier",
    "guitar",
    "piano",
    "drums",
    "synth",
    "vocals",
    "beats",
    "remix",
    "acoustic",
    "melody",
    "chorus",
    "tutorial",
    "recipe",
    "quick",
    "easy",
    "spicy",
    "crispy",
    "homemade",
    "weekend",
    "morning",
    "tonight",
    "dance",
    "challenge",
    "routine",
    "stretch",
    "workout",
    "running",
    "yoga",
    "cycling",
    "climbing",
    "swimming",
]
TYPOS = {"dumplngs": "dumplings", "noodels": "noodles", "guitr": "guitar", "moutains": "mountains"}


def setup(data_dir: str, postgres: bool) -> None:
    os.environ["CLIPDECK_DATA_DIR"] = data_dir
    if not postgres:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clipdeck.settings")
    import django

    django.setup()
    from clipdeck.cli import prepare_database

    prepare_database(verbosity=0)


def seed(args, rng: random.Random):
    from django.utils import timezone

    from clipdeck.accounts.models import User
    from clipdeck.videos.models import Hashtag, Video, VideoStatus

    now = timezone.now()
    people = [
        User(handle=f"creator{n}", email=f"c{n}@example.com", email_index=uuid.uuid4().hex)
        for n in range(args.creators)
    ]
    User.objects.bulk_create(people, batch_size=2000)
    creators = list(User.objects.order_by("pk"))
    tags = Hashtag.objects.bulk_create([Hashtag(name=word) for word in WORDS])
    videos = []
    for _ in range(args.videos):
        words = rng.sample(WORDS, 6)
        videos.append(
            Video(
                author=rng.choice(creators),
                caption=" ".join(words).capitalize() + f" #{words[0]}",
                status=VideoStatus.PUBLISHED,
                like_count=int(rng.paretovariate(1.2)),
                view_count=int(rng.paretovariate(1.1) * 10),
                published_at=now - timedelta(hours=rng.uniform(0, 24 * 60)),
            )
        )
    Video.objects.bulk_create(videos, batch_size=2000)
    by_name = {tag.name: tag for tag in tags}
    Video.hashtags.through.objects.bulk_create(
        [
            Video.hashtags.through(video_id=v.pk, hashtag=by_name[v.caption.split("#")[1]])
            for v in videos
        ],
        batch_size=5000,
    )
    return creators


def queries(count: int, rng: random.Random) -> list[tuple[str, str]]:
    kinds = []
    for index in range(count):
        kind = ("one word", "two words", "typing", "typo")[index % 4]
        if kind == "one word":
            query = rng.choice(WORDS)
        elif kind == "two words":
            query = " ".join(rng.sample(WORDS, 2))
        elif kind == "typing":
            query = rng.choice(WORDS)[: rng.randint(2, 4)]
        else:
            query = rng.choice(list(TYPOS))
        kinds.append((kind, query))
    return kinds


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return (
        f"p50 {statistics.median(ordered) * 1000:7.1f} ms  p99 {p99 * 1000:7.1f} ms  "
        f"(n={len(ordered)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=100_000)
    parser.add_argument("--creators", type=int, default=2_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--postgres", action="store_true", help="use DATABASE_URL")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as data:
        setup(data, args.postgres)
        from django.db import connection

        from clipdeck.search.selectors import search
        from clipdeck.search.services import rebuild
        from clipdeck.videos.models import Video

        started = time.perf_counter()
        creators = seed(args, rng)
        print(
            f"{connection.vendor}: seeded {args.videos} videos "
            f"in {time.perf_counter() - started:.1f} s"
        )
        started = time.perf_counter()
        documents = rebuild()
        print(f"rebuilt the index ({documents} documents) in {time.perf_counter() - started:.1f} s")

        viewer = creators[0]
        timings: dict[str, list[float]] = {}
        found: dict[str, int] = {}
        for kind, query in queries(args.queries, rng):
            started = time.perf_counter()
            results = search(viewer, query, "videos", limit=20)
            timings.setdefault(kind, []).append(time.perf_counter() - started)
            found[kind] = found.get(kind, 0) + bool(results.items)
        from clipdeck.videos.selectors import with_relations

        reference, floor = [], []
        for _, query in queries(args.queries // 4, rng):
            started = time.perf_counter()
            page = list(Video.objects.filter(caption__icontains=query.split()[0])[:20])
            reference.append(time.perf_counter() - started)
            started = time.perf_counter()
            list(with_relations(Video.objects.filter(pk__in=[v.pk for v in page])))
            floor.append(time.perf_counter() - started)
        everything = [t for samples in timings.values() for t in samples]
        for kind, samples in timings.items():
            print(f"  {kind:10s} {percentiles(samples)}  answered {found[kind]}/{len(samples)}")
        print(f"search       {percentiles(everything)}")
        print(f"LIKE %word%  {percentiles(reference)}  (reference: no ranking, typos or prefixes)")
        print(f"page floor   {percentiles(floor)}  (loading 20 videos with what they show)")
        p99 = sorted(everything)[int(0.99 * len(everything))]
        ref_p99 = sorted(reference)[int(0.99 * len(reference))]
        floor_p99 = sorted(floor)[int(0.99 * len(floor))]
        print(
            f"p99 ratio search / LIKE: {p99 / ref_p99:.2f}; "
            f"search / page floor: {p99 / floor_p99:.2f}"
        )


if __name__ == "__main__":
    main()
