"""What building a personalised For You page costs, stage by stage, in one process.

For ``--viewers`` viewers of a seeded folder, each page is built as a request
that cannot pop builds it (``pipeline.build_page`` with the pages ranked
ahead), on the viewer's precomputed state; each stage of the build is timed
by the CPU time of the thread. The viewers are built in turn ``--rounds``
times after one warm round (the model, the shared lists, the memos).

    .venv/bin/python benchmarks/page_build.py --data-dir /tmp/b100k

Stages that do not exist in the code measured are left out, so the same
script times an older checkout (``PYTHONPATH=/tmp/old``).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import feed_latency  # the data folder's set-up is shared

STAGES = (
    "_candidates",
    "shortlist",
    "visible_facts",
    "_scored",
    "rerank",
    "rerank_pages",
    "_ranked_ahead",
    "reason",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--viewers", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    feed_latency.setup(args.data_dir)
    from clipdeck.accounts.models import User
    from clipdeck.feed import page_queue, pipeline, session, viewer_state

    spent: dict[str, float] = defaultdict(float)

    def timed(name, function):
        def wrapped(*a, **kw):
            started = time.thread_time()
            try:
                return function(*a, **kw)
            finally:
                spent[name] += time.thread_time() - started

        return wrapped

    for name in STAGES:
        if hasattr(pipeline, name):
            setattr(pipeline, name, timed(name, getattr(pipeline, name)))
    viewers = random.Random(0).sample(list(User.objects.order_by("pk")[:10_000]), args.viewers)
    ahead = page_queue.pages_ahead()

    def build(viewer) -> int:
        feed = session.open_session(viewer, None, personalized=True)
        context, personal = viewer_state.load(viewer, served=feed.served)
        return len(pipeline.build_page(context, feed, 10, personal=personal, ahead=ahead))

    for viewer in viewers:  # warm
        build(viewer)
    spent.clear()
    builds, sizes = [], []
    for _ in range(args.rounds):
        for viewer in viewers:
            started = time.thread_time()
            sizes.append(build(viewer))
            builds.append(time.thread_time() - started)
    n = len(builds)
    print(f"{n} builds of {1 + ahead} pages ({statistics.mean(sizes):.1f} videos each)")
    print(f"CPU a build: mean {statistics.mean(builds) * 1000:.2f} ms, "
          f"median {statistics.median(builds) * 1000:.2f} ms")  # fmt: skip
    for name in STAGES:
        if name in spent:
            print(f"  {name:14} {spent[name] * 1000 / n:6.2f} ms")


if __name__ == "__main__":
    main()
