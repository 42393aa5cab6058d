"""Landlock: the kernel's unprivileged access control, used to confine the worker's file and network access.

The worker builds one ruleset: read (and run) what Python and its libraries need,
read and write its own folder, nothing else; with ABI 4 or later no TCP bind or
connect; with ABI 6 or later no signal or abstract socket outside its own process
tree.  Rights the running kernel does not know are simply not handled (best
effort, as the Landlock documentation recommends), and :func:`restrict` says
which parts took effect.
"""

from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass
from typing import Iterable

from grader.sandbox._linux import libc, set_no_new_privs, syscall

__all__ = ["abi_version", "restrict", "LandlockResult"]

_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446  # the same numbers on every architecture
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH, _RULE_NET_PORT = 1, 2

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR = 1 << 4, 1 << 5, 1 << 6, 1 << 7
MAKE_REG, MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK, MAKE_SYM = 1 << 8, 1 << 9, 1 << 10, 1 << 11, 1 << 12
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1

_FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_FILE_ONLY = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV  # rights that make sense on a regular file
READ = READ_FILE | READ_DIR
READ_EXEC = READ | EXECUTE


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1  # the kernel's struct is packed
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


@dataclass(frozen=True)
class LandlockResult:
    abi: int
    filesystem: bool
    network: bool
    scoped: bool


def abi_version() -> int:
    """The Landlock ABI of the running kernel; ``OSError`` when Landlock is missing or disabled."""
    return syscall(_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION),
                   what="landlock")


def _fs_rights(abi: int) -> int:
    return _FS_BY_ABI[max(level for level in _FS_BY_ABI if level <= abi)]


def _add_path(ruleset: int, path: str, access: int, handled: int) -> bool:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return False  # a folder that does not exist needs no rule
    try:
        if not os.path.isdir(path):
            access &= _FILE_ONLY
        rule = _PathBeneathAttr(access & handled, fd)
        syscall(_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_RULE_PATH_BENEATH), ctypes.byref(rule),
                ctypes.c_uint32(0), what=f"landlock rule for {path}")
        return True
    finally:
        os.close(fd)


def restrict(*, read: Iterable[str], write: Iterable[str], network: bool = True) -> LandlockResult:
    """Confine this process (and all it starts later) for good.

    ``read`` paths may be read and executed, ``write`` paths get every right.
    ``network=True`` also denies TCP bind and connect where the kernel can.
    Raises ``OSError`` when Landlock is not available.
    """
    abi = abi_version()
    libc()  # fail early, before any file descriptor is opened
    handled_fs = _fs_rights(abi)
    handled_net = (NET_BIND_TCP | NET_CONNECT_TCP) if network and abi >= 4 else 0
    scoped = (SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL) if abi >= 6 else 0
    attr = _RulesetAttr(handled_fs, handled_net, scoped)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else (16 if abi >= 4 else 8)
    ruleset = syscall(_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0),
                      what="landlock ruleset")
    try:
        for path in read:
            _add_path(ruleset, path, READ_EXEC | IOCTL_DEV, handled_fs)
        for path in write:
            _add_path(ruleset, path, handled_fs, handled_fs)
        set_no_new_privs()
        syscall(_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0), what="landlock restrict")
    finally:
        os.close(ruleset)
    return LandlockResult(abi=abi, filesystem=True, network=bool(handled_net), scoped=bool(scoped))
