"""A real ``clipdeck serve`` (uvicorn and a worker) on a fresh data folder, for HTTP attacks."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.worker_processes import stop


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(
    url: str, process: subprocess.Popen, timeout: float = 120, *, path: str = "/healthz"
) -> None:
    """Wait until ``path`` answers (``"/"`` also warms up the feed page)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"clipdeck serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + path, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("clipdeck serve did not start in time")


@contextlib.contextmanager
def running_clipdeck(
    data: Path, *, port: int | None = None, **env_overrides: str
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Serve a fresh cell from ``data`` (on ``port`` or a free one); yields its URL and process."""
    port = port or free_port()
    env = {**os.environ, "CLIPDECK_DATA_DIR": str(data), **env_overrides}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cli = str(Path(sys.executable).with_name("clipdeck"))
    log = open(data / "serve.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [cli, "serve", "--port", str(port), "--data-dir", str(data)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, server)
        yield url, server
    finally:
        stop(server)
        log.close()
