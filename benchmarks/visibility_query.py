"""The feed's visibility query over a shortlist, as SQLite answers it and as the feed asks it.

1. SQLite alone: the compiled query (``feed.visible_rows``) for ``--ids``
   random videos, on two connections to the same file, one reading through
   a memory map (``CLIPDECK_SQLITE_MMAP_MB``) and one without, interleaved
   query by query;
2. the feed's call, ``visible_rows`` (compiled once for every viewer, the
   ids swapped in), against the same policy built through the ORM each time,
   interleaved call by call, over ``--viewers`` viewers in turn.

    .venv/bin/python benchmarks/visibility_query.py --data-dir /tmp/b100k
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import feed_latency  # the data folder's set-up is shared


def _timed(calls: dict, rounds: int) -> dict[str, float]:
    """Median milliseconds of each of ``calls``, run in turn ``rounds`` times."""
    spent: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            spent[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in spent.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--ids", type=int, default=150, help="shortlisted candidates")
    parser.add_argument("--viewers", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--mmap-mb", type=int, default=256)
    args = parser.parse_args()
    feed_latency.setup(args.data_dir)
    from django.conf import settings

    from clipdeck.accounts.models import User
    from clipdeck.feed import visible_rows
    from clipdeck.feed.features import _FACT_FIELDS
    from clipdeck.videos.models import Video

    rng = random.Random(0)
    viewers = rng.sample(list(User.objects.order_by("pk")[:10_000]), args.viewers)
    every = list(Video.objects.values_list("pk", flat=True))
    ids = [str(pk) for pk in rng.sample(every, args.ids)]
    compiled = visible_rows._compiled_for(viewers[0], _FACT_FIELDS)
    assert compiled is not None, "the compiled path is SQLite's"
    params = list(compiled.params)
    for position in compiled.viewer_at:
        params[position] = viewers[0].pk
    params[-1] = json.dumps([visible_rows._hex(pk) for pk in ids])
    sql = compiled.sql.replace("%s", "?")

    name = settings.DATABASES["default"]["NAME"]
    plain, mapped = sqlite3.connect(name), sqlite3.connect(name)
    plain.execute("PRAGMA mmap_size=0")
    mapped.execute(f"PRAGMA mmap_size={args.mmap_mb * 1024 * 1024}")
    found = {len(c.execute(sql, params).fetchall()) for c in (plain, mapped)}
    assert len(found) == 1
    sqlite = _timed(
        {
            "no memory map": lambda: plain.execute(sql, params).fetchall(),
            f"memory map of {args.mmap_mb} MB": lambda: mapped.execute(sql, params).fetchall(),
        },
        args.rounds,
    )
    print(f"SQLite alone, {args.ids} ids ({found.pop()} visible), median ms a query:")
    for label, ms in sqlite.items():
        print(f"  {label:24} {ms:6.3f}")
    ratio = sqlite[f"memory map of {args.mmap_mb} MB"] / sqlite["no memory map"]
    print(f"  memory map / none: {ratio:.2f}x")

    turn = iter(range(10**9))

    def viewer() -> User:
        return viewers[next(turn) % len(viewers)]

    feed = _timed(
        {
            "ORM, built each time": lambda: list(
                visible_rows._queryset(viewer(), _FACT_FIELDS, ids)
            ),
            "compiled once": lambda: visible_rows.visible_rows(viewer(), ids, _FACT_FIELDS),
        },
        args.rounds,
    )
    print(f"The feed's call over {args.viewers} viewers in turn (this process's settings), ms:")
    for label, ms in feed.items():
        print(f"  {label:24} {ms:6.3f}")
    print(f"  compiled / ORM: {feed['compiled once'] / feed['ORM, built each time']:.2f}x")


if __name__ == "__main__":
    main()
