"""Atomic output files: write to a temporary name beside the final path, then rename.

A temporary file is ``.<name>.tmp-<pid>`` in the destination directory (same
filesystem, so ``os.replace`` is atomic). A crash leaves only temporary files;
the next render of the same output removes those whose process is gone.
"""

from __future__ import annotations

import contextlib
import glob
import os


def temp_path(final: str) -> str:
    """The temporary path this process writes ``final`` to."""
    folder, name = os.path.split(os.path.abspath(final))
    return os.path.join(folder, f".{name}.tmp-{os.getpid()}")


def clean_stale(final: str) -> list[str]:
    """Remove temporary files of ``final`` left by processes that no longer run."""
    folder, name = os.path.split(os.path.abspath(final))
    removed = []
    for path in glob.glob(os.path.join(glob.escape(folder), f".{glob.escape(name)}.tmp-*")):
        pid = path.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not process_alive(int(pid)):
            _remove(path)
            removed.append(path)
    return removed


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (one we may not signal counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


class AtomicOutputs:
    """Temporary paths for named outputs; ``commit`` renames them all into place.

    Used as a context manager: leaving it without ``commit`` (an exception) deletes
    the temporary files. Outputs are committed in the given order, so put the main
    file last: when it exists, every other output exists too.
    """

    def __init__(self, finals: dict[str, str]) -> None:
        self.finals = finals
        self.temps = {name: temp_path(path) for name, path in finals.items()}
        self.committed = False

    def __enter__(self) -> AtomicOutputs:
        for name, final in self.finals.items():
            os.makedirs(os.path.dirname(os.path.abspath(final)), exist_ok=True)
            clean_stale(final)
            _remove(self.temps[name])
        return self

    def __exit__(self, *exc_info) -> None:
        if not self.committed:
            for temp in self.temps.values():
                _remove(temp)

    def temp(self, name: str) -> str:
        """Where to write output ``name`` for now."""
        return self.temps[name]

    def commit(self) -> None:
        """Move every temporary file to its final path (in insertion order)."""
        for name, final in self.finals.items():
            _fsync(self.temps[name])
            os.replace(self.temps[name], final)
        self.committed = True


def _fsync(path: str) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
