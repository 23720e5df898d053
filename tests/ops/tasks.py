"""Tasks for worker tests: each run leaves marker files in a ledger folder.

``<key>.<pid>.start`` when a process starts the task and ``<key>.<pid>.done`` when
it finishes, so a test can tell which process ran what, and how often.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def record(key: str, ledger: str, seconds: float = 0.0) -> None:
    """Mark the start, wait ``seconds``, mark the end."""
    Path(ledger, f"{key}.{os.getpid()}.start").touch()
    time.sleep(seconds)
    Path(ledger, f"{key}.{os.getpid()}.done").touch()


def runs(ledger: Path, key: str, mark: str) -> list[int]:
    """Process ids that reached ``mark`` ("start" or "done") for ``key``."""
    return sorted(int(path.name.split(".")[1]) for path in ledger.glob(f"{key}.*.{mark}"))


# Periodic jobs for the scheduler's tests (they run in the test's own process).
CALLS: list[str] = []


@task()
def ping() -> str:
    """A periodic job that notes each run."""
    CALLS.append("ping")
    return "pong"


@task()
def always_fails() -> None:
    """A periodic job that never succeeds."""
    CALLS.append("always_fails")
    raise RuntimeError("this job always fails")
