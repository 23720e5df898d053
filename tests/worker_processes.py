"""Real worker processes for crash tests: a database they share with the test, and
helpers to start them and to look at processes through /proc."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class SharedDatabase:
    """Points this process at a database a worker subprocess can open too.

    On PostgreSQL the test database already is one (its name goes into
    ``DATABASE_URL``). SQLite test databases live in memory, so for the test's
    duration the default connection is swapped for a migrated file in
    ``data_dir``; the in-memory connection is kept open (closing it would drop that
    database) and put back afterwards.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._memory = None
        self._memory_name = None

    def __enter__(self) -> SharedDatabase:
        if connection.vendor == "sqlite":
            self._swap_to_file()
        return self

    def __exit__(self, *exc) -> None:
        if self._memory is not None:
            connections["default"].close()
            connection.settings_dict["NAME"] = self._memory_name
            connections["default"] = self._memory

    def _swap_to_file(self) -> None:
        self._memory = connections["default"]
        self._memory_name = self._memory.settings_dict["NAME"]
        # The same dict is shared by every thread's connection: new threads open the file.
        self._memory.settings_dict["NAME"] = str(self.data_dir / "clipdeck.sqlite3")
        connections["default"] = type(self._memory)(self._memory.settings_dict, "default")
        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)

    def env(self) -> dict[str, str]:
        """Environment for a subprocess to use this database and the test's media folder."""
        env = {
            key: value
            for key, value in os.environ.items()
            if key != "DATABASE_URL" and not key.startswith("PYTEST")
        }
        env.update(
            CLIPDECK_DATA_DIR=str(self.data_dir),
            CLIPDECK_MEDIA_ROOT=str(settings.MEDIA_ROOT),
            CLIPDECK_SECRET_KEY=settings.SECRET_KEY,
            CLIPDECK_CELL_KEY=settings.CLIPDECK_CELL_KEY,
            CLIPDECK_KEYSTORE_PATH=str(settings.CLIPDECK_KEYSTORE_PATH),
            CLIPDECK_SHREDDED_KEYS_FILE=str(settings.CLIPDECK_SHREDDED_KEYS_FILE),
            DJANGO_SETTINGS_MODULE="clipdeck.settings",
        )
        if connection.vendor == "postgresql":
            env["DATABASE_URL"] = _postgres_url(connection.settings_dict)
        return env


def _postgres_url(db: dict) -> str:
    user = quote(db.get("USER") or "")
    password = quote(db.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{db['NAME']}"


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    """``clipdeck worker`` (one db_worker plus the scheduler of periodic jobs)."""
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "clipdeck.cli", "worker"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen) -> None:
    """Ask a process we started to stop; kill it if it does not."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def children_of(pid: int) -> list[int]:
    """Ids of the live processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _parent(int(entry.name)) == pid and is_alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _parent(pid: int) -> int | None:
    fields = _stat(pid)
    return int(fields[1]) if fields else None


def is_alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped counts as dead)."""
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def wait_until(condition, timeout: float, what: str, step: float = 0.02):
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"gave up waiting for {what} after {timeout:g} s")
