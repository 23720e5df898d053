"""For You at scale: latency and throughput as a ratio to the framework floor.

Seeds a temporary data folder (SQLite unless ``DATABASE_URL`` is set) with
``--videos`` videos, ``--users`` viewers and about ``--events`` events each
(the seeding of ``clipdeck bench seed``: two favourite topics per viewer, five
follows, likes on a fifth of the liked views), trains once, then measures; a
``--data-dir`` already seeded (by this script or ``clipdeck bench seed``) is
reused as it is:

1. in-process, through Django's test client: ``GET /api/v1/feed/for-you`` and
   ``GET /healthz`` (the floor: a static JSON answer through the same
   middleware), interleaved request by request so that the machine's load
   weighs on both alike;
2. with ``--server``: a real ``clipdeck serve`` (one uvicorn process, no task
   workers) driven closed-loop by ``--concurrency`` keep-alive connections for
   ``--duration`` seconds per endpoint: p50/p99 and requests per second;
   each connection asks for its viewer's first page again and again, or with
   ``--scroll`` it scrolls: every request is the next page (the cursor of the
   last answer) of the next of the sampled viewers, back to the first page
   after ``--pages`` pages;
3. with ``--growth``: the brute-force collaborative top-k (the only per-request
   cost that grows with the catalogue once the database has its statistics)
   over random item factors of 20k to 1M videos.

    .venv/bin/python benchmarks/feed_scale.py --videos 100000 --users 10000 --server --growth
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import feed_latency  # the seeding is shared
import load_test  # the server start-up and the keep-alive client are shared

FEED = "/api/v1/feed/for-you?limit=10"
FLOOR = "/healthz"


def summary(samples: list[float], wall: float | None = None) -> dict:
    """p50, p99 (ms) and requests per second (sequential unless ``wall`` is given)."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    rate = len(samples) / wall if wall else 1 / statistics.fmean(ordered)
    return {
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": p99 * 1000,
        "rps": rate,
        "n": len(ordered),
    }


def line(name: str, row: dict) -> str:
    return (
        f"{name:34s} p50 {row['p50_ms']:7.1f} ms  p99 {row['p99_ms']:7.1f} ms  "
        f"{row['rps']:7.1f} req/s  (n={row['n']})"
    )


def ratios(feed: dict, floor: dict) -> str:
    return (
        f"feed / floor: p50 {feed['p50_ms'] / floor['p50_ms']:.1f}x, "
        f"p99 {feed['p99_ms'] / floor['p99_ms']:.1f}x, "
        f"throughput {feed['rps'] / floor['rps']:.0%} of the floor"
    )


def in_process(viewers, rounds: int, scroll: int = 0) -> tuple[dict, dict]:
    """Feed and floor through the test client, alternating request by request.

    ``scroll``: each viewer's request is the next page of their session, for
    that many pages, then the first page again.
    """
    from django.test import Client

    from clipdeck.accounts.services import token_issue

    # One client, so one handler and one middleware stack for every request, as in
    # one served process (whose middleware exists before the model loads).
    client = Client()
    clients = [{"Authorization": f"Bearer {token_issue(user=v)}"} for v in viewers]
    client.get(FLOOR)
    # Warm: the model load, the shared lists, and each viewer's precomputed
    # state (which the events of a live viewer keep fresh in the background).
    for headers in clients:
        client.get(FEED, headers=headers)
    feed, floor = [], []
    cpu = {"feed": 0.0, "floor": 0.0}
    pauses = FullCollections()
    cursors: list[str | None] = [None] * len(clients)
    pages = [0] * len(clients)
    for n in range(rounds):
        who = n % len(clients)
        path = FEED + (f"&cursor={cursors[who]}" if scroll and cursors[who] else "")
        started, cpu_started = time.perf_counter(), time.thread_time()
        response = client.get(path, headers=clients[who])
        feed.append(time.perf_counter() - started)
        cpu["feed"] += time.thread_time() - cpu_started
        assert response.status_code == 200, response.content[:200]
        if scroll:
            pages[who] += 1
            cursors[who] = response.json()["next_cursor"] if pages[who] % scroll else None
        started, cpu_started = time.perf_counter(), time.thread_time()
        assert client.get(FLOOR).status_code == 200
        floor.append(time.perf_counter() - started)
        cpu["floor"] += time.thread_time() - cpu_started
    gc.callbacks.remove(pauses.observe)
    feed_row, floor_row = summary(feed), summary(floor)
    feed_row["full_collections_ms"] = pauses.durations
    feed_row["cpu_ms"] = cpu["feed"] * 1000 / rounds
    floor_row["cpu_ms"] = cpu["floor"] * 1000 / rounds
    return feed_row, floor_row


