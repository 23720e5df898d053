"""Cost of sealed captions: per-caption decryption and a feed page, before and after.

Seeds a fresh SQLite data folder with ``--authors`` accounts and ``--videos``
videos (captions of about 120 characters, sealed with each author's key), then
times, in this process:

- one caption decrypted with the author's key already unwrapped (the cache hit
  a feed page sees), and with an empty cache (key-store read + unwrap);
- a feed page: ``--page`` videos of different authors loaded with their authors
  and their captions read, against the same page reading the stored column
  without decrypting it (what a plaintext caption cost before sealing).

    .venv/bin/python benchmarks/sealed_fields.py --authors 200 --videos 2000 --page 20
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = [
    "sunset",
    "harbour",
    "glass",
    "kiln",
    "amber",
    "tide",
    "recipe",
    "dance",
    "street",
    "jazz",
    "mountain",
]


def setup(data_dir: str) -> None:
    os.environ["CLIPDECK_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clipdeck.settings")
    import django

    django.setup()
    from clipdeck.cli import prepare_database

    prepare_database(verbosity=0)


def seed(authors: int, videos: int) -> list:
    from clipdeck.accounts.services import user_create
    from clipdeck.videos.models import Video

    rng = random.Random(3)
    people = [
        user_create(handle=f"maker{n}", email=f"maker{n}@example.com", password=None)
        for n in range(authors)
    ]
    rows = []
    for n in range(videos):
        caption = " ".join(rng.choice(WORDS) for _ in range(20))[:120]
        rows.append(Video.objects.create(author=people[n % authors], caption=caption))
    return [v.pk for v in rows]


def per_caption(ids: list, *, cold: bool, rounds: int) -> float:
    """Median microseconds to read one caption from a freshly loaded row."""
    from clipdeck.kernel import keys
    from clipdeck.videos.models import Video

    rows = list(Video.objects.filter(pk__in=ids[:rounds]))
    for row in rows:
        row.caption  # noqa: B018 - warm the key cache
    samples = []
    for row in rows:
        fresh = Video.objects.get(pk=row.pk)
        if cold:
            keys.unwrapped.clear()
        started = time.perf_counter()
        fresh.caption  # noqa: B018 - the read being timed
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1e6


def _page(window: list, *, decrypt: bool) -> tuple[float, float]:
    """Seconds to load the page's rows with their authors, then to read every caption."""
    from clipdeck.videos.models import Video

    started = time.perf_counter()
    videos = list(Video.objects.select_related("author").filter(pk__in=window))
    loaded = time.perf_counter()
    for video in videos:
        if decrypt:
            video.caption  # noqa: B018
        else:
            video.__dict__["caption"]  # the stored column, as read before sealing
    return loaded - started, time.perf_counter() - loaded


def feed_pages(ids: list, page: int, *, rounds: int) -> dict[str, float]:
    """Median milliseconds of loading a page and of reading its captions, plain (the
    stored column, as before sealing) and decrypted; the two alternate on each window."""
    times: dict[str, list[float]] = {"load": [], "plain": [], "sealed": []}
    for round_ in range(rounds):
        window = ids[(round_ * page) % len(ids) :][:page]
        for decrypt in (False, True) if round_ % 2 else (True, False):
            load, read = _page(window, decrypt=decrypt)
            times["load"].append(load)
            times["sealed" if decrypt else "plain"].append(read)
    return {name: statistics.median(values) * 1e3 for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authors", type=int, default=200)
    parser.add_argument("--videos", type=int, default=2000)
    parser.add_argument("--page", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        setup(data_dir)
        ids = seed(args.authors, args.videos)
        random.Random(5).shuffle(ids)
        warm = per_caption(ids, cold=False, rounds=args.rounds)
        cold = per_caption(ids, cold=True, rounds=args.rounds)
        feed_pages(ids, args.page, rounds=20)  # warm the key cache and the database
        page = feed_pages(ids, args.page, rounds=args.rounds)
        before = page["load"] + page["plain"]
        after = page["load"] + page["sealed"]
        print(f"{args.videos} videos by {args.authors} authors, page of {args.page}")
        print(f"caption decrypt, key cached:    {warm:8.1f} µs")
        print(f"caption decrypt, cache empty:   {cold:8.1f} µs (key-store read + unwrap)")
        print(f"page load (query + rows):       {page['load']:8.2f} ms")
        print(f"page captions, plaintext:       {page['plain']:8.3f} ms")
        print(f"page captions, sealed:          {page['sealed']:8.3f} ms")
        print(f"feed page sealed / plaintext:   {after / before:8.2f}x")


if __name__ == "__main__":
    main()
