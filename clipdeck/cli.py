"""The ``clipdeck`` command: serve, worker, demo and Django management.

clipdeck serve [--host H] [--port P] [--data-dir DIR] [--workers N]
clipdeck worker [--data-dir DIR] [--concurrency N]
clipdeck demo [--data-dir DIR]
clipdeck bench seed --videos N --viewers M [--data-dir DIR]
clipdeck manage <django command> [args…]
clipdeck recsys train|evaluate|prepare|prune [args…]
clipdeck backup [--verify FILE] | restore FILE | audit verify|checkpoint | residency report
clipdeck keystore backup | verify FILE | restore FILE
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _use_data_dir(path: str | None) -> None:
    if path:
        os.environ["CLIPDECK_DATA_DIR"] = str(Path(path).expanduser().resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clipdeck.settings")


def _setup() -> None:
    import django

    django.setup()


def prepare_database(verbosity: int = 1) -> None:
    """Apply migrations and create the cache table; safe to run every start, and on
    several machines at once (PostgreSQL: one at a time, under an advisory lock)."""
    from django.core.management import call_command

    from clipdeck.runtime.databases import migration_lock

    with migration_lock():
        call_command("migrate", interactive=False, verbosity=verbosity)
        call_command("createcachetable", verbosity=0)


def _check_media_storage() -> None:
    """Refuse to start when the media bucket is unreachable or not in its configured region."""
    from django.core.files.storage import storages

    from clipdeck.runtime.s3 import BucketUnusable, MediaS3Storage, verify_bucket

    storage = storages["default"]
    if isinstance(storage, MediaS3Storage):
        try:
            verify_bucket(storage)
        except BucketUnusable as exc:
            raise SystemExit(f"clipdeck: media storage unusable: {exc}") from None


def _check_residency() -> None:
    """Refuse to start when a storage or backup location breaks the residency policy."""
    from clipdeck.privacy.residency import policy_violations

    problems = policy_violations(verify=True)
    for problem in problems:
        print(f"clipdeck: residency policy: {problem}", file=sys.stderr)
    if problems:
        raise SystemExit(2)


def cmd_serve(args: argparse.Namespace) -> int:
    from clipdeck.runtime.processes import Supervisor, prepare_metrics_dir, remove_metrics_dir

    _use_data_dir(args.data_dir)
    # Read by the settings: one web process keeps the feed's live state in memory.
    os.environ["CLIPDECK_WEB_PROCESSES"] = str(args.workers)
    metrics_dir = prepare_metrics_dir()
    _setup()
    _check_residency()
    prepare_database(verbosity=0)
    _check_media_storage()
    _ensure_music_library()
    import uvicorn
    from django.conf import settings

    from clipdeck.runtime.logs import uvicorn_log_config
    from clipdeck.runtime.serving import serve_with_workers

    config = uvicorn.Config(
        "clipdeck.asgi:application",
        host=args.host,
        port=args.port,
        workers=args.workers,
        lifespan="off",
        log_config=uvicorn_log_config(),
        access_log=not args.no_access_log,
        proxy_headers=True,
        timeout_graceful_shutdown=30,
    )
    workers = Supervisor(args.task_workers, grace_seconds=settings.CLIPDECK_SHUTDOWN_GRACE_SECONDS)
    workers.start().watch_in_background()
    print(
        f"Clipdeck serving on http://{args.host}:{args.port} "
        f"(data in {os.environ.get('CLIPDECK_DATA_DIR') or 'the default folder'})",
        flush=True,
    )
    try:
        return serve_with_workers(config, workers)
    finally:
        remove_metrics_dir(metrics_dir)


def _ensure_music_library() -> None:
    """A fresh cell ships the generated music library: its workers make what is missing."""
    from clipdeck.studio.music_library import ensure_library

    if ensure_library():
        print("Clipdeck: generating the music library in the background", flush=True)


def cmd_worker(args: argparse.Namespace) -> int:
    from clipdeck.runtime.processes import (
        Supervisor,
        prepare_metrics_dir,
        remove_metrics_dir,
        run_task_worker,
    )

    _use_data_dir(args.data_dir)
    supervised = "CLIPDECK_SUPERVISOR_PID" in os.environ
    metrics_dir = None if supervised else prepare_metrics_dir()
    _setup()
    _check_residency()
    try:
        if not supervised:
            _check_media_storage()
        if args.metrics_port:
            _serve_worker_metrics(args.metrics_port)
        if args.concurrency > 1:
            from django.conf import settings

            grace = settings.CLIPDECK_SHUTDOWN_GRACE_SECONDS
            return Supervisor(args.concurrency, grace_seconds=grace).start().run_until_signalled()
        return run_task_worker()
    finally:
        remove_metrics_dir(metrics_dir)


def _serve_worker_metrics(port: int) -> None:
    """Task and render metrics of this machine's workers on 127.0.0.1:``port``."""
    from prometheus_client import CollectorRegistry, multiprocess, start_http_server

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    start_http_server(port, addr="127.0.0.1", registry=registry)


