"""Run ``probe`` and ``render`` in a child process with hard resource limits.

A hostile file must never crash or hang the caller. ``safe_probe`` and
``safe_render`` start ``python -m clipdeck.studio.engine.sandbox <op> <json>``;
the child sets RLIMIT_CPU, RLIMIT_AS, RLIMIT_FSIZE (and no core dumps) on itself
before touching the file, does the work, and prints one JSON line on stdout. The
parent kills it after ``Limits.wall_seconds``; on Linux the child also dies with
its parent (``PR_SET_PDEATHSIG``), so a killed worker leaves no orphan render.
Outcomes:

* ``{"ok": ...}`` -> the result dataclass;
* ``{"error": {"code", "message"}}`` -> the same :class:`MediaError` in the parent;
* killed on the wall-clock limit -> ``processing_timeout``;
* killed by a limit signal (SIGXCPU, SIGKILL, SIGXFSZ, SIGSEGV, SIGABRT, SIGBUS)
  or out of memory -> ``resources_exceeded``;
* anything else (a bug) -> ``processing_failed``, with the child's stderr tail in
  the exception's ``__notes__`` for the logs.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import subprocess
import sys
import traceback
from pathlib import Path

from .errors import MediaError
from .job import RenderJob, RenderResult
from .limits import Limits
from .probe import ProbeResult

MARKER = "CLIPDECK-SANDBOX-RESULT "
PROJECT_ROOT = str(Path(__file__).resolve().parents[3])
LIMIT_SIGNALS = {
    signal.SIGXCPU,
    signal.SIGKILL,
    signal.SIGXFSZ,
    signal.SIGSEGV,
    signal.SIGABRT,
    signal.SIGBUS,
}
STDERR_TAIL = 4000
PARENT_ENV = "CLIPDECK_SANDBOX_PARENT"
PR_SET_PDEATHSIG = 1


def safe_probe(path: str | os.PathLike, limits: Limits | None = None) -> ProbeResult:
    """``probe`` in a sandboxed child process; raises :class:`MediaError` like ``probe``."""
    limits = limits or Limits()
    reply = _run("probe", {"path": str(path), "limits": limits.to_dict()}, limits)
    return ProbeResult.from_dict(reply)


def safe_render(job: RenderJob, limits: Limits | None = None) -> RenderResult:
    """``render`` in a sandboxed child process; raises :class:`MediaError` like ``render``."""
    limits = limits or Limits()
    reply = _run("render", {"job": job.to_dict(), "limits": limits.to_dict()}, limits)
    return RenderResult.from_dict(reply)


def _run(op: str, payload: dict, limits: Limits) -> dict:
    command = [
        sys.executable,
        "-m",
        "clipdeck.studio.engine.sandbox",
        op,
        json.dumps(payload, default=str),
    ]
    child = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_child_env(),
        start_new_session=True,
    )
    try:
        stdout, stderr = child.communicate(timeout=limits.wall_seconds)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise MediaError(
            "processing_timeout",
            f"Processing this video took too long and was stopped after {limits.wall_seconds:g} s.",
        ) from None
    return _reply(child.returncode, stdout, stderr)


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env[PARENT_ENV] = str(os.getpid())
    paths = [PROJECT_ROOT, *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    return env


def _reply(returncode: int, stdout: bytes, stderr: bytes) -> dict:
    lines = [
        line for line in stdout.decode(errors="replace").splitlines() if line.startswith(MARKER)
    ]
    if returncode < 0 and -returncode in LIMIT_SIGNALS:
        raise MediaError(
            "resources_exceeded",
            "Processing this video needed more computing resources than allowed and was stopped.",
        )
    if not lines:
        error = MediaError("processing_failed", "Processing this video failed unexpectedly.")
        error.add_note(
            f"exit status {returncode}; stderr: {stderr.decode(errors='replace')[-STDERR_TAIL:]}"
        )
        raise error
    reply = json.loads(lines[-1][len(MARKER) :])
    if "error" in reply:
        raise MediaError.from_dict(reply["error"])
    return reply["ok"]


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (PR_SET_PDEATHSIG).

    A worker killed mid-render must not leave its render running as an orphan.
    Set here, at the child's start, rather than in a ``preexec_fn`` (unsafe in a
    parent with threads); the parent may already have died before this ran, so
    the parent id is compared with the one the parent passed down.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    expected = os.environ.get(PARENT_ENV)
    if expected and os.getppid() != int(expected):
        os._exit(1)


def apply_limits(limits: Limits) -> None:
    """Set this process's CPU, memory, file-size and core-dump limits."""
    cpu = max(1, int(limits.cpu_seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.max_output_bytes, limits.max_output_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _work(op: str, payload: dict) -> dict:
    from .probe import probe
    from .render import render

    limits = Limits.from_dict(payload["limits"])
    if op == "probe":
        return probe(payload["path"], limits).to_dict()
    if op == "render":
        return render(RenderJob.from_dict(payload["job"]), limits).to_dict()
    raise ValueError(f"unknown sandbox operation {op!r}")


def _near_memory_limit(payload: dict) -> bool:
    """True when this process's peak address space came within 5% of RLIMIT_AS (an
    allocation failure inside FFmpeg or x264 surfaces as a generic error)."""
    limit = Limits.from_dict(payload["limits"]).memory_bytes
    try:
        with open("/proc/self/status") as status:
            peak = next(
                int(line.split()[1]) * 1024 for line in status if line.startswith("VmPeak:")
            )
    except (OSError, StopIteration, ValueError):
        return False
    return peak >= 0.95 * limit


def main(argv: list[str]) -> int:
    """Child entry point: ``python -m clipdeck.studio.engine.sandbox probe|render <json>``."""
    die_with_parent()
    op, payload = argv[1], json.loads(argv[2])
    apply_limits(Limits.from_dict(payload["limits"]))
    try:
        reply = {"ok": _work(op, payload)}
    except MediaError as exc:
        reply = {"error": exc.to_dict()}
    except Exception as exc:
        if not (isinstance(exc, MemoryError) or _near_memory_limit(payload)):
            traceback.print_exc()
            return 1
        reply = {
            "error": MediaError(
                "resources_exceeded",
                "Processing this video needed more memory than allowed and was stopped.",
            ).to_dict()
        }
    sys.stdout.write(MARKER + json.dumps(reply) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
