"""Load test: a mix of For You, video detail, like, comment and upload requests against a
running ``clipdeck serve`` on loopback; and render throughput of task workers.

A closed-loop generator: ``--concurrency`` threads, each with its own keep-alive
HTTP connection and signed-in demo account, send one request after another
(no think time), picking the kind by weight. It prints throughput and p50/p99
latency per kind and overall. The standard library only (threads + http.client),
so it adds no dependency; its threads share the machine's cores with the server.

    # one server you started yourself (seeded with `clipdeck demo`)
    .venv/bin/python benchmarks/load_test.py run --url http://127.0.0.1:8000 --duration 20

    # the matrix of docs/benchmarks.md: 1, 2, 4 web processes on SQLite and PostgreSQL
    .venv/bin/python benchmarks/load_test.py matrix --duration 20 \\
        --postgres postgres://postgres@127.0.0.1:5432/clipdeck_load

    # render throughput (videos/minute) with 1 and 2 task worker processes
    .venv/bin/python benchmarks/load_test.py renders --videos 8 --workers 1,2
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CLIPDECK = [sys.executable, "-m", "clipdeck.cli"]
DEMO_PASSWORD = "swipe-up-2026"  # noqa: S105 - the documented demo credential (demo/seed.py)
MIX = {"for_you": 45, "video_detail": 25, "like": 10, "comment": 15, "upload": 5}


# --- the generator ---------------------------------------------------------------


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    statuses: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            if 200 <= status < 300:
                self.latencies.setdefault(kind, []).append(seconds)
            else:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                self.statuses[f"{kind} {status}"] = self.statuses.get(f"{kind} {status}", 0) + 1

    def summary(self, duration: float) -> dict:
        """Per kind and overall: requests, req/s, p50 and p99 in milliseconds, errors."""
        kinds = sorted(set(self.latencies) | set(self.errors))
        rows = {k: _row(self.latencies.get(k, []), self.errors.get(k, 0), duration) for k in kinds}
        every = [s for values in self.latencies.values() for s in values]
        rows["all"] = _row(every, sum(self.errors.values()), duration)
        rows["all"]["error_statuses"] = dict(sorted(self.statuses.items()))
        return rows


def _row(values: list[float], errors: int, duration: float) -> dict:
    ordered = sorted(values)

    def pct(p: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)

    return {
        "requests": len(ordered),
        "rps": round(len(ordered) / duration, 1),
        "p50_ms": pct(0.50) if ordered else None,
        "p99_ms": pct(0.99) if ordered else None,
        "errors": errors,
    }


class Client:
    """One keep-alive connection acting as one signed-in account."""

    def __init__(self, base: str, token: str) -> None:
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.headers = {"Authorization": f"Bearer {token}"}
        self.connection = None

    def request(self, method: str, path: str, body: bytes | None = None, headers=None) -> int:
        for attempt in (1, 2):  # a keep-alive connection the server closed: reconnect once
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.connection.request(
                    method, path, body=body, headers={**self.headers, **(headers or {})}
                )
                response = self.connection.getresponse()
                response.read()
                return response.status
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def json(self, method: str, path: str, payload: dict) -> int:
        body = json.dumps(payload).encode()
        return self.request(method, path, body, {"Content-Type": "application/json"})


def _multipart(fields: dict[str, str], file_name: str, data: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{file_name}"\r\nContent-Type: video/mp4\r\n\r\n'
    )
    body = "".join(parts).encode() + head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


class Mix:
    """The requests of the mix, over the demo videos."""

    def __init__(self, video_ids: list[str], clip: bytes) -> None:
        self.video_ids = video_ids
        self.clip = clip
        self.kinds = list(MIX)
        self.weights = [MIX[k] for k in self.kinds]

    def one(self, client: Client, rng: random.Random) -> tuple[str, int]:
        kind = rng.choices(self.kinds, self.weights)[0]
        video = rng.choice(self.video_ids)
        if kind == "for_you":
            status = client.request("GET", "/api/v1/feed/for-you?limit=10")
        elif kind == "video_detail":
            status = client.request("GET", f"/api/v1/videos/{video}")
        elif kind == "like":
            status = client.request("POST", f"/api/v1/videos/{video}/like")
        elif kind == "comment":
            text = f"load test comment {rng.randrange(1_000_000)}"
            status = client.json("POST", f"/api/v1/videos/{video}/comments", {"text": text})
        else:
            body, content_type = _multipart(
                {"caption": "load test upload", "visibility": "public"}, "clip.mp4", self.clip
            )
            status = client.request("POST", "/api/v1/videos", body, {"Content-Type": content_type})
        return kind, status


def run_load(base: str, tokens: list[str], mix: Mix, *, duration: float, concurrency: int):
    """Run the mix for ``duration`` seconds with ``concurrency`` threads; returns the summary."""
    results = Results()
    stop = threading.Event()

    def user(index: int) -> None:
        rng = random.Random(index)
        client = Client(base, tokens[index % len(tokens)])
        while not stop.is_set():
            started = time.perf_counter()
            try:
                kind, status = mix.one(client, rng)
            except (http.client.HTTPException, OSError):
                kind, status = "connection", 0
            results.add(kind, time.perf_counter() - started, status)

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(duration)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    return results.summary(time.perf_counter() - started)


# --- setting up against a server -------------------------------------------------


def _get_json(base: str, path: str, token: str | None = None) -> dict:
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    return json.loads(response.read() or b"{}")


def _post_json(base: str, path: str, payload: dict) -> dict:
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    connection.request(
        "POST", path, body=json.dumps(payload), headers={"Content-Type": "application/json"}
    )
    response = connection.getresponse()
    body = json.loads(response.read() or b"{}")
    if response.status >= 300:
        raise RuntimeError(f"POST {path}: {response.status} {body}")
    return body


def demo_tokens(base: str) -> list[str]:
    """Sign in as every demo account (their handles come from the For You feed)."""
    handles = set()
    cursor = ""
    for _ in range(10):
        page = _get_json(base, f"/api/v1/feed/for-you?limit=50{cursor}")
        handles |= {item["video"]["author"]["handle"] for item in page.get("items", [])}
        if not page.get("next_cursor"):
            break
        cursor = "&cursor=" + urllib.parse.quote(page["next_cursor"])
    if not handles:
        raise SystemExit("no demo content: seed the data folder with `clipdeck demo` first")
    login = "/api/v1/auth/login"
    return [
        _post_json(base, login, {"login": h, "password": DEMO_PASSWORD})["token"] for h in handles
    ]


def demo_video_ids(base: str) -> list[str]:
    """Public videos (the anonymous feed), which every account may see."""
    ids, cursor = [], ""
    for _ in range(10):
        page = _get_json(base, f"/api/v1/feed/for-you?limit=50{cursor}")
        ids += [item["video"]["id"] for item in page.get("items", [])]
        if not page.get("next_cursor"):
            break
        cursor = "&cursor=" + urllib.parse.quote(page["next_cursor"])
    return sorted(set(ids))


def small_clip(folder: Path, *, seconds: float = 1.0, width: int = 180, height: int = 320) -> Path:
    from clipdeck.studio.engine.synth import make_clip

    return Path(
        make_clip(
            folder / f"clip-{width}x{height}-{seconds:g}s.mp4",
            seconds=seconds,
            width=width,
            height=height,
            scene="bouncing",
        )
    )


def load_against(base: str, *, duration: float, concurrency: int, work: Path) -> dict:
    tokens = demo_tokens(base)
    mix = Mix(demo_video_ids(base), small_clip(work).read_bytes())
    return run_load(base, tokens, mix, duration=duration, concurrency=concurrency)


# --- starting servers ------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_ready(base: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            if _get_json(base, "/readyz").get("status") == "ready":
                return
        except (OSError, http.client.HTTPException, json.JSONDecodeError):
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not become ready")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve(env: dict, *, workers: int, task_workers: int, log: Path) -> tuple[str, subprocess.Popen]:
    port = _free_port()
    command = [
        *CLIPDECK, "serve", "--port", str(port), "--workers", str(workers),
        "--task-workers", str(task_workers), "--no-access-log",
    ]  # fmt: skip
    with open(log, "ab") as out:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    _wait_ready(base, process)
    return base, process


def _reset_postgres(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def environment(data: Path, database_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(CLIPDECK_DATA_DIR=str(data), CLIPDECK_LOG_LEVEL="WARNING")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def seeded(work: Path, name: str, database_url: str | None) -> dict:
    """A data folder (and database) with the demo content; returns its environment."""
    data = work / name
    data.mkdir()
    if database_url:
        _reset_postgres(database_url)
    env = environment(data, database_url)
    print(f"seeding {name} …", file=sys.stderr, flush=True)
    subprocess.run(
        [*CLIPDECK, "demo"], cwd=PROJECT_ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    return env


# --- commands ----------------------------------------------------------------------


def cmd_run(args) -> dict:
    with tempfile.TemporaryDirectory(prefix="clipdeck-load-") as work:
        return load_against(
            args.url, duration=args.duration, concurrency=args.concurrency, work=Path(work)
        )


def cmd_matrix(args) -> dict:
    databases = {"sqlite": None}
    if args.postgres:
        databases["postgresql"] = args.postgres
    table = {}
    with tempfile.TemporaryDirectory(prefix="clipdeck-load-") as folder:
        work = Path(folder)
        for name, url in databases.items():
            env = seeded(work, name, url)
            for workers in args.workers:
                base, server = serve(
                    env, workers=workers, task_workers=0, log=work / f"{name}-{workers}.log"
                )
                try:
                    print(f"{name}, {workers} web process(es) …", file=sys.stderr, flush=True)
                    summary = load_against(
                        base, duration=args.duration, concurrency=args.concurrency, work=work
                    )
                finally:
                    _stop(server)
                table[f"{name}/{workers}"] = summary
                print(json.dumps({f"{name}/{workers}": summary["all"]}), file=sys.stderr)
    return table


def _upload(base: str, token: str, clip: bytes) -> str:
    body, content_type = _multipart({"visibility": "public"}, "clip.mp4", clip)
    client = Client(base, token)
    parts = urllib.parse.urlsplit(base)
    client.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    client.connection.request(
        "POST",
        "/api/v1/videos",
        body=body,
        headers={**client.headers, "Content-Type": content_type},
    )
    reply = client.connection.getresponse()
    payload = json.loads(reply.read())
    if reply.status != 202:
        raise RuntimeError(f"upload failed: {reply.status} {payload}")
    return payload["id"]


def cmd_renders(args) -> dict:
    """Queue ``--videos`` uploads with no worker running, then time N workers draining them."""
    table = {}
    with tempfile.TemporaryDirectory(prefix="clipdeck-renders-") as folder:
        work = Path(folder)
        clip = small_clip(work, seconds=args.seconds, width=540, height=960).read_bytes()
        for count in args.workers:
            data = work / f"renders-{count}"
            data.mkdir()
            env = environment(data, None)
            base, server = serve(env, workers=1, task_workers=0, log=work / f"serve-{count}.log")
            try:
                handle = f"bench{count}"
                token = _post_json(
                    base,
                    "/api/v1/auth/signup",
                    {
                        "handle": handle,
                        "email": f"{handle}@example.org",
                        "password": "bench-pass-1",
                    },
                )["token"]
                ids = [_upload(base, token, clip) for _ in range(args.videos)]
                started = time.perf_counter()
                worker = subprocess.Popen(
                    [*CLIPDECK, "worker", "--concurrency", str(count)],
                    cwd=PROJECT_ROOT, env=env,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )  # fmt: skip
                try:
                    while True:
                        states = [
                            _get_json(base, f"/api/v1/videos/{i}", token)["status"] for i in ids
                        ]
                        if all(state != "processing" for state in states):
                            break
                        time.sleep(0.5)
                    elapsed = time.perf_counter() - started
                finally:
                    _stop(worker)
            finally:
                _stop(server)
            table[f"{count} worker(s)"] = {
                "videos": len(ids),
                "published": states.count("published"),
                "seconds": round(elapsed, 1),
                "videos_per_minute": round(60 * len(ids) / elapsed, 1),
            }
            print(json.dumps(table[f"{count} worker(s)"]), file=sys.stderr)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="load one running server")
    run.add_argument("--url", default="http://127.0.0.1:8000")
    matrix = sub.add_parser("matrix", help="start servers with 1, 2, 4 web processes and load each")
    matrix.add_argument(
        "--workers", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2, 4]
    )
    matrix.add_argument("--postgres", help="a PostgreSQL URL whose database may be recreated")
    for command in (run, matrix):
        command.add_argument("--duration", type=float, default=20)
        command.add_argument("--concurrency", type=int, default=8)
    renders = sub.add_parser("renders", help="render throughput of 1 and 2 task workers")
    renders.add_argument("--workers", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2])
    renders.add_argument("--videos", type=int, default=8)
    renders.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    handler = {"run": cmd_run, "matrix": cmd_matrix, "renders": cmd_renders}[args.command]
    print(json.dumps(handler(args), indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT_ROOT))
    main()
