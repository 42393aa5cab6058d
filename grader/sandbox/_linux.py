"""Thin ctypes wrappers of the Linux calls the worker uses to confine itself.

Only the standard library is used, so the worker can call these before anything
else is imported.  Every function raises ``OSError`` (with the kernel's errno)
when the kernel refuses; callers turn that into an honest "not available".
"""

from __future__ import annotations

import ctypes
import os
import platform
import sys
from typing import Optional

__all__ = [
    "libc",
    "machine",
    "prctl",
    "set_no_new_privs",
    "set_child_subreaper",
    "set_parent_death_signal",
    "unshare",
    "drop_capabilities",
    "has_capability",
    "syscall",
    "CLONE_NEWNET",
    "CLONE_NEWUSER",
]

PR_SET_PDEATHSIG = 1
PR_SET_SECCOMP = 22
PR_CAPBSET_DROP = 24
PR_SET_SECUREBITS = 28
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000

CAP_SYS_ADMIN = 21
_CAP_VERSION_3 = 0x20080522
# SECBIT_NOROOT, SECBIT_NO_SETUID_FIXUP, SECBIT_KEEP_CAPS_LOCKED... all with their locks:
# root regains no capability on exec, and the bits cannot be changed back.
_SECUREBITS_LOCKED_NOROOT = 0x2F

_libc: Optional[ctypes.CDLL] = None


def libc() -> ctypes.CDLL:
    """The C library, loaded once (``OSError`` where there is none, e.g. not Linux)."""
    global _libc
    if _libc is None:
        if not sys.platform.startswith("linux"):
            raise OSError(0, "not Linux")
        lib = ctypes.CDLL(None, use_errno=True)
        lib.syscall.restype = ctypes.c_long
        lib.prctl.restype = ctypes.c_int
        lib.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
        _libc = lib
    return _libc


def machine() -> str:
    """``x86_64`` or ``aarch64`` (the architectures whose syscall numbers are known), else the raw name."""
    name = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(name, name)


def _check(result: int, what: str) -> int:
    if result < 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")
    return result


def syscall(number: int, *args: object, what: str = "syscall") -> int:
    """A raw system call; arguments must already be ctypes-compatible."""
    return _check(libc().syscall(ctypes.c_long(number), *args), what)


def prctl(option: int, arg2: int = 0, arg3: int = 0, arg4: int = 0, arg5: int = 0, *, what: str = "prctl") -> int:
    return _check(libc().prctl(option, arg2, arg3, arg4, arg5), what)


def set_no_new_privs() -> None:
    """Neither this process nor its children can gain privileges by exec (needed by Landlock and seccomp)."""
    prctl(PR_SET_NO_NEW_PRIVS, 1, what="no_new_privs")


def set_child_subreaper() -> None:
    """Orphaned descendants are re-parented to this process, so they stay findable and killable."""
    prctl(PR_SET_CHILD_SUBREAPER, 1, what="child subreaper")


def set_parent_death_signal(signal_number: int) -> None:
    prctl(PR_SET_PDEATHSIG, signal_number, what="parent death signal")


def unshare(flags: int) -> None:
    lib = libc()
    lib.unshare.restype = ctypes.c_int
    _check(lib.unshare(ctypes.c_int(flags)), "unshare")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _last_capability() -> int:
    try:
        with open("/proc/sys/kernel/cap_last_cap", encoding="ascii") as handle:
            return int(handle.read().strip())
    except (OSError, ValueError):
        return 40


def has_capability(capability: int) -> bool:
    """Whether this process holds ``capability`` in its effective set."""
    header = _CapHeader(_CAP_VERSION_3, 0)
    data = (_CapData * 2)()
    try:
        _check(libc().capget(ctypes.byref(header), ctypes.byref(data)), "capget")
    except OSError:
        return False
    word, bit = divmod(capability, 32)
    return bool(data[word].effective & (1 << bit))


def drop_capabilities() -> None:
    """Give up every capability for good: effective, permitted, inheritable, ambient and bounding sets.

    A process that keeps user id 0 then has only the rights of the files' owner bits,
    and regains nothing by exec.
    """
    for capability in range(_last_capability() + 1):
        try:
            prctl(PR_CAPBSET_DROP, capability, what="drop bounding capability")
        except OSError as error:
            if error.errno != 22:  # EINVAL: the kernel does not know this capability
                raise
    try:
        prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, what="clear ambient capabilities")
    except OSError:
        pass  # kernels before 4.3 have no ambient set
    try:
        prctl(PR_SET_SECUREBITS, _SECUREBITS_LOCKED_NOROOT, what="securebits")
    except OSError:
        pass  # needs CAP_SETPCAP, which an unprivileged process lacks; it has nothing to regain anyway
    header = _CapHeader(_CAP_VERSION_3, 0)
    data = (_CapData * 2)()
    _check(libc().capset(ctypes.byref(header), ctypes.byref(data)), "capset")
