"""Time limits relative to the reference: a student's call is judged against the reference's time for the same call.

A fixed limit in seconds grades the machine as much as the code: on a busy machine a
correct submission runs out of time, and the loops the course teaches are slower than
the vectorised reference by a constant factor.  So a call is judged by comparing it
with the trusted reference solution on the same input, timed on the same machine in
the same run (in the grader's process, right after the student's call, so both see
the same load).  Both are measured in processor time where the system tells it (Linux):
what a computation costs in processor time hardly depends on how busy the machine is,
so the same code is judged the same idle or loaded; wall-clock time elsewhere.

- a call that takes at most ``floor`` seconds is never judged (most calls: no
  reference runs at all);
- a longer one may take ``factor`` times the reference's time; slower, it is *too
  slow* ("about N× the reference on this input"), a verdict of its own;
- runaway code is stopped at the configured ceiling (``call_timeout``: *timed out*),
  unless the reference itself needs more than ``ceiling / factor`` on this machine,
  in which case the call may run ``factor`` times the reference's time.  A submission
  within the factor is thus never failed for time.

The course's defaults (``config.yaml``: factor 50, floor 1 s) are generous: code written
with a loop per point, per sample, per neuron or per weight takes 5 to 15 times the
vectorised reference's time on the long calls of the checks (training on iris) and up to
about 50 times on calls of a few milliseconds, far below the floor.

Invariants: the reference is trusted code, run on copies of the arguments made as
the student's are (the wire format), its output discarded; each distinct call is
timed once per :class:`Pace` (one per graded submission) and the time is kept; when
the reference has no such function or cannot be loaded, no call is judged against it
(the ceiling alone applies, as in a students' copy of the course, which has no reference).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import time
from pathlib import Path
from typing import Any, Optional

from grader import wire
from grader.student._base import CallRecord, StudentLoadError

__all__ = ["Pace", "ProcessorClock", "describe_input", "processor_seconds"]

try:
    _TICKS = os.sysconf("SC_CLK_TCK")
except (AttributeError, ValueError, OSError):  # not a POSIX system: wall-clock time only
    _TICKS = 0


def processor_seconds(pid: int) -> Optional[float]:
    """Processor time the process ``pid`` has used so far, all its threads and the children it waited for,
    or None where it cannot be read.

    What a call costs in processor time hardly depends on how busy the machine is (the wall-clock time
    does: a process waits its turn), so calls are judged by it where the system tells it (Linux).  The
    process's user and system time (``/proc/PID/stat``) count every thread, those that ended too, and the
    children it waited for, in clock ticks; the scheduler's count (``/proc/PID/schedstat``) is exact to the
    nanosecond but counts the main thread alone.  The larger of the two: work moved to a thread or a child
    is counted, and single-threaded code keeps the scheduler's precision.
    """
    if not _TICKS:
        return None
    return _larger(_read(f"/proc/{pid}/schedstat", _scheduler), _read(f"/proc/{pid}/stat", _whole_process))


def _read(path: str, parse: Any) -> Optional[float]:
    try:
        with open(path, "rb") as stream:
            return parse(stream.read())
    except OSError:
        return None


def _scheduler(content: bytes) -> Optional[float]:
    """Seconds of the main thread, from ``/proc/PID/schedstat``."""
    try:
        return int(content.split()[0]) / 1e9
    except (IndexError, ValueError):
        return None


def _whole_process(content: bytes) -> Optional[float]:
    """Seconds of every thread and waited-for child, from ``/proc/PID/stat`` (utime, stime, cutime, cstime)."""
    fields = content[content.rfind(b")") + 2:].split()
    try:
        return sum(int(fields[index]) for index in (11, 12, 13, 14)) / _TICKS
    except (IndexError, ValueError):
        return None


def _larger(first: Optional[float], second: Optional[float]) -> Optional[float]:
    if first is None or second is None:
        return second if first is None else first
    return max(first, second)


def _cgroup_usage(content: bytes) -> Optional[float]:
    """Seconds of every process a cgroup held: v1 ``cpuacct.usage`` (nanoseconds), v2 ``cpu.stat``
    (``usage_usec``)."""
    try:
        if content[:1].isdigit():
            return int(content.split()[0]) / 1e9
        for line in content.splitlines():
            name, _, value = line.partition(b" ")
            if name == b"usage_usec":
                return int(value) / 1e6
    except (IndexError, ValueError):
        pass
    return None


class ProcessorClock:
    """:func:`processor_seconds` of one process, read around every call from files kept open (no open and
    close per reading, a tenth of the cost); with its cgroup's ``accounting`` file (see
    :class:`grader.sandbox._tree.Cgroup`), every process it started counts too, waited for or not."""

    def __init__(self, pid: int, accounting: Optional[Path] = None) -> None:
        self.pid = pid
        self._fds: list[tuple[int, Any]] = []
        self._usage: Optional[int] = None
        if _TICKS:
            for name, parse in (("schedstat", _scheduler), ("stat", _whole_process)):
                try:
                    self._fds.append((os.open(f"/proc/{pid}/{name}", os.O_RDONLY), parse))
                except OSError:
                    pass
            if accounting is not None:
                with contextlib.suppress(OSError):
                    self._usage = os.open(accounting, os.O_RDONLY)

    @property
    def counts_children(self) -> bool:
        """Whether the processes the code starts are counted, waited for or not (a cgroup's accounting)."""
        return self._usage is not None

    def __call__(self) -> Optional[float]:
        reading = self._process()
        if self._usage is not None:
            try:
                reading = _larger(reading, _cgroup_usage(os.pread(self._usage, 4096, 0)))
            except OSError:
                pass
        return reading

    def _process(self) -> Optional[float]:
        if len(self._fds) < 2:
            return processor_seconds(self.pid)
        readings = []
        for fd, parse in self._fds:
            try:
                readings.append(parse(os.pread(fd, 1024, 0)))
            except OSError:
                return processor_seconds(self.pid)
        return _larger(*readings)

    def close(self) -> None:
        fds, self._fds = self._fds, []
        for fd, _ in fds:
            os.close(fd)
        usage, self._usage = self._usage, None
        if usage is not None:
            os.close(usage)


def describe_input(args: tuple, kwargs: dict) -> str:
    """' on a 3 x 1 array': the shape of the first array argument, in words ('' without one).  Neutral words:
    the core does not know what the array stands for (a dataset, a matrix of weights, a confusion matrix)."""
    import numpy as np

    for value in (*args, *kwargs.values()):
        if type(value) is np.ndarray:
            if value.ndim == 2:
                return f" on a {value.shape[0]} x {value.shape[1]} array"
            if value.ndim == 1:
                return f" on an array of {len(value)} value{'s' if len(value) != 1 else ''}"
            return f" on an array of shape {value.shape}"
    return ""


def _seconds(value: float) -> str:
    return f"{value:.2g} s" if value < 1 else f"{value:.1f} s"


class Pace:
    """The reference's time for a call, measured when a student's call needs it (see the module docstring)."""

    def __init__(self, reference: Path, *, factor: float, floor: float) -> None:
        self.reference = Path(reference)
        self.factor = float(factor)
        self.floor = float(floor)
        #: Seconds spent running the reference, and how many distinct calls it ran (recorded in the report).
        self.spent = 0.0
        self.measured = 0
        self._module: Any = None
        self._unavailable = False
        self._times: dict[bytes, Optional[tuple[float, float]]] = {}

    def describe(self) -> str:
        """The rule, in the report's words."""
        return (f"a call may take {self.factor:g} times the reference's time on the same input (timed in the same "
                f"run), and at least {self.floor:g} s")

    def _load(self) -> Any:
        if self._module is None and not self._unavailable:
            from grader.student._inprocess import load_module

            try:
                with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                    self._module = load_module(self.reference)
            except StudentLoadError:
                self._unavailable = True
        return self._module

    def reference_seconds(self, call: CallRecord, *, wall: bool = False) -> Optional[float]:
        """Seconds the reference takes for ``call``, in processor time (see :func:`processor_seconds`) or
        ``wall``-clock time; timed once, then remembered.  None when it cannot tell."""
        try:
            encoded = wire.encode((call.function, tuple(call.args), dict(call.kwargs)))
        except (TypeError, ValueError):
            return None
        key = hashlib.sha256(encoded).digest()
        if key not in self._times:
            self._times[key] = self._time(call)
        times = self._times[key]
        return None if times is None else times[1 if wall else 0]

    def _time(self, call: CallRecord) -> Optional[tuple[float, float]]:
        from grader.student._execute import _build, _seeded_global_generators

        module = self._load()
        target = getattr(module, call.function, None) if module is not None else None
        if not callable(target):
            return None
        # The arguments rebuilt as the worker rebuilds them; only the function's own work is timed.
        args, kwargs = wire.copied((tuple(call.args), dict(call.kwargs)))
        args, kwargs = _build(tuple(args)), {key: _build(value) for key, value in kwargs.items()}
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
                _seeded_global_generators():
            started, processor = time.perf_counter(), time.thread_time()
            try:
                target(*args, **kwargs)
            except NotImplementedError:
                return None
            except BaseException:  # noqa: BLE001 - the reference refusing an input (ValueError...) is timed too
                pass
            # Processor time where the student's is measured so too (see processor_seconds).
            wall = time.perf_counter() - started
            seconds = time.thread_time() - processor if _TICKS else wall
        self.spent += wall
        self.measured += 1
        return seconds, wall

    def allowance(self, call: CallRecord) -> float:
        """Wall-clock seconds ``call`` may take by the reference's measure (the floor when it cannot tell)."""
        reference = self.reference_seconds(call, wall=True)
        return self.floor if reference is None else max(self.floor, self.factor * reference)

    def too_slow(self, call: CallRecord, seconds: float) -> Optional[str]:
        """The verdict for a call that took ``seconds``, when that is too slow; None when it is not."""
        if seconds <= self.floor:
            return None
        reference = self.reference_seconds(call)
        if reference is None or seconds <= max(self.floor, self.factor * reference):
            return None
        ratio = seconds / max(reference, 1e-9)
        # A ratio just over the factor keeps a decimal: "about 50×" would read as within "50 times".
        shown = f"{ratio:.0f}" if round(ratio) > self.factor and ratio < 1000 else \
            f"{ratio:.2g}" if ratio >= 1000 else f"{ratio:.1f}"
        return (f"too slow: about {shown}× the reference's time on this input ({call.function}"
                f"{describe_input(call.args, call.kwargs)} took {_seconds(seconds)}, the reference "
                f"{_seconds(reference)}; {self.describe()})")
