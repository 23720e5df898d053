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

The child is isolated (see ``isolation``): a minimal environment, no network,
``nobody`` instead of root. The parent opens every input read-only and passes the
descriptors (``fd:<n>`` in the payload); when the child drops to ``nobody`` it
writes its outputs into a private staging folder it owns, which the parent moves
into place afterwards.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import json
import logging
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path

from . import isolation
from .errors import MediaError
from .job import RenderJob, RenderResult
from .limits import Limits
from .probe import ProbeResult, VoiceoverInfo

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
PARENT_ENV = isolation.PARENT_PID_VAR
PR_SET_PDEATHSIG = 1
STAGING_PREFIX = "clipdeck-sandbox-"
# mkdtemp makes a unique folder only its owner can use, so shared roots are safe.
SHARED_TEMP = ("/var/tmp", "/tmp")  # noqa: S108
logger = logging.getLogger(__name__)
_warned: set[str] = set()


def safe_probe(path: str | os.PathLike, limits: Limits | None = None) -> ProbeResult:
    """``probe`` in a sandboxed child process; raises :class:`MediaError` like ``probe``."""
    limits = limits or Limits()
    with _opened([str(path)]) as (fds, names):
        payload = {"path": names[0], "limits": limits.to_dict(), "drop_user": True}
        reply = _run("probe", payload, limits, fds)
    return ProbeResult.from_dict(reply)


def safe_render(job: RenderJob, limits: Limits | None = None) -> RenderResult:
    """``render`` in a sandboxed child process; raises :class:`MediaError` like ``render``."""
    limits = limits or Limits()
    data = job.to_dict()
    holders = _input_holders(data)
    with _opened([h[k] for h, k in holders]) as (fds, names), _staging(data["outputs"]) as staged:
        for (holder, key), name in zip(holders, names, strict=True):
            holder[key] = name
        data["outputs"] = staged.outputs
        payload = {"job": data, "limits": limits.to_dict(), "drop_user": True}
        reply = _run("render", payload, limits, fds)
        return staged.publish(RenderResult.from_dict(reply))


def safe_probe_voiceover(path: str | os.PathLike, limits: Limits | None = None) -> VoiceoverInfo:
    """``probe_voiceover`` in a sandboxed child process; raises :class:`MediaError`."""
    limits = limits or Limits()
    with _opened([str(path)]) as (fds, names):
        payload = {"path": names[0], "limits": limits.to_dict(), "drop_user": True}
        reply = _run("probe_voiceover", payload, limits, fds)
    return VoiceoverInfo(**reply)


def _input_holders(job: dict) -> list[tuple[dict, str]]:
    """Every (dict, key) of a job's dict that names an input file: the source, the
    partner, the music, each take and the voice-over."""
    spec = job["spec"]
    holders = [(job, "source"), (job, "partner")]
    holders += [(spec[key], "path") for key in ("sound", "voiceover") if spec.get(key)]
    holders += [(clip, "path") for clip in spec.get("clips") or ()]
    return holders


@contextlib.contextmanager
def _opened(paths: list[str | None]) -> Iterator[tuple[list[int], list[str | None]]]:
    """Open each input read-only here; the child gets ``fd:<n>`` names for them."""
    fds: list[int] = []
    names: list[str | None] = []
    try:
        for path in paths:
            if path is None:
                names.append(None)
                continue
            try:
                fds.append(os.open(path, os.O_RDONLY | os.O_CLOEXEC))
            except OSError:
                names.append(path)  # the engine reports it as unreadable
                continue
            names.append(f"fd:{fds[-1]}")
        yield fds, names
    finally:
        for fd in fds:
            os.close(fd)


class _Staged:
    """Outputs written by a child running as another user, moved into place after."""

    def __init__(self, outputs: dict, folder: str | None) -> None:
        self.final = dict(outputs)
        self.folder = folder
        self.outputs = {
            name: (str(Path(folder) / Path(path).name) if folder and path else path)
            for name, path in outputs.items()
        }

    def publish(self, result: RenderResult) -> RenderResult:
        """Move each written output to its final path; the result names those paths."""
        if self.folder is None:
            return result
        moved = {}
        for name, output in result.outputs.items():
            shutil.move(output.path, self.final[name])
            os.chown(self.final[name], os.geteuid(), os.getegid())
            moved[name] = dataclasses.replace(output, path=self.final[name])
        return dataclasses.replace(result, outputs=moved)


