"""Isolation of the sandboxed child: environment, network, user (stdlib only).

:func:`launch` starts a child with a minimal environment (no secret key, cell key
or storage credentials: nothing but ``PATH``, locale, ``PYTHONPATH`` and
thread-count variables) in a new session, passing only the descriptors asked
for. The child calls :func:`enter` before it reads any untrusted byte; ``enter``
applies, in order, what this host allows:

1. **network**: a new, empty network namespace (``unshare(CLONE_NEWNET)``, with
   ``CLONE_NEWUSER`` when not root): no interface but a downed loopback, so no
   connection anywhere. Where namespaces are refused (a container without
   ``CAP_SYS_ADMIN``, user namespaces turned off) a seccomp filter makes
   ``socket()`` fail with ``EACCES`` instead. Both are applied when both work;
2. **user**: when running as root, the child drops to ``nobody`` (groups, gid,
   uid), so it cannot read the secret key, the cell key or the data folder; its
   inputs arrive as descriptors the parent opened (see ``inputs``).

Each layer that does not work is logged by the parent as a warning (the child's
:func:`enter` returns what it applied; see ``sandbox``). ``no_new_privs`` is set
in every case.
"""

from __future__ import annotations

import ctypes
import errno
import importlib.util
import os
import platform
import pwd
import stat
import struct
import subprocess
import sys
from collections.abc import Iterable, Sequence

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
X32_SYSCALL_BIT = 0x40000000
# (audit arch, socket syscall numbers) per machine.
SOCKET_SYSCALLS = {
    "x86_64": (0xC000003E, (41, 41 | X32_SYSCALL_BIT)),
    "aarch64": (0xC00000B7, (198,)),
}
SANDBOX_USER = "nobody"
ENV_KEPT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR")
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
PARENT_PID_VAR = "SANDBOX_PARENT_PID"


def child_env(pythonpath: Sequence[str] = ()) -> dict[str, str]:
    """The whole environment of a sandboxed child: an allow-list, never secrets."""
    env = {name: os.environ[name] for name in ENV_KEPT if name in os.environ}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    for name in THREAD_VARS:
        env[name] = os.environ.get(name, "1")
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(pythonpath)
    env[PARENT_PID_VAR] = str(os.getpid())
    return env


def launch(
    argv: Sequence[str], *, pass_fds: Iterable[int] = (), pythonpath: Sequence[str] = ()
) -> subprocess.Popen:
    """Start ``argv`` as a sandbox child (minimal environment, own session, only
    ``pass_fds`` inherited), with stdout and stderr piped. The child must call
    :func:`enter` itself before reading untrusted input."""
    return subprocess.Popen(
        list(argv),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(pythonpath),
        pass_fds=tuple(pass_fds),
        start_new_session=True,
        cwd="/",
    )


def sandbox_ids() -> tuple[int, int] | None:
    """(uid, gid) the child drops to: ``nobody`` when running as root and ``nobody``
    can reach the interpreter and the engine's code, else None (the parent logs
    that the user layer is missing)."""
    if os.geteuid() != 0 or not code_reachable_by_others():
        return None
    try:
        entry = pwd.getpwnam(SANDBOX_USER)
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_gid


def code_reachable_by_others() -> bool:
    """Whether a user who is neither owner nor group can read the packages and the
    code the child may still import lazily after dropping (PyAV loads some of its
    modules on first use; the standard library the child needs is imported before
    it drops). A checkout under a private folder (mode 0700, e.g. a fresh
    ``mktemp -d``) is not: dropping there would break every probe."""
    roots = [sys.prefix, os.path.dirname(os.path.abspath(__file__))]
    spec = importlib.util.find_spec("av")
    if spec is not None and spec.origin:
        roots.append(os.path.dirname(spec.origin))
    return all(_reachable(root) for root in roots)


def _reachable(path: str) -> bool:
    """``path`` is world-readable and every folder above it world-searchable."""
    path = os.path.realpath(path)
    try:
        if not os.stat(path).st_mode & stat.S_IROTH:
            return False
        while True:
            if not os.stat(path).st_mode & stat.S_IXOTH:
                return False
            parent = os.path.dirname(path)
            if parent == path:
                return True
            path = parent
    except OSError:
        return False


def enter(*, network: str = "auto", drop_user: bool = True) -> dict[str, str]:
    """Isolate this process; returns what was applied: ``{"network", "user"}``.

    ``network`` is ``"auto"`` (every layer that works), ``"netns"`` or ``"seccomp"``
    (that layer alone, for tests). ``"none"`` in the answer means not isolated.
    ``drop_user=False`` keeps the user (a caller whose outputs were not staged).
    """
    ids = sandbox_ids() if drop_user else None
    layers = []
    if network in ("auto", "netns") and enter_network_namespace():
        layers.append("netns")
    user = become_user(ids) if ids else "unchanged"
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    if network in ("auto", "seccomp") and deny_sockets():
        layers.append("seccomp")
    return {"network": "+".join(layers) or "none", "user": user}


def enter_network_namespace() -> bool:
    """Move this process into a new, empty network namespace; False where refused."""
    if not sys.platform.startswith("linux"):
        return False
    flags = CLONE_NEWNET if os.geteuid() == 0 else CLONE_NEWUSER | CLONE_NEWNET
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.unshare(ctypes.c_int(flags)) == 0


def become_user(ids: tuple[int, int]) -> str:
    """Become ``ids`` (uid, gid) with no supplementary groups; returns the user name."""
    uid, gid = ids
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    return SANDBOX_USER


def deny_sockets() -> bool:
    """Install a seccomp filter under which ``socket()`` fails with EACCES.

    False where this machine or kernel does not allow it (unknown architecture,
    seccomp unavailable).
    """
    known = SOCKET_SYSCALLS.get(platform.machine())
    if known is None or not sys.platform.startswith("linux"):
        return False
    program = _filter(*known)
    buffer = ctypes.create_string_buffer(program)
    fprog = struct.pack("HxxxxxxP", len(program) // 8, ctypes.addressof(buffer))
    fprog_buffer = ctypes.create_string_buffer(fprog)
    return _prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog_buffer)) == 0


def _filter(arch: int, syscalls: Sequence[int]) -> bytes:
    """A classic BPF program: other architectures and syscalls pass, ``socket`` gets EACCES."""
    load_arch = (0x20, 0, 0, 4)  # ld [4]  (seccomp_data.arch)
    load_nr = (0x20, 0, 0, 0)  # ld [0]  (seccomp_data.nr)
    allow = (0x06, 0, 0, SECCOMP_RET_ALLOW)
    deny = (0x06, 0, 0, SECCOMP_RET_ERRNO | errno.EACCES)
    checks = [(0x15, len(syscalls) - i, 0, nr) for i, nr in enumerate(syscalls)]
    program = [load_arch, (0x15, 1, 0, arch), allow, load_nr, *checks, allow, deny]
    return b"".join(struct.pack("HBBI", *instruction) for instruction in program)


def _prctl(option: int, arg: int, arg3: int = 0) -> int:
    if not sys.platform.startswith("linux"):
        return -1
    libc = ctypes.CDLL(None, use_errno=True)
    prctl = libc.prctl
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    return prctl(option, arg, arg3, 0, 0)
