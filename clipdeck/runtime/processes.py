"""Process management for ``clipdeck serve`` and ``clipdeck worker``: a supervisor for
task worker processes, the shared metrics folder, and one task worker's main loop.

Graceful shutdown: SIGTERM (or Ctrl-C) makes every task worker stop taking tasks,
finish the one it runs (a render included) and exit; a second signal to the
supervisor stops the current task too (it sends ``FORCE_SIGNAL``). Task workers
run in their own session so that a Ctrl-C in a terminal reaches only the
supervisor, which passes one SIGTERM on; a supervised worker ignores further
SIGTERMs, and its supervisor kills it after the grace period.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

logger = logging.getLogger(__name__)

METRICS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"
METRICS_DIR_PREFIX = "clipdeck-metrics-"
SUPERVISOR_ENV = "CLIPDECK_SUPERVISOR_PID"
RESTART_DELAY_SECONDS = 2.0
PR_SET_PDEATHSIG = 1
# A supervised worker takes every SIGTERM as "finish the current task, then exit"
# (it may get several: from its supervisor, from the parent-death signal, from a
# service manager signalling the whole group); this one makes it stop at once.
FORCE_SIGNAL = signal.SIGQUIT


def prepare_metrics_dir() -> Path | None:
    """Give this process tree one fresh Prometheus multiprocess folder; returns it if created.

    Must run before ``prometheus_client`` is imported (it reads the variable then).
    An operator-chosen folder is emptied of the last run's files instead.
    """
    existing = os.environ.get(METRICS_DIR_ENV)
    if existing:
        folder = Path(existing)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink(missing_ok=True)
        return None
    _remove_orphaned_metrics_dirs()
    folder = Path(tempfile.mkdtemp(prefix=f"{METRICS_DIR_PREFIX}{os.getpid()}-"))
    os.environ[METRICS_DIR_ENV] = str(folder)
    return folder


def _remove_orphaned_metrics_dirs() -> None:
    """Folders left by a ``serve``/``worker`` that was killed (their pid is in the name)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{METRICS_DIR_PREFIX}*-*"):
        owner = folder.name.removeprefix(METRICS_DIR_PREFIX).split("-")[0]
        if owner.isdigit() and not Path(f"/proc/{owner}").exists() and sys.platform == "linux":
            shutil.rmtree(folder, ignore_errors=True)