@contextlib.contextmanager
def _staging(outputs: dict) -> Iterator[_Staged]:
    """A folder the sandbox user owns, when the child will drop to it."""
    ids = isolation.sandbox_ids()
    if ids is None:
        yield _Staged(outputs, None)
        return
    folder = tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=_staging_root())
    try:
        os.chown(folder, *ids)
        yield _Staged(outputs, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _staging_candidates() -> list[str]:
    return [tempfile.gettempdir(), *SHARED_TEMP]


def _reachable_by_others(folder: str) -> bool:
    """True when every folder on the way to ``folder`` lets other users pass (o+x)."""
    path = Path(folder).resolve()
    try:
        return all(p.stat().st_mode & stat.S_IXOTH for p in (path, *path.parents))
    except OSError:
        return False


def _staging_root() -> str:
    """The first temporary folder the sandbox user can reach (a private TMPDIR is not)."""
    return next(filter(_reachable_by_others, _staging_candidates()), SHARED_TEMP[-1])


def staging_folders(parent_pid: int) -> list[Path]:
    """The staging folders the renders started by ``parent_pid`` write into (empty
    when the child keeps the caller's user and writes next to the final paths)."""
    pattern = f"{STAGING_PREFIX}{parent_pid}-*"
    return sorted({p for root in _staging_candidates() for p in Path(root).glob(pattern)})


def sandbox_command(op: str, payload: dict) -> list[str]:
    """The child's command line for ``op`` (``probe`` or ``render``)."""
    return [
        sys.executable,
        "-m",
        "clipdeck.studio.engine.sandbox",
        op,
        json.dumps(payload, default=str),
    ]


def _run(op: str, payload: dict, limits: Limits, fds: list[int]) -> dict:
    child = isolation.launch(sandbox_command(op, payload), pass_fds=fds, pythonpath=_pythonpath())
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


def _pythonpath() -> list[str]:
    """Where the child imports the engine from: the project, then this PYTHONPATH."""
    return [PROJECT_ROOT, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]


def _warn_weaker(applied: dict) -> None:
    """Log once per process each isolation layer this host did not allow."""
    wanted = {"network": "netns", "user": "nobody" if isolation.sandbox_ids() else "unchanged"}
    for layer, strongest in wanted.items():
        got = applied.get(layer, "none")
        if strongest not in got.split("+") and layer not in _warned:
            _warned.add(layer)
            logger.warning(
                "media sandbox: %s isolation is %r on this host (wanted %r)", layer, got, strongest
            )


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
    _warn_weaker(reply.get("isolation", {}))
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


def _preload() -> None:
    """Import now what the engine would import lazily: once the child has dropped to
    ``nobody`` it may no longer read the Python installation (e.g. under /root)."""
    import encodings.idna
    import encodings.utf_8  # noqa: F401

    from PIL import Image, ImageDraw, ImageFont  # noqa: F401 (text boxes)

    Image.init()  # every image plugin (poster JPEG)


def _open_inputs(op: str, payload: dict) -> None:
    """Open inputs named by path (a direct call) before dropping privileges; the
    payload then names their descriptors."""

    def opened(path: str | None) -> str | None:
        if path is None or path.startswith("fd:"):
            return path
        try:
            return f"fd:{os.open(path, os.O_RDONLY)}"
        except OSError:
            return path

    if op in ("probe", "probe_voiceover"):
        payload["path"] = opened(payload["path"])
    elif op == "render":
        payload["job"].setdefault("partner", None)
        for holder, key in _input_holders(payload["job"]):
            holder[key] = opened(holder[key])


def _work(op: str, payload: dict) -> dict:
    from .probe import probe, probe_voiceover
    from .render import render

    limits = Limits.from_dict(payload["limits"])
    if op == "probe":
        return probe(payload["path"], limits).to_dict()
    if op == "probe_voiceover":
        return dataclasses.asdict(probe_voiceover(payload["path"], limits))
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
    _open_inputs(op, payload)
    _preload()
    applied = isolation.enter(drop_user=payload.get("drop_user", False))
    die_with_parent()  # a change of user clears the parent-death signal
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
    reply["isolation"] = applied
    sys.stdout.write(MARKER + json.dumps(reply) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
