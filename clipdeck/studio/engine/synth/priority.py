"""Keep an encoder library from switching this process to real-time scheduling.

SVT-AV1 (PyAV's only AV1 encoder) asks for ``SCHED_FIFO`` priority 99 for its
threads and the thread that opens it, and gets it whenever the process holds
``CAP_SYS_NICE``, as root does. A real-time thread is never preempted by normal
ones: two such encoders on a two-core machine spin on their own locks and
starve everything else, including the threads they wait for. Without the
capability the library falls back to normal scheduling.

Linux keeps capabilities per thread, and new threads inherit their creator's:
removing ``CAP_SYS_NICE`` from the calling thread's *effective* set while the
encoder runs covers the encoder's threads too, and it stays in the *permitted*
set so it can be raised again afterwards.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from collections.abc import Iterator

CAP_SYS_NICE = 23
_VERSION_3 = 0x20080522


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc if hasattr(libc, "capget") and hasattr(libc, "capset") else None
    except OSError:
        return None


def _capabilities(libc) -> tuple[_Header, ctypes.Array] | None:
    header = _Header(_VERSION_3, 0)
    data = (_Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        return None
    return header, data


def _set_effective(libc, header: _Header, data: ctypes.Array, on: bool) -> bool:
    bit = 1 << CAP_SYS_NICE
    data[0].effective = data[0].effective | bit if on else data[0].effective & ~bit
    return libc.capset(ctypes.byref(header), data) == 0


@contextlib.contextmanager
def normal_scheduling() -> Iterator[None]:
    """Run the block without the right to raise scheduling priority; restore both after.

    A no-op where the thread lacks ``CAP_SYS_NICE`` (nothing to drop) or on other systems.
    """
    scheduling = hasattr(os, "sched_getscheduler")
    policy = (os.sched_getscheduler(0), os.sched_getparam(0)) if scheduling else None
    libc = _libc()
    caps = _capabilities(libc) if libc else None
    dropped = bool(
        caps
        and caps[1][0].effective & (1 << CAP_SYS_NICE)
        and _set_effective(libc, *caps, on=False)
    )
    try:
        yield
    finally:
        if dropped:
            _set_effective(libc, *caps, on=True)
        if policy is not None and (os.sched_getscheduler(0), os.sched_getparam(0)) != policy:
            os.sched_setscheduler(0, *policy)
