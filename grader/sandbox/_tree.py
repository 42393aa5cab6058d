"""Finding and killing every process a worker started, including ones that left its session.

Three layers, the strongest available first:

- a cgroup of its own (Linux, when the grader may create one): the kernel keeps
  every descendant in it, ``cgroup.kill`` ends them all, and ``pids.max`` caps
  how many there are;
- the worker is a child subreaper, so orphaned descendants are re-parented to it
  instead of to init, and a scan of ``/proc`` finds them by their parent links;
- every process started from the worker inherits a token in its environment,
  which ``/proc/PID/environ`` still shows after its parent died;
- the worker leads its own process group, which ``killpg`` ends (all systems but
  Windows, where ``taskkill /T`` ends the tree).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Iterator, Optional

__all__ = ["Cgroup", "create_cgroup", "kill_tree", "descendants", "marked"]

_KILL_ROUNDS = 200


class Cgroup:
    """A cgroup (v2, or v1 ``pids``) made for one worker; ``None`` fields when a part is missing.

    ``accounting``: the file that counts the processor time of every process in it (v2 ``cpu.stat``, or the
    ``cpuacct.usage`` of a v1 ``cpuacct`` group made beside the pids one), those that ended included, whoever
    waited for them: work moved to a child the worker never waits for is counted too."""

    def __init__(self, path: Path, *, version: int, pids_limit: bool, accounting: Optional[Path] = None) -> None:
        self.path = path
        self.version = version
        self.pids_limit = pids_limit
        self.accounting = accounting

    def add(self, pid: int) -> None:
        (self.path / "cgroup.procs").write_text(f"{pid}\n")
        if self.accounting is not None and self.accounting.parent != self.path:
            try:
                (self.accounting.parent / "cgroup.procs").write_text(f"{pid}\n")
            except OSError:
                self._drop_accounting()

    def _drop_accounting(self) -> None:
        if self.accounting is not None and self.accounting.parent != self.path:
            try:
                self.accounting.parent.rmdir()
            except OSError:
                pass
        self.accounting = None

    def pids(self) -> list[int]:
        try:
            text = (self.path / "cgroup.procs").read_text()
        except OSError:
            return []
        return [int(line) for line in text.split()]

    def kill(self) -> None:
        kill_file = self.path / "cgroup.kill"
        if self.version == 2 and kill_file.exists():
            try:
                kill_file.write_text("1\n")
            except OSError:
                pass
        for _ in range(_KILL_ROUNDS):
            remaining = self.pids()
            if not remaining:
                return
            for pid in remaining:
                _kill(pid)
            time.sleep(0.005)

    def remove(self) -> None:
        if self.accounting is not None and self.accounting.parent != self.path:
            for _ in range(100):  # emptied by the kill of the pids group below, if not yet
                try:
                    self.accounting.parent.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    self.kill()
                    time.sleep(0.01)
        for _ in range(100):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                self.kill()
                time.sleep(0.01)


def _mounts() -> list[tuple[str, str, str]]:
    """(mount point, filesystem type, super options) of the cgroup mounts."""
    found: list[tuple[str, str, str]] = []
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return found
    for line in lines:
        left, _, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if len(fields) >= 5 and tail and tail[0] in ("cgroup", "cgroup2"):
            found.append((fields[4], tail[0], tail[-1] if len(tail) > 2 else ""))
    return found


def _own_cgroup(version: int, controller: str = "") -> Optional[str]:
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        number, controllers, path = line.split(":", 2)
        if version == 2 and number == "0" and controllers == "":
            return path
        if version == 1 and controller in controllers.split(","):
            return path
    return None


def _make(parent: Path) -> Path:
    _remove_stale(parent)
    path = parent / f"grader-worker-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    path.mkdir()
    return path


def _remove_stale(parent: Path) -> None:
    """Remove empty cgroups left by graders that were killed before they could clean up."""
    try:
        entries = list(parent.glob("grader-worker-*-*"))
    except OSError:
        return
    for entry in entries:
        owner = entry.name.split("-")[2]
        if owner.isdigit() and not Path(f"/proc/{owner}").exists():
            try:
                entry.rmdir()  # fails, harmlessly, while a process is still in it
            except OSError:
                pass


def _create_v2(processes: int, reasons: list[str]) -> Optional[Cgroup]:
    for point, kind, _ in _mounts():
        own = _own_cgroup(2) if kind == "cgroup2" else None
        if own is None:
            continue
        try:
            path = _make(Path(point) / own.lstrip("/"))
        except OSError as error:
            reasons.append(f"cannot create a cgroup under {point}{own} ({error.strerror})")
            continue
        try:
            (path / "pids.max").write_text(f"{processes}\n")
            return Cgroup(path, version=2, pids_limit=True)
        except OSError:
            return Cgroup(path, version=2, pids_limit=False)
    return None


def _v1_hierarchies(controller: str) -> Iterator[tuple[str, str]]:
    """``(mount point, this process's cgroup in it)`` of each v1 hierarchy holding ``controller``."""
    for point, kind, options in _mounts():
        own = _own_cgroup(1, controller) if kind == "cgroup" and controller in options.split(",") else None
        if own is not None:
            yield point, own


def _create_v1_pids(processes: int, reasons: list[str]) -> Optional[Cgroup]:
    for point, own in _v1_hierarchies("pids"):
        try:
            path = _make(Path(point) / own.lstrip("/"))
        except OSError as error:
            reasons.append(f"cannot create a pids cgroup under {point}{own} ({error.strerror})")
            continue
        try:
            (path / "pids.max").write_text(f"{processes}\n")
        except OSError as error:
            path.rmdir()
            reasons.append(f"cannot limit the pids cgroup ({error.strerror})")
            continue
        return Cgroup(path, version=1, pids_limit=True)
    return None


def _v1_accounting() -> Optional[Path]:
    """The ``cpuacct.usage`` of a fresh v1 ``cpuacct`` group, or None where one cannot be made."""
    for point, own in _v1_hierarchies("cpuacct"):
        try:
            path = _make(Path(point) / own.lstrip("/"))
        except OSError:
            continue
        if (path / "cpuacct.usage").is_file():
            return path / "cpuacct.usage"
        path.rmdir()
    return None


def _with_accounting(cgroup: Cgroup) -> Cgroup:
    """``cgroup`` with the file that counts its processor time, where the system keeps one."""
    if cgroup.version == 2 and (cgroup.path / "cpu.stat").is_file():
        cgroup.accounting = cgroup.path / "cpu.stat"
    elif cgroup.version == 1:
        cgroup.accounting = _v1_accounting()
    return cgroup


def create_cgroup(processes: int) -> tuple[Optional[Cgroup], str]:
    """A fresh cgroup for one worker, with at most ``processes`` tasks where the kernel can count them.

    Prefers cgroup v2 with the pids controller, then v1's pids hierarchy, then v2
    without a limit.  Returns ``(cgroup or None, why not)``.
    """
    if not sys.platform.startswith("linux"):
        return None, f"needs Linux (this is {sys.platform})"
    reasons: list[str] = []
    v2 = _create_v2(processes, reasons)
    if v2 is not None and v2.pids_limit:
        return _with_accounting(v2), ""
    v1 = _create_v1_pids(processes, reasons)
    if v1 is not None:
        if v2 is not None:
            v2.remove()
        return _with_accounting(v1), ""
    if v2 is not None:
        return _with_accounting(v2), ""
    return None, "; ".join(reasons) or "no cgroup file system is mounted"


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _parents() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) of every process, from /proc."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read().decode("ascii", "replace")
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the fields start after the last ')'.
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) >= 2:
            table[int(entry.name)] = (int(fields[1]), fields[0])
    return table


