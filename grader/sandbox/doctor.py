"""``grader doctor``: start a real worker on a probe module and try what a hostile submission would.

Each protection the worker reports is then confirmed or refuted by an attempt:
reading a file of a pretend course, writing next to the submission, connecting
to a listener on 127.0.0.1, sending datagrams to a unix socket outside the worker
(as ``/dev/log`` is), signalling the grader, leaving a detached child behind, and
allocating past the memory limit.  An instructor runs it once on the
grading machine before grading a class.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import textwrap
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from grader.config import ExerciseConfig, Limits
from grader.student import CallAborted, StudentRaised

__all__ = ["Probe", "DoctorReport", "run_doctor"]

_PROBE = '''
import os, socket, time

import numpy as np


def read(path):
    try:
        with open(path, "rb") as handle:
            return "read " + str(len(handle.read())) + " bytes"
    except OSError as error:
        return "denied (" + type(error).__name__ + ")"


def write(path):
    try:
        with open(path, "w") as handle:
            handle.write("changed by the probe")
        return "written"
    except OSError as error:
        return "denied (" + type(error).__name__ + ")"


def connect(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return "connected"
    except OSError as error:
        return "denied (" + type(error).__name__ + ")"


def unix_datagram(path):
    sent = []
    for kind in (socket.SOCK_DGRAM, socket.SOCK_SEQPACKET):
        try:
            with socket.socket(socket.AF_UNIX, kind) as handle:
                handle.sendto(b"probe", path)
            sent.append("sent")
        except OSError as error:
            sent.append("denied (" + type(error).__name__ + ")")
    try:
        first, second = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        with first, second:
            first.sendmsg([b"probe"], [], 0, path)
        sent.append("sent")
    except OSError as error:
        sent.append("denied (" + type(error).__name__ + ")")
    return "sent" if "sent" in sent else sent[0]


def signal_grader(pid):
    try:
        os.kill(pid, 0)
        return "allowed"
    except OSError as error:
        return "denied (" + type(error).__name__ + ")"


def detach():
    pid = os.fork()
    if pid == 0:
        os.setsid()
        if os.fork():
            os._exit(0)
        while True:
            time.sleep(1)
    os.waitpid(pid, 0)
    return os.environ.get("GRADER_WORKER", "")


def allocate(megabytes):
    return int(np.ones(megabytes * 1024 * 128).sum())
'''


@dataclass(frozen=True)
class Probe:
    """One protection: what the worker reports about it, and what the attempt showed."""

    name: str
    status: str  # what the worker reported
    test: str = ""  # the attempt and its outcome
    confirmed: Optional[bool] = None  # None: nothing to test (not active, or no test for it)


@dataclass(frozen=True)
class DoctorReport:
    probes: tuple[Probe, ...]
    protections: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """No protection that the worker reports as active failed its test."""
        return all(probe.confirmed is not False for probe in self.probes)

    def lines(self) -> list[str]:
        out = []
        for probe in self.probes:
            mark = {True: "ok  ", False: "FAIL", None: "    "}[probe.confirmed]
            out.append(f"{mark} {probe.name}: {probe.status}")
            if probe.test:
                out.append(f"       test: {probe.test}")
        return out


def _listener() -> tuple[socket.socket, list[bytes], threading.Event]:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.1)
    accepted: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            accepted.append(b"connection")
            connection.close()

    threading.Thread(target=serve, daemon=True, name="grader-doctor-listener").start()
    return server, accepted, stop


def _datagram_listener() -> tuple[socket.socket, Path]:
    """A world-writable unix datagram socket in a folder anyone may enter (as ``/dev/log`` is)."""
    folder = Path(tempfile.mkdtemp(prefix="grader-doctor-log-"))
    folder.chmod(0o755)
    path = folder / "log"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(path))
    path.chmod(0o777)
    server.setblocking(False)
    return server, folder


def _datagrams(server: socket.socket) -> int:
    count = 0
    while True:
        try:
            server.recv(100)
        except OSError:
            return count
        count += 1


def _call(student, function: str, *args) -> str:
    try:
        return str(student.call(function, *args))
    except StudentRaised as error:
        return f"raised {error.type_name}"
    except CallAborted as error:
        return error.verdict


def run_doctor(*, limits: Optional[Limits] = None, disable: Optional[frozenset[str]] = None) -> DoctorReport:
    """Run the confinement self-test with ``limits`` (default: the built-in ones)."""
    from grader.sandbox import _tree
    from grader.student._worker import WorkerStudent

    limits = limits or Limits()
    scratch = Path(tempfile.mkdtemp(prefix="grader-doctor-"))
    course, submissions = scratch / "course", scratch / "submissions"
    course.mkdir()
    submissions.mkdir()
    secret = course / "reference.py"
    secret.write_text("SECRET = 42\n", encoding="utf-8")
    sibling = submissions / "other_student.py"
    sibling.write_text("# another student's work\n", encoding="utf-8")
    probe = submissions / "probe.py"
    probe.write_text(textwrap.dedent(_PROBE), encoding="utf-8")
    exercise = ExerciseConfig(id="doctor", title="sandbox self-test", module="probe.py", skeleton=probe,
                              reference=secret, checks=(), hidden_checks=(), data=(), points={}, root=course)
    server, accepted, stop = _listener()
    unix = _datagram_listener() if hasattr(socket, "AF_UNIX") else None
    try:
        student = WorkerStudent(probe, exercise=exercise, limits=limits, disable=disable)
        try:
            report = dict(student.protections)
            read = _call(student, "read", str(secret))
            wrote = _call(student, "write", str(sibling))
            connected = _call(student, "connect", server.getsockname()[1])
            datagram = _call(student, "unix_datagram", str(unix[1] / "log")) if unix else "not tried"
            signalled = _call(student, "signal_grader", os.getpid())
            token = _call(student, "detach")
            memory = _call(student, "allocate", int(limits.memory_mb) + 64)
        finally:
            student.close()
        left = _tree.marked(token) if token.startswith("grader-worker-") else []
        received = _datagrams(unix[0]) if unix else 0
        probes = _probes(report, {
            "filesystem": (f"reading the course's reference: {read}; writing another student's file: {wrote}",
                           read.startswith("denied") and wrote.startswith("denied")
                           and sibling.read_text(encoding="utf-8").startswith("#")),
            "network": (f"connecting to 127.0.0.1: {connected}", connected.startswith("denied") and not accepted),
            "process_tree": _tree_test(token, left),
            "limits": (f"allocating {int(limits.memory_mb) + 64} MiB: {memory}", "memory limit" in memory),
            "signals": (f"signalling the grader's process: {signalled}", signalled.startswith("denied")),
            "unix_sockets": (f"sending datagrams to a unix socket outside the worker: {datagram}"
                             f"{f' ({received} received)' if received else ''}",
                             datagram.startswith("denied") and not received),
        })
    finally:
        stop.set()
        server.close()
        if unix:
            unix[0].close()
            shutil.rmtree(unix[1], ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
    return DoctorReport(probes=probes, protections=report)


def _tree_test(token: str, left: list[int]) -> tuple[str, Optional[bool]]:
    if not token.startswith("grader-worker-"):
        return f"could not start a detached child ({token})", None
    return f"a detached child after the worker was closed: {'still running' if left else 'killed'}", not left


def _probes(report: dict, tests: dict[str, tuple[str, Optional[bool]]]) -> tuple[Probe, ...]:
    def active(name: str) -> bool:
        return str(report.get(name, "")).startswith(("active", "partial"))

    probes = []
    for name, status in report.items():
        if name == "mode":
            continue
        test, passed = tests.get(name, ("", None))
        probes.append(Probe(name, str(status), test, passed if active(name) and test and passed is not None
                            else None))
    signals = "active" if "signals" in str(report.get("filesystem", "")) else "not available: needs Landlock ABI 6"
    test, passed = tests["signals"]
    probes.append(Probe("signals", signals, test, passed if signals == "active" else None))
    unix = ("active: only unix stream sockets, no datagram sent to an address (seccomp)"
            if "unix sockets other than stream" in str(report.get("syscalls", ""))
            else "not available: needs the seccomp filter")
    test, passed = tests["unix_sockets"]
    probes.append(Probe("unix_sockets", unix, test, passed if unix.startswith("active") else None))
    return tuple(probes)