class FullCollections:
    """The durations (ms) of Python's full (oldest generation) collections while observing."""

    def __init__(self) -> None:
        self.durations: list[float] = []
        self.started = 0.0
        gc.callbacks.append(self.observe)

    def observe(self, phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.durations.append(round((time.perf_counter() - self.started) * 1000, 1))


def shared_lists() -> None:
    """What recomputing each shared list costs (once per expiry, in the request that finds it)."""
    from clipdeck.feed import shared
    from clipdeck.feed.sources import exploration, fresh, trending

    for name, key, compute in (
        ("trending", "feed:trending", trending.trending_ids),
        ("fresh", "feed:fresh", fresh.fresh_ids),
        ("exploration pool", exploration.CACHE_KEY, exploration.open_pool),
    ):
        shared.invalidate([key])
        started = time.perf_counter()
        compute()
        cost = (time.perf_counter() - started) * 1000
        print(f"recomputing the shared {name} list: {cost:.1f} ms")


class PagingClient(load_test.Client):
    """A keep-alive connection that reads the answer's ``next_cursor``."""

    def page(self, path: str, token: str) -> str | None:
        self.headers = {"Authorization": f"Bearer {token}"}
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        assert response.status == 200, response.status
        answer = json.loads(body)
        self.shown = [item["video"]["id"] for item in answer["items"]]
        return answer["next_cursor"]

    def watched(self, token: str) -> None:
        """Post a view of every video of the last page, as the web app's batch does."""
        events = [{"type": "view", "video": pk, "watched_ms": 9000} for pk in self.shown]
        self.headers = {"Authorization": f"Bearer {token}"}
        assert self.json("POST", "/api/v1/events", {"events": events}) == 200


def closed_loop(
    base: str,
    tokens: list[str],
    path: str,
    *,
    duration: float,
    concurrency: int,
    scroll: int = 0,
    watch: float | None = None,
):
    """``concurrency`` keep-alive connections sending ``path`` back to back for ``duration``.

    ``scroll``: connection ``n`` takes every ``concurrency``-th viewer in turn and asks
    for the next page of that viewer's session, up to ``scroll`` pages, then the first.
    ``watch`` (seconds; with ``scroll``): a connection keeps to one viewer for a whole
    session, and between two pages posts a view of each video of the first and waits
    ``watch`` (the viewer watching); only the pages are timed.
    """
    samples: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def user(n: int) -> None:
        client = load_test.Client(base, tokens[n % len(tokens)])
        mine = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            status = client.request("GET", path)
            mine.append(time.perf_counter() - started)
            assert status == 200, status
        with lock:
            samples.extend(mine)

    def scroller(n: int) -> None:
        client = PagingClient(base, tokens[n % len(tokens)])
        viewers = tokens[n::concurrency] or tokens[:1]
        cursors: dict[str, str | None] = dict.fromkeys(viewers)
        pages = dict.fromkeys(viewers, 0)
        mine, turn = [], 0
        while time.monotonic() < deadline:
            token = viewers[turn % len(viewers)]
            turn += 1
            cursor = cursors[token]
            started = time.perf_counter()
            after = client.page(path + (f"&cursor={cursor}" if cursor else ""), token)
            mine.append(time.perf_counter() - started)
            pages[token] += 1
            cursors[token] = after if pages[token] % scroll else None
        with lock:
            samples.extend(mine)

    def watcher(n: int) -> None:
        client = PagingClient(base, tokens[n % len(tokens)])
        viewers = tokens[n::concurrency] or tokens[:1]
        mine, turn = [], 0
        while time.monotonic() < deadline:
            token, cursor = viewers[turn % len(viewers)], None
            turn += 1
            for _ in range(scroll):
                started = time.perf_counter()
                cursor = client.page(path + (f"&cursor={cursor}" if cursor else ""), token)
                mine.append(time.perf_counter() - started)
                client.watched(token)
                time.sleep(watch or 0)
                if time.monotonic() >= deadline:
                    break
        with lock:
            samples.extend(mine)

    user = (watcher if watch is not None else scroller) if scroll else user

    started = time.monotonic()
    threads = [threading.Thread(target=user, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary(samples, time.monotonic() - started)


def process_cpu_s(pid: int) -> float:
    """CPU seconds used so far by ``pid`` and its children (Linux ``/proc``; 0 elsewhere)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        total = 0
        for process in [pid, *map(int, children)]:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return 0.0


def measured(pid: int, run) -> dict:
    """``run()``'s summary plus the server's CPU milliseconds per request.

    On a shared machine the latency and throughput include waiting for the
    CPU; the server's own CPU time per request does not, so the ratio of the
    two endpoints' CPU per request is the throughput ratio a quiet machine
    would approach.
    """
    before = process_cpu_s(pid)
    row = run()
    row["cpu_ms"] = (process_cpu_s(pid) - before) * 1000 / max(row["n"], 1)
    return row


def through_server(data_dir: str, viewers, args) -> tuple[dict, dict]:
    """Feed and floor against a real ``clipdeck serve`` on loopback."""
    from clipdeck.accounts.services import token_issue

    tokens = [token_issue(user=viewer) for viewer in viewers]
    env = load_test.environment(Path(data_dir), os.environ.get("DATABASE_URL"))
    base, process = load_test.serve(
        env, workers=args.workers, task_workers=0, log=Path(data_dir) / "serve.log"
    )
    try:
        for token in tokens:  # warm the process and each viewer's state, as in-process
            load_test.Client(base, token).request("GET", FEED)
        floor = measured(
            process.pid,
            lambda: closed_loop(
                base, tokens, FLOOR, duration=args.duration, concurrency=args.concurrency
            ),
        )
        feed = measured(
            process.pid,
            lambda: closed_loop(
                base,
                tokens,
                FEED,
                duration=args.duration,
                concurrency=args.concurrency,
                scroll=args.pages if args.scroll else 0,
                watch=args.watch / 1000 if args.watch is not None else None,
            ),
        )
    finally:
        load_test._stop(process)
    return feed, floor


def growth(sizes: list[int], queries: int = 50) -> None:
    """The collaborative source's brute-force top-50 (32 factors) as the catalogue grows."""
    import numpy as np

    rng = np.random.default_rng(0)
    for size in sizes:
        factors = rng.standard_normal((size, 32), dtype=np.float32)
        vectors = rng.standard_normal((queries, 32), dtype=np.float32)
        started = time.perf_counter()
        for vector in vectors:
            scores = factors @ vector
            best = np.argpartition(-scores, 549)[:550]
            best[np.argsort(-scores[best])]
        each = (time.perf_counter() - started) / queries * 1000
        print(f"brute-force top-50 over {size:>9,} videos: {each:6.2f} ms a page")


def seed_and_train(args) -> None:
    """The catalogue of ``clipdeck bench seed``, then training."""
    from clipdeck.feed.training import train
    from clipdeck.runtime.bench_seed import Sizes, seed

    seed(Sizes(args.videos, args.users, args.creators, args.events))
    started = time.perf_counter()
    card = train(days=30)
    print(f"trained version {card['version']} in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--creators", type=int, default=0, help="default: videos / 20")
    parser.add_argument("--events", type=int, default=40, help="events per viewer")
    parser.add_argument("--rounds", type=int, default=300, help="in-process request pairs")
    parser.add_argument("--sample", type=int, default=200, help="viewers whose pages are timed")
    parser.add_argument("--server", action="store_true", help="also through clipdeck serve")
    parser.add_argument("--duration", type=float, default=20, help="seconds per endpoint")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="web processes of the served run (more than one without Redis keeps the feed's "
        "state in the database cache)",
    )
    parser.add_argument("--growth", action="store_true", help="brute-force top-k, 20k to 1M")
    parser.add_argument("--data-dir", help="keep the seeded data here and reuse it")
    parser.add_argument(
        "--scroll", action="store_true", help="follow each viewer's cursor (see above)"
    )
    parser.add_argument("--pages", type=int, default=10, help="pages a scrolling session lasts")
    parser.add_argument(
        "--watch",
        type=float,
        default=None,
        help="served, with --scroll: post a view of each video of a page, wait this many ms, "
        "then ask for the next page (one viewer per connection at a time)",
    )
    parser.add_argument(
        "--ahead",
        type=int,
        default=None,
        help="CLIPDECK_FEED_PAGES_AHEAD for the run (default: the setting's; 0: build every page)",
    )
    args = parser.parse_args()
    if args.ahead is not None:
        os.environ["CLIPDECK_FEED_PAGES_AHEAD"] = str(args.ahead)  # in-process and served
    print(
        f"pages ranked ahead: {os.environ.get('CLIPDECK_FEED_PAGES_AHEAD', 'default')}, "
        f"{'scrolling ' + str(args.pages) + ' pages a session' if args.scroll else 'first pages'}"
        + (f", views posted and {args.watch:g} ms watching between pages" if args.watch else "")
    )
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.growth:
        growth([20_000, 100_000, 300_000, 1_000_000])
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = args.data_dir or scratch
        reuse = Path(data_dir, "seeded").exists()
        feed_latency.setup(data_dir)
        from django.db import connection

        from clipdeck.accounts.models import User

        print(f"database: {connection.vendor}")
        if reuse or User.objects.exists():
            print(f"reusing the seeded and trained data folder {data_dir}")
        else:
            seed_and_train(args)
            Path(data_dir, "seeded").touch()
        viewers = list(User.objects.order_by("pk")[: args.users])
        sample = rng.sample(viewers, min(args.sample, len(viewers)))
        feed, floor = in_process(sample, args.rounds, args.pages if args.scroll else 0)
        print(line("in-process GET for-you:", feed))
        print(line("in-process GET /healthz (floor):", floor))
        print("in-process " + ratios(feed, floor))
        print(
            f"in-process CPU per request: feed {feed['cpu_ms']:.1f} ms, "
            f"floor {floor['cpu_ms']:.2f} ms"
        )
        print(f"in-process full collections (ms each): {feed['full_collections_ms']}")
        shared_lists()
        if args.server:
            feed, floor = through_server(data_dir, sample, args)
            served = f"c={args.concurrency}, {args.workers} web process(es)"
            print(line(f"served GET for-you ({served}):", feed))
            print(line(f"served GET /healthz ({served}):", floor))
            print("served " + ratios(feed, floor))
            print(
                f"server CPU per request: feed {feed['cpu_ms']:.1f} ms, floor "
                f"{floor['cpu_ms']:.2f} ms: the feed costs {feed['cpu_ms'] / floor['cpu_ms']:.1f}x "
                f"the floor ({floor['cpu_ms'] / feed['cpu_ms']:.0%} of its throughput at equal CPU)"
            )
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
