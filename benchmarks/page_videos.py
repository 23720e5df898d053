"""Reading a page's videos for the presenter: the ORM's ``with_relations`` against the
compiled read (``feed.page_videos``), and what dumping them through ``VideoOut`` adds.

On a data folder seeded by ``clipdeck bench seed`` (SQLite): pages of
``--page`` videos never read before in this process, interleaved page by page
so the machine's load weighs on both alike; CPU milliseconds per page
(``time.thread_time``) and the ratio.

    .venv/bin/python benchmarks/page_videos.py --data-dir /tmp/b100k
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import feed_latency  # the data folder's set-up is shared


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--page", type=int, default=10, help="videos a page")
    args = parser.parse_args()
    feed_latency.setup(args.data_dir)
    from django.test import RequestFactory

    from clipdeck.feed import page_videos
    from clipdeck.videos.models import Video
    from clipdeck.videos.schemas import VideoOut
    from clipdeck.videos.selectors import with_relations

    wanted = 2 * (args.pages + 1) * args.page
    ids = [str(pk) for pk in Video.objects.order_by("?").values_list("pk", flat=True)[:wanted]]
    pages = [ids[n : n + args.page] for n in range(0, len(ids), args.page)]
    request = RequestFactory().get("/")
    request.auth = None

    def orm(page):
        return list(with_relations(Video.objects.filter(pk__in=page)))

    def dumped(videos):
        for video in videos:
            video.viewer_liked, video.viewer_author_follow = False, "none"
            VideoOut.model_validate(video, context={"request": request}).model_dump()

    orm(pages[0]), page_videos.videos(pages[1])  # compiled once, connections open
    cpu = {"orm": 0.0, "compiled": 0.0, "orm+dump": 0.0, "compiled+dump": 0.0}
    for n in range(1, args.pages + 1):
        for name, read, page in (
            ("orm", orm, pages[2 * n]),
            ("compiled", page_videos.videos, pages[2 * n + 1]),
        ):
            started = time.thread_time()
            videos = read(page)
            cpu[name] += time.thread_time() - started
            dumped(videos)
            cpu[name + "+dump"] += time.thread_time() - started
    per_page = {name: total * 1000 / args.pages for name, total in cpu.items()}
    print(f"{args.pages} pages of {args.page} new videos each, CPU ms per page:")
    for name, ms in per_page.items():
        print(f"  {name:14s} {ms:6.2f}")
    print(
        f"compiled read / ORM read: {per_page['compiled'] / per_page['orm']:.2f}; "
        f"with the dumps: {per_page['compiled+dump'] / per_page['orm+dump']:.2f}"
    )


if __name__ == "__main__":
    main()