def descendants(pid: int) -> list[int]:
    """Live (not zombie) descendants of ``pid``, from /proc; [] where there is no /proc."""
    if not os.path.isdir("/proc"):
        return []
    table = _parents()
    children: dict[int, list[int]] = {}
    for child, (parent, _) in table.items():
        children.setdefault(parent, []).append(child)
    found, stack = [], list(children.get(pid, []))
    while stack:
        current = stack.pop()
        if table.get(current, (0, "Z"))[1] not in ("Z", "X"):
            found.append(current)
        stack.extend(children.get(current, []))
    return found


def marked(token: str) -> list[int]:
    """Live processes whose starting environment holds ``token`` (those this user may read), from /proc.

    Catches descendants that outlived the worker and were re-parented to init, as long
    as they did not replace their environment by exec.
    """
    if not os.path.isdir("/proc"):
        return []
    needle = token.encode()
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry.name}/environ", "rb") as handle:
                if needle in handle.read():
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def kill_tree(process: subprocess.Popen, *, cgroup: Optional[Cgroup] = None, token: str = "") -> None:
    """Kill the worker ``process`` and everything it started; reaps the worker.

    ``token`` is a string in the worker's environment, inherited by its descendants.
    """
    alive = process.poll() is None
    if alive and os.name == "posix":
        try:
            os.kill(process.pid, signal.SIGSTOP)  # it stops forking; its orphans still come to it
        except (ProcessLookupError, PermissionError):
            pass
    if cgroup is not None:
        cgroup.kill()
    if os.name == "posix":
        for _ in range(_KILL_ROUNDS):
            found = descendants(process.pid) if alive else []
            found += marked(token) if token and not found else []
            if alive:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            found = [pid for pid in found if pid != process.pid]
            if not found:
                break
            for pid in found:
                _kill(pid)
            time.sleep(0.002)
    if os.name == "nt" and process.poll() is None:
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False)
    try:
        process.kill()
    except OSError:
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - a process in uninterruptible sleep
        pass
