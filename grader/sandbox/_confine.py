"""Confinement the worker applies to itself before it runs any student code.

:func:`confine` runs in the worker while it is still trusted (it has imported
only the grader's wire format and the standard library), applies every
protection the operating system allows and that is not disabled, and returns a
plain ``{protection: "status: details"}`` dict, the status being ``active``,
``partial``, ``not needed``, ``not available`` or ``disabled``.  The grader
records that dict in every report.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Callable, Iterable

__all__ = ["confine", "SWITCHES", "python_paths"]

#: The protections that can be switched off (``GRADER_SANDBOX_DISABLE=landlock,seccomp``), e.g. to
#: reproduce what a machine without them does.
SWITCHES = ("landlock", "seccomp", "netns", "user", "limits", "cgroup")

_SYSTEM_READ = (
    "/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/local/lib", "/usr/share/zoneinfo",
    "/etc/ld.so.cache", "/etc/localtime", "/dev/urandom", "/dev/random", "/dev/zero",
)
_SYSTEM_WRITE = ("/dev/null",)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


#: The grader's own package: public code (students install it), whose course helpers a submission may import.
#: Installed in editable mode it lies inside the course folder, which is protected: it is named on its own.
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def python_paths(protected: Iterable[str]) -> list[str]:
    """Folders this interpreter and its packages (the grader's included) are read from, minus any that would
    expose ``protected``."""
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
                  os.path.dirname(os.path.realpath(sys.executable)), _PACKAGE, *sys.path}
    protected = [os.path.realpath(path) for path in protected]
    kept = set()
    for candidate in candidates:
        if not candidate or not os.path.exists(candidate):
            continue
        for path in {os.path.abspath(candidate), os.path.realpath(candidate)}:
            # A folder holding the course (or the submission's siblings) would open all of it.
            if not any(_within(secret, path) for secret in protected):
                kept.add(path)
    return sorted(kept)


def _attempt(report: dict[str, str], key: str, switch: str, disabled: set[str], action: Callable[[], str]) -> bool:
    """Run one protection's ``action`` into ``report[key]``; True when it took effect."""
    if switch in disabled:
        report[key] = f"disabled: switched off for this run (GRADER_SANDBOX_DISABLE={switch})"
        return False
    try:
        report[key] = action()
    except OSError as error:
        report[key] = f"not available: {error.strerror or error}"
    except ValueError as error:  # e.g. a resource limit this system does not allow
        report[key] = f"not available: {error}"
    return report[key].startswith(("active", "partial"))


def _limits(limits: dict[str, Any]) -> str:
    import resource

    memory = int(limits["memory_mb"]) * 1024 * 1024
    size = int(limits["file_size_mb"]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # The grader's own ceiling (a soft data limit) is inherited: this process has its address-space limit instead.
    data_hard = resource.getrlimit(resource.RLIMIT_DATA)[1]
    resource.setrlimit(resource.RLIMIT_DATA, (data_hard, data_hard))
    return f"active: memory {limits['memory_mb']} MiB of address space, files up to {limits['file_size_mb']} MiB"


def _can_read_as(uid: int, gid: int, paths: Iterable[str]) -> str:
    """The first of ``paths`` that ``uid`` cannot read, or "" (checked with the effective ids switched)."""
    os.setegid(gid)
    os.seteuid(uid)
    try:
        for path in paths:
            if not os.access(path, os.R_OK | os.X_OK, effective_ids=True):
                return path
        return ""
    finally:
        os.seteuid(0)
        os.setegid(0)


def _chown_tree(folder: str, uid: int, gid: int) -> None:
    for current, folders, files in os.walk(folder):
        os.chown(current, uid, gid)
        for name in folders + files:
            os.lchown(os.path.join(current, name), uid, gid)


def _user(folder: str, readable: list[str], privileged: bool, host_uid: int) -> str:
    from grader.sandbox import _linux

    if host_uid != 0:
        return f"not needed: runs as the grader's own user (uid {host_uid}), which is not root"
    if not privileged:
        _linux.drop_capabilities()
        return "not available: runs as root but without the privilege to change user; every capability is dropped"
    import pwd

    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        _linux.drop_capabilities()
        return "partial: there is no user 'nobody' to run as; runs as root with every capability dropped"
    unreadable = _can_read_as(nobody.pw_uid, nobody.pw_gid, readable)
    if unreadable:
        _linux.drop_capabilities()
        return (f"partial: runs as root with every capability dropped, because the user nobody cannot read "
                f"Python's folder {unreadable}")
    _chown_tree(folder, nobody.pw_uid, nobody.pw_gid)
    os.setgroups([])
    os.setgid(nobody.pw_gid)
    os.setuid(nobody.pw_uid)
    return f"active: runs as the unprivileged user nobody (uid {nobody.pw_uid})"


def _network(privileged: bool) -> str:
    from grader.sandbox import _linux

    if privileged:
        _linux.unshare(_linux.CLONE_NEWNET)
        return "active: empty network namespace (no interface, not even loopback)"
    uid, gid = os.getuid(), os.getgid()
    _linux.unshare(_linux.CLONE_NEWUSER | _linux.CLONE_NEWNET)
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        try:
            with open(f"/proc/self/{name}", "w", encoding="ascii") as handle:
                handle.write(text)
        except OSError:
            pass  # without a mapping the process shows as the overflow user: files work the same
    return "active: empty network namespace, in a user namespace of its own"


def _subreaper() -> str:
    import signal

    from grader.sandbox import _linux

    _linux.set_child_subreaper()
    _linux.set_parent_death_signal(signal.SIGKILL)
    return "active: detached children stay under the worker, where the grader finds and kills them"


def _seccomp(metadata: bool) -> str:
    from grader.sandbox import _seccomp

    return "active: seccomp filter: " + _seccomp.install(metadata=metadata)


def _nproc(limits: dict[str, Any], still_root: bool) -> str:
    import resource

    if still_root:
        return "not available: RLIMIT_NPROC counts every process of root, so it cannot limit the worker alone"
    count = int(limits["processes"])
    resource.setrlimit(resource.RLIMIT_NPROC, (count, count))
    return f"active: at most {count} processes and threads of its user (RLIMIT_NPROC)"


def _landlock(folder: str, readable: list[str], protected: list[str], what: str) -> str:
    from grader.sandbox import _landlock

    result = _landlock.restrict(read=[*readable, *_SYSTEM_READ], write=[folder, *_SYSTEM_WRITE], network=True)
    for secret in protected:
        try:
            os.listdir(secret) if os.path.isdir(secret) else open(secret, "rb").close()
        except PermissionError:
            continue
        except OSError:
            continue  # gone or unreadable anyway
        return f"not available: Landlock is on but {secret} is still readable"
    extras = [part for part, on in (("TCP", result.network), ("signals and abstract sockets", result.scoped)) if on]
    scoped = f"; also confines {', '.join(extras)}" if extras else ""
    return (f"active: Landlock ABI {result.abi}: reads only {what} and its own folder, "
            f"writes only its own folder{scoped}")


def confine(settings: dict[str, Any]) -> dict[str, str]:
    """Apply every available protection to this process; returns what is active and what is not, and why."""
    folder = str(settings["folder"])
    protected = [str(path) for path in settings.get("protected", [])]
    disabled = set(settings.get("disable", []))
    limits = settings["limits"]
    report: dict[str, str] = {}
    if os.name != "posix":
        report["limits"] = "not available: no resource limits on this operating system"
    else:
        _attempt(report, "limits", "limits", disabled, lambda: _limits(limits))
    if not sys.platform.startswith("linux"):
        for key in ("network", "user", "syscalls", "filesystem"):
            report[key] = f"not available: needs Linux (this is {sys.platform})"
        return report
    from grader.sandbox import _linux

    host_uid = os.geteuid()  # before any user namespace renames it
    privileged = host_uid == 0 and _linux.has_capability(_linux.CAP_SYS_ADMIN)
    # ``readable``: what the confined program needs besides its folder (default: this Python and its packages;
    # a compiler passes its toolchain).  Never a folder that holds a protected path.
    if "readable" in settings:
        readable = [path for path in (os.path.realpath(str(item)) for item in settings["readable"])
                    if os.path.exists(path) and not any(_within(os.path.realpath(s), path) for s in protected)]
        what = str(settings.get("readable_what", "its toolchain"))
    else:
        readable, what = python_paths(protected), "Python, its libraries"
    _attempt(report, "process_tree", "", set(), _subreaper)
    netns = _attempt(report, "network", "netns", disabled, lambda: _network(privileged))
    _attempt(report, "user", "user", disabled, lambda: _user(folder, readable, privileged, host_uid))
    # Still user id 0 on the host, whatever a user namespace calls it.
    still_root = host_uid == 0 and not report["user"].startswith("active")
    if not settings.get("cgroup_pids"):
        _attempt(report, "process_count", "limits", disabled, lambda: _nproc(limits, still_root))
    _attempt(report, "syscalls", "seccomp", disabled, lambda: _seccomp(still_root))
    _attempt(report, "filesystem", "landlock", disabled, lambda: _landlock(folder, readable, protected, what))
    if not netns:
        others = [how for key, how in (("syscalls", "seccomp"), ("filesystem", "Landlock"))
                  if report[key].startswith("active") and (key == "syscalls" or "TCP" in report[key])]
        if others:
            report["network"] = (f"partial: no network namespace ({report['network']}); "
                                 f"{' and '.join(others)} deny network connections")
    return report