def remove_metrics_dir(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def stop_with_supervisor() -> None:
    """In a supervised worker: receive SIGTERM when the supervisor dies (Linux).

    Workers run in their own session, so without this a SIGKILLed supervisor
    would leave them running. SIGTERM lets the current task finish.
    """
    expected = os.environ.get(SUPERVISOR_ENV)
    if not expected or not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != int(expected):  # the supervisor died before prctl
        os.kill(os.getpid(), signal.SIGTERM)


class Supervisor:
    """Keeps ``count`` task worker processes running until asked to stop."""

    def __init__(self, count: int, *, grace_seconds: float) -> None:
        self.count = count
        self.grace_seconds = grace_seconds
        self.processes: list[subprocess.Popen] = []
        self.stopping = threading.Event()
        self._lock = threading.RLock()  # signal handlers may take it in a thread holding it
        self._deadline = float("inf")

    def _spawn(self) -> subprocess.Popen:
        command = [sys.executable, "-m", "clipdeck.cli", "worker", "--concurrency", "1"]
        env = {**os.environ, SUPERVISOR_ENV: str(os.getpid())}
        return subprocess.Popen(command, env=env, start_new_session=True)

    def start(self) -> Supervisor:
        with self._lock:
            self.processes = [self._spawn() for _ in range(self.count)]
        return self

    def _restart_exited(self) -> None:
        with self._lock:
            for index, process in enumerate(self.processes):
                if process.poll() is not None and not self.stopping.is_set():
                    logger.warning(
                        "task worker %d exited with %d; starting another",
                        process.pid,
                        process.returncode,
                    )
                    self.processes[index] = self._spawn()

    def watch(self) -> None:
        """Restart workers that exit unexpectedly, until :meth:`stop` (blocks)."""
        while not self.stopping.wait(RESTART_DELAY_SECONDS):
            self._restart_exited()

    def watch_in_background(self) -> None:
        threading.Thread(target=self.watch, name="worker-supervisor", daemon=True).start()

    def signal_all(self, signum: int = signal.SIGTERM) -> None:
        with self._lock:
            for process in self.processes:
                if process.poll() is None:
                    process.send_signal(signum)

    def begin_stop(self) -> None:
        """Ask every worker, once, to finish its current task and exit; returns at once.

        The grace period starts now. Calling it again does nothing: a second
        SIGTERM would make a worker abandon its task.
        """
        with self._lock:
            if self.stopping.is_set():
                return
            self.stopping.set()
            self._deadline = time.monotonic() + self.grace_seconds
        logger.warning("stopping task workers gracefully (at most %g s)", self.grace_seconds)
        self.signal_all(signal.SIGTERM)

    def force(self) -> None:
        """Make every worker stop now, abandoning its current task (queued again)."""
        logger.warning("stopping task workers now")
        self.signal_all(FORCE_SIGNAL)

    def stop_requested(self) -> None:
        """A stop signal arrived: the first stops gracefully, any later one forces."""
        if self.stopping.is_set():
            self.force()
        else:
            self.begin_stop()

    def stop(self) -> None:
        """Stop gracefully (if not already asked) and wait for the workers until the end
        of the grace period; kill those still running then."""
        self.begin_stop()
        for process in list(self.processes):
            try:
                process.wait(timeout=max(0.0, self._deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.error("task worker %d did not stop in time; killing it", process.pid)
                process.kill()
                process.wait()

    def run_until_signalled(self) -> int:
        """Supervise in the foreground: the first SIGTERM/SIGINT stops gracefully, a
        later one forces the workers to abandon their current task."""

        def on_signal(signum, frame) -> None:
            self.stop_requested()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        self.watch()
        self.stop()
        return 0


def _run_task_loop(worker_id: str, *, supervised: bool, most_restarts: int = 20) -> None:
    """The task loop until it stops; when the database was locked (SQLite under a
    long write) it starts again after a doubling pause instead of ending the
    process, so a busy database never makes the workers crash-loop."""
    from django.db import OperationalError, close_old_connections

    from clipdeck.kernel.retry import backoff_delays, is_locked

    for delay in [*backoff_delays(most_restarts, 0.5, 10.0), None]:
        try:
            _task_loop(worker_id, supervised=supervised)
            return
        except SystemExit as exit_:  # db_worker exits this way on a signal while idle
            if exit_.code not in (None, 0):
                raise
            return
        except OperationalError as error:
            if delay is None or not is_locked(error):
                raise
            logger.warning("task worker %s: database is locked; again in %.1f s", worker_id, delay)
            close_old_connections()
            time.sleep(delay)


def run_task_worker() -> int:
    """One task worker process: its heartbeat, the scheduler of periodic jobs, and
    ``db_worker``'s loop on every queue. Returns after a graceful stop."""
    from clipdeck.runtime.scheduler import start_scheduler
    from clipdeck.runtime.workers import forget, new_worker_id, start_heartbeat

    supervised = SUPERVISOR_ENV in os.environ
    stop_with_supervisor()
    worker_id = new_worker_id()
    heartbeat = start_heartbeat(worker_id)
    scheduler = start_scheduler()
    logger.info("task worker %s started", worker_id)
    try:
        _run_task_loop(worker_id, supervised=supervised)
    finally:
        heartbeat.set()
        scheduler.set()
        forget(worker_id)
        logger.info("task worker %s stopped", worker_id)
    return 0


def _task_loop(worker_id: str, *, supervised: bool) -> None:
    """``db_worker`` (every queue, polling every 0.5 s) until a signal stops it."""
    from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS
    from django_tasks_db.management.commands.db_worker import Command, Worker

    class TaskWorker(Worker):
        def shutdown(self, signum: int, frame) -> None:
            if supervised and signum == signal.SIGTERM and not self.running:
                logger.info("already stopping after the current task; SIGTERM ignored")
                return
            super().shutdown(signum, frame)

    Command().configure_logging(verbosity=1)
    worker = TaskWorker(
        queue_names=["*"],
        interval=0.5,
        batch=False,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=True,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.configure_signals()
    worker.run()