def cmd_demo(args: argparse.Namespace) -> int:
    _use_data_dir(args.data_dir)
    _setup()
    prepare_database(verbosity=0)
    import logging

    from clipdeck.demo.seed import seed_demo

    logging.getLogger("clipdeck").setLevel(logging.WARNING)
    seed_demo(only_if_empty=args.if_empty, out=sys.stdout)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """``clipdeck bench seed``: a synthetic catalogue in an empty data folder, then training."""
    import time

    _use_data_dir(args.data_dir)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    _setup()
    prepare_database(verbosity=0)
    from clipdeck.feed.training import train
    from clipdeck.runtime.bench_seed import Sizes, seed, training_days

    try:
        sizes = Sizes(args.videos, args.viewers, args.creators, args.events)
        seed(sizes, seed=args.seed)
    except ValueError as exc:
        print(f"clipdeck bench seed: {exc}", file=sys.stderr)
        return 2
    if args.no_train:
        return 0
    started = time.perf_counter()
    days = args.train_days or training_days(sizes)
    card = train(days=days)
    print(
        f"trained version {card['version']} on {card['counts']['signals']} signals "
        f"of the last {days} days in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    return 0


def cmd_manage(argv: list[str]) -> int:
    _use_data_dir(None)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["clipdeck manage", *argv])
    return 0


PRIVACY_COMMANDS = {
    "backup": "write an encrypted backup, or --verify FILE",
    "restore": "restore a backup FILE (re-applies erasures)",
    "audit": "verify [--from-checkpoint FILE] or checkpoint the audit chain",
    "residency": "report [--json]: where each class of data lives",
    "retention": "run: delete what is past its retention (workers also do this hourly)",
    "keystore": "backup | verify FILE | restore FILE: the users' data keys, kept apart",
}


def cmd_privacy(argv: list[str]) -> int:
    """backup, restore, audit, residency: the privacy app's commands, with --data-dir."""
    data_dir = None
    if "--data-dir" in argv[:-1]:
        at = argv.index("--data-dir")
        data_dir, argv = argv[at + 1], argv[:at] + argv[at + 2 :]
    _use_data_dir(data_dir)
    return cmd_manage(argv)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clipdeck", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the web server and a background worker")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--data-dir")
    serve.add_argument("--workers", type=int, default=1, help="web server processes")
    serve.add_argument(
        "--task-workers",
        type=int,
        default=1,
        help="background worker processes started beside the server",
    )
    serve.add_argument(
        "--no-access-log", action="store_true", help="do not log every request (load tests)"
    )
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="run background workers only")
    worker.add_argument("--data-dir")
    worker.add_argument(
        "--concurrency", type=int, default=1, help="worker processes (each runs one task at a time)"
    )
    worker.add_argument(
        "--metrics-port",
        type=int,
        help="serve these workers' Prometheus metrics on 127.0.0.1:PORT",
    )
    worker.set_defaults(func=cmd_worker)

    demo = sub.add_parser("demo", help="seed a data folder with demo content")
    demo.add_argument("--data-dir")
    demo.add_argument(
        "--if-empty", action="store_true", help="do nothing when the folder already has accounts"
    )
    demo.set_defaults(func=cmd_demo)

    bench = sub.add_parser("bench", help="benchmark tools")
    bench_sub = bench.add_subparsers(dest="bench_command", required=True)
    bench_seed = bench_sub.add_parser(
        "seed", help="fill an empty data folder with a synthetic catalogue, then train"
    )
    bench_seed.add_argument("--videos", type=int, required=True)
    bench_seed.add_argument("--viewers", type=int, required=True)
    bench_seed.add_argument("--creators", type=int, default=0, help="default: videos / 20")
    bench_seed.add_argument("--events", type=int, default=40, help="events per viewer")
    bench_seed.add_argument("--seed", type=int, default=0, help="random seed")
    bench_seed.add_argument("--no-train", action="store_true", help="seed only")
    bench_seed.add_argument(
        "--train-days",
        type=int,
        default=0,
        help="training window in days (default: the whole history up to ~1M events, "
        "the latest part of it beyond)",
    )
    bench_seed.add_argument("--data-dir")
    bench_seed.set_defaults(func=cmd_bench)

    sub.add_parser("manage", help="run a Django management command", add_help=False)
    sub.add_parser("recsys", help="train or evaluate the recommender", add_help=False)
    sub.add_parser("search", help="rebuild: fill the search index again", add_help=False)
    for name, summary in PRIVACY_COMMANDS.items():
        sub.add_parser(name, help=summary, add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    from django.core.exceptions import ImproperlyConfigured

    try:
        return _dispatch(list(sys.argv[1:] if argv is None else argv))
    except ImproperlyConfigured as exc:  # a bad environment variable: say which, no traceback
        print(f"clipdeck: configuration error: {exc}", file=sys.stderr)
        return 2


def _dispatch(argv: list[str]) -> int:
    if argv[:1] == ["manage"]:
        return cmd_manage(argv[1:])
    if argv[:1] and argv[0] in PRIVACY_COMMANDS:
        return cmd_privacy(argv)
    if argv[:1] == ["recsys"]:
        return cmd_manage(argv)
    if argv[:1] == ["search"]:
        return cmd_manage(argv)
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
