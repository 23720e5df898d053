"""``clipdeck serve``: uvicorn and the task workers beside it, stopped together.

The first SIGTERM (or Ctrl-C) makes uvicorn stop accepting connections and
drain its requests while, at the same moment, the task workers are asked
(one SIGTERM each) to finish their current task — a render included — and exit.
``serve`` then waits for them up to ``CLIPDECK_SHUTDOWN_GRACE_SECONDS``, kills
what is left, and exits 0. A further signal forces the workers to stop now.

Stock uvicorn re-raises the signal once its own shutdown is done, which would
kill ``serve`` before its workers finished (and hand them a parent-death
signal besides); the server here keeps the signal instead.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Generator
from types import FrameType

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.server import HANDLED_SIGNALS
from uvicorn.supervisors.multiprocess import Multiprocess

from clipdeck.runtime.processes import Supervisor

StopCallback = Callable[[], None]


class WebServer(uvicorn.Server):
    """One uvicorn server process that reports a stop signal instead of re-raising it."""

    def __init__(self, config: uvicorn.Config, on_stop: StopCallback) -> None:
        super().__init__(config)
        self.on_stop = on_stop

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """uvicorn's shutdown, and the task workers told to stop at the same moment."""
        self.on_stop()
        super().handle_exit(sig, frame)

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        """Handle SIGINT/SIGTERM while serving; put the previous handlers back after,
        without raising the signal again."""
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in HANDLED_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


class WebProcesses(Multiprocess):
    """uvicorn's supervisor of several web processes, reporting SIGTERM/SIGINT too."""

    def __init__(self, config: uvicorn.Config, on_stop: StopCallback) -> None:
        super().__init__(config, sockets=[config.bind_socket()])
        self.on_stop = on_stop

    def handle_term(self) -> None:
        """Stop the web processes and the task workers."""
        self.on_stop()
        super().handle_term()

    def handle_int(self) -> None:
        """Stop the web processes and the task workers."""
        self.on_stop()
        super().handle_int()


def run_web(config: uvicorn.Config, on_stop: StopCallback) -> None:
    """Serve until SIGTERM/SIGINT, calling ``on_stop`` as soon as one arrives; returns
    after uvicorn's own graceful shutdown. Exits 3 when the server could not start."""
    if config.workers > 1:
        WebProcesses(config, on_stop).run()
        return
    server = WebServer(config, on_stop)
    server.run()
    if not server.started:
        raise SystemExit(STARTUP_FAILURE)


def serve_with_workers(config: uvicorn.Config, workers: Supervisor) -> int:
    """Run the web server beside the started ``workers``; stop both gracefully on a
    signal (see the module's docstring) and return 0."""
    _handle_stop_signals(workers)
    try:
        run_web(config, workers.stop_requested)
    finally:
        _handle_stop_signals(workers)  # uvicorn's own handlers may still be installed
        workers.stop()
    return 0


def _handle_stop_signals(workers: Supervisor) -> None:
    def on_signal(signum: int, frame: FrameType | None) -> None:
        workers.stop_requested()

    for sig in HANDLED_SIGNALS:
        signal.signal(sig, on_signal)
