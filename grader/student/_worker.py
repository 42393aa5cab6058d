"""Student code in a separate, confined worker process: the default way to run a submission.

One worker per submission answers every call of every check; it is replaced by a
fresh one after anything that leaves it in doubt (timeout, crash, exit, memory,
flood of output, malformed reply).  Everything it sends is decoded as untrusted
plain data; its printed output is captured apart from the channel.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import selectors
import signal
import socket
import stat
import subprocess
import sysconfig
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence

from grader import wire
from grader.config import ExerciseConfig, Limits
from grader.sandbox._channel import HEADER
from grader.sandbox._confine import SWITCHES
from grader.sandbox._launch import Worker, launch
from grader.student._base import (AbortKind, Call, CallAborted, CallRecord, ExerciseLoadError, NotImplementedYet,
                                  StudentLoadError, StudentRaised)
from grader.student._execute import interpret
from grader.student._notebook import left_out_note
from grader.student._output import CappedOutput
from grader.student._pace import Pace, ProcessorClock, describe_input
from grader.student._compiled import PRINTED_ASIDE
from grader.student._crash_lines import MARK
from grader.student._languages import runner_for
from grader.student._runners import Build

__all__ = ["WorkerStudent", "DISABLE_VARIABLE", "REPLY_LIMIT", "python_folders"]

DISABLE_VARIABLE = "GRADER_SANDBOX_DISABLE"
#: The largest reply accepted from a worker; more is a flood, not a result.
REPLY_LIMIT = 64 * 1024 * 1024
#: Importing may run course-style code at module level (read the data, run, plot): it gets at least this.
IMPORT_TIMEOUT = 10.0
#: On a busy machine (more workers than cores), code computing all along gets only a share of a core: a wait's
#: limit is then its processor time, up to this many times the limit on the wall clock.  Code that is waiting
#: (a sleep, a lock) rather than computing is stopped at the limit as on an idle machine.
LOAD_SLACK = 3.0
#: The least share of a core a computing worker gets on a busy machine (6 workers on 2 cores: a third); below,
#: the code is waiting, not deprived of the processor.
_COMPUTING = 0.1
#: Waits shorter than this are charged their wall-clock time, and a reading of the worker's processor time this
#: recent stands for one taken now: far below any limit, and most calls take less.
_FRESH = 0.05
#: What is kept of the last words of the current worker, to explain its death (a Fortran runtime error).
_RECENT = 16 * 1024
#: A worker's private folder in a path (its name comes from launch): what the code prints names it from the
#: path's start (see :func:`_without_worker_folders`).
_WORKER_FOLDER = re.compile(r"[\\/]grader-worker-[A-Za-z0-9_]+(?=[\\/])")
#: Characters that end a path in printed text (besides white space).
_PATH_ENDS = frozenset("\"'<>|:")
#: The end of a line held back until its line is complete (a path cut between two reads is named all the same).
_CARRY = 1024


def python_folders() -> str:
    """A pattern of the folders of Python's libraries (where numpy's warnings come from), each with its separator:
    they are machine paths too, named from the library on in what the code prints."""
    paths = [path for key, path in sysconfig.get_paths().items() if key in ("stdlib", "platstdlib", "purelib", "platlib")]
    folders = set(paths) | {os.path.realpath(path) for path in paths}
    return "|".join(re.escape(folder.rstrip("\\/") + os.sep) for folder in sorted(folders, key=len, reverse=True))


def _without_worker_folders(text: str, module: re.Pattern[str], source_name: str) -> str:
    """``text`` with each path into a worker's folder cut from the path's start to the folder's end, and the
    module there (``.../grader-worker-x/MODULE.py``) named ``source_name``.

    In time linear in ``text``, whatever the code printed: each folder is found by its name, and its path's start
    by walking back over path characters, never before the end of the folder replaced last (a pattern starting
    at every character of a long line without spaces would take time quadratic in the line).
    """
    folders = list(_WORKER_FOLDER.finditer(text))  # each ends before its separator: two may share one
    pieces, done, index = [], 0, 0
    while index < len(folders):
        start = folders[index].start()
        while start > done and _in_path(text[start - 1]):
            start -= 1
        if start - 2 >= done and text[start - 1] == ":" and text[start - 2].isascii() and text[start - 2].isalpha():
            start -= 2  # a Windows drive
        # The path goes on to the last folder of the same path (.../grader-worker-a/b/grader-worker-c/).
        while index + 1 < len(folders) and all(_in_path(c) for c in text[folders[index].end():folders[index + 1].start()]):
            index += 1
        end, name = folders[index].end() + 1, ""
        after = module.match(text, end)
        if after is not None:
            end, name = after.end(), source_name
        pieces += [text[done:start], name]
        done, index = end, index + 1
        while index < len(folders) and folders[index].start() < done:  # inside the module's name: not a folder
            index += 1
    pieces.append(text[done:])
    return "".join(pieces)


def _in_path(character: str) -> bool:
    return not (character.isspace() or character in _PATH_ENDS)


def disabled_from_environment() -> frozenset[str]:
    """The protections switched off by ``GRADER_SANDBOX_DISABLE`` (comma-separated; ``all`` for every one)."""
    names = {name.strip().lower() for name in os.environ.get(DISABLE_VARIABLE, "").split(",") if name.strip()}
    return frozenset(SWITCHES) if "all" in names else frozenset(names & set(SWITCHES))


#: What Python says when the limit of processes and threads refuses one more: a thread (``threading``) or a
#: process (``os.fork``, ``subprocess``: EAGAIN).
_NO_MORE_TASKS = ("can't start new thread", "[Errno 11] Resource temporarily unavailable")
#: What Python says when the sandbox refuses an operation: a file outside the worker's folder, the shared memory
#: of ``multiprocessing``'s locks and queues...
_REFUSED = ("[Errno 13] ", "[Errno 1] ")
#: What the student is told then: why it works on their machine and not here, and what to do.
_ISOLATED = ("the grader runs your code isolated and refuses this (files outside its folder, /tmp, "
             "multiprocessing's shared memory, its ThreadPool's too...); compute in the process itself (threads "
             "are fine: threading, concurrent.futures.ThreadPoolExecutor)")


def _explain(raised: StudentRaised, processes: int) -> None:
    """Add to ``raised``'s message what the sandbox did, when the sandbox and not the code's logic made the call
    fail: the student cannot otherwise tell (the same code works on their machine).  ``limit`` marks a
    process or thread the limit refused, so a check that sees different results can say why."""
    if raised.message.startswith(_NO_MORE_TASKS):
        note = (f"your code may run at most {processes} processes and threads at once (the grader's limit); "
                "start fewer (e.g. ThreadPoolExecutor(max_workers=8))")
    elif "PermissionError" in raised.mro or ("OSError" in raised.mro and raised.message.startswith(_REFUSED)):
        note = _ISOLATED
    else:
        return
    raised.message = f"{raised.message}: {note}"
    raised.args = (f"{raised.call.function} raised {raised.type_name}: {raised.message}",)  # as StudentRaised makes it
    raised.limit = note.startswith("your code may run")  # type: ignore[attr-defined]


def _size(megabytes: float) -> str:
    return f"{megabytes / 1024:g} GiB" if megabytes >= 1024 and megabytes % 256 == 0 else f"{megabytes:g} MiB"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _printed_aside(folder: Path) -> str:
    """The end of what compiled code printed while its output was set aside (a call run again to tell a read
    outside its arrays: see ``grader.student._compiled``), when it died then: its last words are there."""
    try:  # the student's code may have put a link or a pipe there: never followed, never waited on
        descriptor = os.open(Path(folder) / PRINTED_ASIDE,
                             os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return ""
    with open(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return ""
        stream.seek(max(0, os.fstat(descriptor).st_size - _RECENT))
        return stream.read(_RECENT).decode("utf-8", "replace")


class _Died(Exception):
    """The worker ended (or closed its channel) before answering: ``kind`` is crash, exit or protocol."""

    def __init__(self, kind: AbortKind, detail: str, *, plain: bool = False) -> None:
        super().__init__(detail)
        self.kind: AbortKind = kind
        self.detail = detail
        self.plain = plain

    def verdict(self, during: str) -> str:
        if self.plain:
            return f"crashed: {self.detail} {during}"
        if self.kind == "crash":
            return f"crashed with {self.detail} {during}"
        if self.kind == "exit":
            return f"your code ended the process ({self.detail}) {during}"
        return f"{self.detail} {during}"


class WorkerStudent:
    """Runs the student's module in a confined worker process; see :mod:`grader.sandbox` for the protections."""

    def __init__(self, path: Path, *, exercise: ExerciseConfig, limits: Limits,
                 disable: Optional[frozenset[str]] = None, protected: tuple[Path, ...] = (),
                 pace: Optional[Pace] = None, trusted_source: bool = False, deferred: bool = False) -> None:
        """``trusted_source``: ``path`` is the grader's own file (the runner of whole programs), whose folder, in the
        grader's package, is no student's: the submission's folder comes in ``protected``.  ``deferred``: start the
        worker and return; :meth:`finish_loading` waits for it to load the submission (the grader meanwhile loads
        the exercise's checks, on another core)."""
        self._source = Path(path)
        self._trusted_source = trusted_source
        #: The reference's times, against which each long call is judged (None: the ceiling alone).
        self.pace = pace
        self._extra_protected = tuple(protected)
        if not self._source.is_file():
            raise StudentLoadError(f"{self._source.name} not found")
        self._exercise, self._limits = exercise, limits
        self._disable = disabled_from_environment() if disable is None else frozenset(disable)
        self._output = CappedOutput(int(limits.output_kb * 1024))
        self._output_lock = threading.Lock()
        self._flood_limit = int(limits.output_kb * 1024) * 1024
        # What the files of its folder may hold together (each file is limited to file_size_mb by the system,
        # their sum by this): a submission filling the disk would stop every other grading on the machine.
        self._disk_limit = _DISK_FILES * int(limits.file_size_mb) * 2**20
        self._disk_checked, self._disk_base = 0.0, 0
        self._spent = 0.0
        self._seq = 0
        self._refreshing = True  # see fresh_state
        self._worker: Optional[Worker] = None
        self._processor: Optional[ProcessorClock] = None  # the current worker's processor time
        # The last reading of it (see _computed): its clock, when, and what it read.
        self._reading: Optional[tuple[ProcessorClock, float, Optional[float]]] = None
        self._batch_seconds: Optional[float] = None  # the worker's processor time over the last batch read
        self._batch_wall = 0.0  # and the wall-clock time from its sending to its last answer
        self._selector: Optional[selectors.BaseSelector] = None  # waits for the current worker's channel
        self._closed = False
        self.protections: dict[str, Any] = {}
        self._recent = ""
        self._carry = ""  # the start of a line not yet complete (see _write_output)
        self._library_folders = re.compile(python_folders())
        self._module_after = re.compile(f"{re.escape(exercise.module)}(?![\\w.])")
        self._runner = runner_for(exercise.language)
        self._build: Optional[Build] = None
        self._finalizer = weakref.finalize(self, WorkerStudent._cleanup, [None])
        #: The compiler's warnings (advice, not scored); "" for Python.
        self.advice = ""
        self.language = exercise.language
        self._build = self._runner.build(self._source, exercise, limits, protected=[Path(path) for path in self._protected()],
                                         disable=self._disable)
        self._builds = weakref.finalize(self, Build.cleanup, self._build)
        self.advice = self._build.advice
        #: How the submission was read, for the report (a notebook's dropped magics and workflow code).
        self.notes = self._build.notes
        #: A worker started and sent its settings, whose load is still to be waited for (see ``deferred``).
        self._begun: Optional[tuple[Worker, dict[str, Any]]] = None
        if deferred:
            try:
                self._begun = self._begin()
            except StudentLoadError as error:
                self._annotate(error)
                raise
        else:
            self._start(first=True)

    def finish_loading(self) -> None:
        """Wait for the worker a ``deferred`` construction started to load the submission: raises what the
        construction raises otherwise (nothing once loaded)."""
        begun, self._begun = self._begun, None
        if begun is not None:
            self._start(first=True, begun=begun)

    def _as_submitted(self, text: str) -> str:
        """``text`` from the worker with the module's file named as the student submitted it (the worker runs
        a copy named after the exercise's module, e.g. my_solution.py as MODULE.py)."""
        module = self._exercise.module
        if self._source.name == module:
            return text
        return text.replace(f'File "{module}"', f'File "{self._source.name}"').replace(
            f"{module} is not valid Python", f"{self._source.name} is not valid Python").replace(
            f"'python {module}'", f"'python {self._source.name}'").replace(
            f"importing {module} failed", f"importing {self._source.name} failed").replace(
            f"({module}, line ", f"({self._source.name}, line ").replace(
            f"the compiled {module} ", f"the compiled {self._source.name} ")

    # --- starting -----------------------------------------------------------------------------------------------

    def _protected(self) -> list[str]:
        """What the worker must not read: the course (reference, configuration, hidden checks) and the
        submission's own folder (the other students' files)."""
        paths = {self._exercise.root, *self._extra_protected}
        if not self._trusted_source:
            # Protecting the grader's own package would hide the interpreter's library around it (installed by
            # pip, it lies in site-packages).
            paths.add(self._source.resolve().parent)
        if self._exercise.reference is not None:
            paths.add(Path(self._exercise.reference).parent)
        paths.update(Path(hidden) for hidden in self._exercise.hidden_checks)
        return sorted(str(Path(path).resolve()) for path in paths)

    def _write_output(self, text: str) -> None:
        """What the worker prints: into the capped output, and the last words of this worker apart.

        Paths into the worker's folder (a warning's ``<temp>/grader-worker-.../MODULE.py:25``) name the file as
        submitted, as tracebacks do: a report is the same on every run and every machine.  A short incomplete
        line waits for its end, so that a path is never cut between two reads."""
        self._recent = (self._recent + text)[-_RECENT:]
        text = MARK.sub("", self._carry + text)  # the crash handler's line is the grader's, not the student's
        end = text.rfind("\n") + 1
        if len(text) - end < _CARRY:
            text, self._carry = text[:end], text[end:]
        else:
            self._carry = ""
        if text:
            self._output.write(self._named(text))

    def _named(self, text: str) -> str:
        return _without_worker_folders(self._library_folders.sub("", text), self._module_after, self._source.name)

    def _drained(self) -> None:
        """Wait until what the current worker printed before its last reply is in the output (see
        :meth:`grader.sandbox._launch._OutputPump.drain`).  Not under the output lock."""
        worker = self._worker
        if worker is not None:
            worker.pump.drain()

    def output_mark(self) -> Any:
        """What the output holds now, for :meth:`output_restore`: the calls of a replay of recorded examples
        that leaves the recorded path are made again by Hypothesis, and must not print twice."""
        self._drained()
        with self._output_lock:
            return self._output.mark(), self._carry

    def output_restore(self, mark: Any) -> None:
        """Forget what was printed since ``mark``."""
        self._drained()
        with self._output_lock:
            self._output.restore(mark[0])
            self._carry = mark[1]

    def keep_warnings(self) -> None:
        """Have the worker keep its record of the warnings shown so far (Python shows each once per place), for
        :meth:`restore_warnings`: calls made again after their output was forgotten show their warnings again."""
        self._warnings(True)

    def restore_warnings(self) -> None:
        """Put back the record kept by :meth:`keep_warnings` (a worker started since has none to put back)."""
        self._warnings(False)

    @property
    def loads_afresh(self) -> bool:
        """Whether :meth:`fresh_state` still loads the code again (not once the worker refused to, see
        ``grader/student/_worker_main.py``, or ended: the state its calls leave then stays)."""
        return self._refreshing

    def fresh_state(self) -> None:
        """Have the worker load the submission again, its state as after its first load (see
        ``grader/student/_worker_main.py``): before each check, so that what a check sees never depends on the calls
        made before it (a worker to start, or started since the last call, is fresh already)."""
        if self._worker is None or self._closed or not self._refreshing:
            return
        try:
            # False: loading it is too slow to be done at every check (or failed), and will not be done again.
            self._refreshing = self._request(CallRecord("(fresh state)", ()), {"op": "fresh"}) is True
        except (CallAborted, StudentRaised, NotImplementedYet, wire.WireError):
            self._refreshing = False  # a worker that ended (the next call starts one, fresh) and may end again

    def _request(self, call: CallRecord, request: dict[str, Any]) -> Any:
        """The worker's answer to a request of the grader's own (``call`` names it in a verdict), made as a call is:
        within a call's limit, charged to the budget."""
        seconds = self._ready(call)
        self._seq += 1
        self._send({**request, "seq": self._seq}, call, seconds)
        return self._reply(call, self._seq, seconds, False)

    def _warnings(self, keep: bool) -> None:
        if self._worker is None or self._closed:
            return
        try:
            self._request(CallRecord("(warnings)", ()), {"op": "warnings", "keep": keep})
        except (CallAborted, StudentRaised, NotImplementedYet):
            pass  # a worker that ended: the next call starts one with no warning shown

    def _spawn(self) -> tuple[Worker, dict[str, Any]]:
        with self._output_lock:
            self._recent = ""
        try:
            worker, cgroup_note = launch(
                self._source, module=self._exercise.module,
                data=(*self._exercise.data, *(self._build.files if self._build else ())),
                write_output=self._write_output, output_lock=self._output_lock, processes=self._limits.processes,
                disable=self._disable, reply_limit=REPLY_LIMIT)
        except (OSError, ValueError) as error:
            raise StudentLoadError(f"cannot start the worker process: {error}") from None
        self._worker = worker
        # What its folder holds from the start (the exercise's data, the build) does not count as written.
        self._disk_base = folder_bytes(worker.folder, 2**62)
        accounting = worker.cgroup.accounting if worker.cgroup is not None else None
        self._processor = ProcessorClock(worker.process.pid, accounting)
        self._selector = selectors.DefaultSelector()  # one per worker: _receive waits on it for every answer
        self._selector.register(worker.channel, selectors.EVENT_READ)
        self._finalizer.detach()
        self._finalizer = weakref.finalize(self, WorkerStudent._cleanup, [worker])
        grader_side = {
            "isolation": "active: the code runs in a separate worker process; only plain data comes back, "
                         "checked before any check sees it",
            "channel": "active: a private socket, apart from what the code prints",
            "environment": "active: scrubbed to PATH, HOME, TMPDIR, locale, matplotlib and thread settings",
        }
        if self.pace is not None:
            grader_side["time_limit"] = (f"{self.pace.describe()}; runaway code is stopped at "
                                         f"{self._limits.call_timeout:g} s")
            if self._processor is not None and self._processor.counts_children:
                grader_side["processor_time"] = ("active: counted for every process the code starts, from its "
                                                 "cgroup, whether it waits for them or not")
        cgroup = worker.cgroup
        if cgroup is not None:
            grader_side["process_tree"] = ("active: a cgroup of its own holds every process the code starts, "
                                           "and all of them are killed with the worker")
            if cgroup.pids_limit:
                grader_side["process_count"] = (f"active: at most {self._limits.processes} processes and threads "
                                                "(cgroup pids limit)")
        else:
            grader_side["cgroup"] = cgroup_note
        return worker, {"grader_side": grader_side, "cgroup_pids": bool(cgroup and cgroup.pids_limit),
                        "cgroup": str(cgroup.path) if cgroup else ""}

    def _start(self, *, first: bool = False, begun: Optional[tuple[Worker, dict[str, Any]]] = None) -> None:
        try:
            self._load(first=first, begun=begun)
        except StudentLoadError as error:
            self._annotate(error)
            raise

    def _annotate(self, error: StudentLoadError) -> None:
        """Give ``error`` what the report still records of a worker that could not load the code: the worker's
        protections and what the code printed before it failed."""
        error.protections = dict(self.protections)
        error.output = self.output()

    def _begin(self) -> tuple[Worker, dict[str, Any]]:
        """Start a worker and send it its settings, without waiting for it."""
        worker, extra = self._spawn()
        settings = {
            "folder": str(worker.folder),
            "module": self._exercise.module,
            "protected": self._protected(),
            "disable": sorted(self._disable),
            "limits": {"memory_mb": self._limits.memory_mb, "file_size_mb": self._limits.file_size_mb,
                       "processes": self._limits.processes},
            "cgroup": extra["cgroup"],
            "cgroup_pids": extra["cgroup_pids"],
            "language": self._exercise.language,
            **(self._build.settings if self._build else {}),
        }
        try:
            worker.channel.sendall(_frame(wire.encode(settings)))
        except (wire.WireError, OverflowError, OSError) as error:
            self._discard()
            raise StudentLoadError(f"the worker process failed to start ({error})") from None
        return worker, extra

    def _load(self, *, first: bool, begun: Optional[tuple[Worker, dict[str, Any]]] = None) -> None:
        worker, extra = begun if begun is not None else self._begin()
        shown = self._source.name  # messages name the file as the student submitted it
        wait = max(self._limits.call_timeout, IMPORT_TIMEOUT)
        try:
            reported = self._receive(wait)
            if type(reported.get("exercise_error")) is str:  # sent before the student's code runs: not forged
                self._discard()
                raise ExerciseLoadError(reported["exercise_error"][:2000])
            protections = reported.get("protections")
            if type(protections) is not dict or not all(type(v) is str for v in protections.values()):
                raise _Died("protocol", "the worker did not report its protections")
        except _Timeout:
            self._discard()
            raise StudentLoadError(f"the worker process did not start within {wait:g} s: is the machine "
                                   "overloaded?") from None
        except (_Died, _Flood, wire.WireError, OverflowError, OSError) as error:
            self._discard()
            raise StudentLoadError(f"the worker process failed to start ({error})") from None
        if first:
            # What the grader itself set up (cgroup) outranks the worker's fallback for the same protection.
            self.protections = {"mode": "sandbox", **protections, **extra["grader_side"]}
        try:
            loaded = self._receive(wait)
        except _Timeout as timeout:
            self._discard()
            advice = ("only definitions and the values your functions read run when a notebook is graded: one of "
                      "them takes too long (keep long computations inside functions)"
                      if str(shown).lower().endswith(".ipynb") else
                      "move long computations under 'if __name__ == \"__main__\":'" if self.language == "python" else
                      "loading the compiled library runs none of your functions unless one is run at load time "
                      "(a constructor): it must return")
            raise StudentLoadError(f"importing {shown} timed out after {timeout.seconds:g} s: {advice}") from None
        except _Died as died:
            self._discard()
            raise StudentLoadError(died.verdict(f"while importing {shown}")) from None
        except _Flood:
            self._discard()
            raise StudentLoadError(f"importing {shown} printed more than {_size(self._flood_limit / 2**20)}: "
                                   "stopped") from None
        except _DiskFull:
            self._discard()
            raise StudentLoadError(f"importing {shown} wrote {self._disk_words()}: stopped; write only what the "
                                   "exercise asks for") from None
        except (wire.WireError, OverflowError) as error:
            self._discard()
            raise StudentLoadError(f"importing {shown} garbled the worker's answer ({error})") from None
        except OSError as error:
            self._discard()
            raise StudentLoadError(f"the worker for {shown} could not start ({error})") from None
        if type(loaded.get("exercise_error")) is str:  # the binding's own fault, once the library is loaded
            self._discard()
            raise ExerciseLoadError(loaded["exercise_error"][:2000])
        if "load_error" in loaded:
            self._discard()
            message, details = loaded.get("load_error"), loaded.get("details", "")
            if type(message) is not str or type(details) is not str:
                raise StudentLoadError(f"importing {shown} failed")
            message = self._as_submitted(message)[:2000]
            if re.search(r" failed with (PermissionError|OSError): \[Errno (13|1)\] ", message):
                message = f"{message}: {_ISOLATED}"  # as for a call (see _explain)
            raise StudentLoadError(message, details=details[:2000])
        if loaded.get("loaded") is not True:
            self._discard()
            raise StudentLoadError(f"importing {shown} garbled the worker's answer")
        left_out = loaded.get("left_out", [])
        if first and type(left_out) is list and all(type(item) is str for item in left_out):
            self.notes = (*self.notes, *left_out_note(shown, [item[:300] for item in left_out[:20]]))

    # --- talking to the worker ----------------------------------------------------------------------------------

    def _receive(self, seconds: float) -> dict:
        """The next message from the worker within ``seconds`` (also charged to the time budget)."""
        worker = self._worker
        assert worker is not None
        started = time.perf_counter()
        deadline = started + seconds
        computed = self._computed()
        selector = self._selector
        assert selector is not None
        try:
            while True:
                frame = worker.reader.frame()
                if frame is not None:
                    break
                if worker.printed > self._flood_limit:
                    raise _Flood()
                if time.perf_counter() >= self._disk_checked + _DISK_EVERY:
                    self._disk_checked = time.perf_counter()
                    if folder_bytes(worker.folder, self._disk_base + self._disk_limit) > \
                            self._disk_base + self._disk_limit:
                        raise _DiskFull()
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    owed = _owed(seconds, computed(), time.perf_counter() - started)
                    if owed <= 0:
                        raise _Timeout(seconds)
                    deadline, remaining = time.perf_counter() + owed, owed
                if worker.process.poll() is not None and not selector.select(0):
                    # Dead, though a child it left may hold the channel open: no EOF will come.
                    raise self._death()
                if selector.select(min(remaining, 0.1)):
                    try:
                        data = worker.channel.recv(min(max(worker.reader.wanted(), 65536), 1 << 20))
                    except (ConnectionError, OSError):
                        data = b""
                    if not data:
                        raise self._death()
                    worker.reader.feed(data)
        finally:
            self._spent += _charged(computed(), time.perf_counter() - started)
        message = wire.decode(frame, max_bytes=REPLY_LIMIT)
        if type(message) is not dict:
            raise wire.WireError("the worker's message is not a dict")
        return message

    def _death(self) -> _Died:
        """How the worker ended: its channel closed, so it died or is about to."""
        worker = self._worker
        assert worker is not None
        try:
            code = worker.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return _Died("protocol", "your code closed the worker's private channel")
        worker.pump.join(timeout=1)  # the last words it printed, for the verdict
        with self._output_lock:
            recent = self._recent
        aside = _printed_aside(worker.folder)
        explained = self._runner.explain_death(recent) or self._runner.explain_death(aside)
        if explained:
            return _Died("crash", explained, plain=True)
        if code < 0:
            where = self._runner.crash_location(recent) or self._runner.crash_location(aside)
            return _Died("crash", self._runner.describe_signal(_signal_name(-code), where))
        return _Died("exit", f"exit code {code}")

    def _disk_words(self) -> str:
        return f"more than {_size(self._disk_limit / 2**20)} of files (or more than {_DISK_ENTRIES:,} files) in its folder"

    def _discard(self) -> None:
        if self._worker is not None:
            worker, self._worker = self._worker, None
            for resource in (self._processor, self._selector):
                if resource is not None:
                    resource.close()
            self._processor = self._selector = None
            worker.stop()

    def _abort(self, call: CallRecord, verdict: str, kind: AbortKind) -> CallAborted:
        self._discard()
        return CallAborted(call, verdict, kind=kind)

    def _ready(self, call: CallRecord) -> float:
        """Seconds the call may take (its limit, or what is left of the budget), a worker started if needed."""
        if self._closed:
            raise CallAborted(call, "the student's worker is closed", kind="protocol")
        budget_left = self._limits.total_timeout - self._spent
        if budget_left <= 0:
            raise self._budget(call)
        if self._worker is None:
            try:
                self._start()
            except StudentLoadError as error:
                raise CallAborted(call, f"could not restart your module after the previous failure: "
                                        f"{error.message}", kind="crash") from None
            budget_left = self._limits.total_timeout - self._spent
            if budget_left <= 0:
                raise self._budget(call)
        return min(self._limits.call_timeout, budget_left)

    @contextlib.contextmanager
    def _faults(self, call: CallRecord, seconds: float) -> Iterator[None]:
        """What goes wrong while a call is sent or answered, as the call's :class:`CallAborted`."""
        function = call.function
        where = f"in {function}"
        try:
            yield
        except (_Timeout, socket.timeout) as timeout:
            if seconds < self._limits.call_timeout:
                raise self._budget(call) from None
            waited = max(seconds, timeout.seconds if isinstance(timeout, _Timeout) else 0.0)
            raise self._abort(call, f"timed out after {waited:g} s {where}{describe_input(call.args, call.kwargs)}",
                              "timeout") from None
        except _Flood:
            raise self._abort(call, f"stopped: your code printed more than {_size(self._flood_limit / 2**20)} "
                                    f"{where}", "output") from None
        except _DiskFull:
            raise self._abort(call, f"stopped: your code wrote {self._disk_words()} {where}: write only what the "
                                    "exercise asks for", "output") from None
        except _Died as died:
            raise self._abort(call, died.verdict(f"in {function}" if died.kind == "crash" else f"during {function}"),
                              died.kind) from None
        except OverflowError as error:
            raise self._abort(call, self._oversized(function, int(error.args[0])), "output") from None
        except wire.WireError as error:
            raise self._abort(call, f"the student's process sent a malformed reply ({error})", "protocol") from None
        except (ConnectionError, OSError) as error:
            raise self._abort(call, f"lost the worker's private channel {where} ({error})", "protocol") from None

    def _oversized(self, function: str, size: int) -> str:
        """The verdict on a reply announced as ``size`` bytes, above :data:`REPLY_LIMIT`.  A size the worker could
        not even hold in its memory was never a reply: bytes the student's code wrote on a file descriptor it did
        not open, which happened to be the private channel (compiled code can write on any)."""
        if size > self._limits.memory_mb * 2**20:
            return (f"stopped: your code wrote on a file it did not open (the grader's private channel) during "
                    f"{function}: write only on the standard output or error, and on files your code opens")
        return (f"stopped: {function} returned {size / 2**20:.0f} MiB of data, more than the "
                f"{REPLY_LIMIT // 2**20} MiB a reply may hold")

    def _send(self, request: dict, call: CallRecord, seconds: float) -> None:
        worker = self._worker
        assert worker is not None
        with self._faults(call, seconds):
            worker.channel.settimeout(seconds)
            worker.channel.sendall(_frame(wire.encode(request)))
            worker.channel.settimeout(None)

    def _await(self, call: CallRecord, seconds: float) -> dict:
        """The answer to ``call`` within ``seconds``; at the ceiling, longer if the reference itself needs more
        than ``ceiling / factor`` on this machine (see :mod:`grader.student._pace`)."""
        try:
            return self._receive(seconds)
        except _Timeout:
            if self.pace is None or seconds < self._limits.call_timeout:
                raise
            more = min(self.pace.allowance(call), self._limits.total_timeout - self._spent + seconds) - seconds
            if more <= 0:
                raise
            try:
                return self._receive(more)
            except _Timeout:
                raise _Timeout(seconds + more) from None

    def _clock(self) -> tuple[Optional[float], float]:
        """(the worker's processor time where the system tells it, the wall-clock time): see :func:`_elapsed`."""
        processor = self._processor() if self._worker is not None and self._processor is not None and \
            self.pace is not None else None
        return processor, time.perf_counter()

    def _computed(self) -> Callable[[], Optional[float]]:
        """A reading of the processor time the worker has used since now (``None`` where the system does not
        tell it, or once the worker is gone).  Read only where a wait's length can matter: from a reading at most
        :data:`_FRESH` old, and not at all for a wait shorter than that (thousands of quick calls a check)."""
        clock, started = self._processor, time.perf_counter()
        if clock is not None and (self._reading is None or self._reading[0] is not clock
                                  or started - self._reading[1] > _FRESH):
            self._reading = (clock, started, clock())
        start = self._reading[2] if clock is not None and self._reading is not None else None

        def since() -> Optional[float]:
            if time.perf_counter() - started < _FRESH:
                return None  # too short to matter: the wall clock is charged
            now = clock() if clock is not None and self._processor is clock else None
            return None if now is None or start is None else max(0.0, now - start)

        return since

    def _judge(self, call: CallRecord, seconds: float) -> None:
        """Raise "too slow" for a call that answered, but took more than the reference's time allows."""
        verdict = self.pace.too_slow(call, seconds) if self.pace is not None else None
        if verdict is not None:
            raise self._abort(call, verdict, "slow")

    def _reply(self, call: CallRecord, seq: int, seconds: float, echo: bool) -> Any:
        """The value of the answer to call number ``seq``, or the exception it stands for."""
        with self._faults(call, seconds):
            message = self._await(call, seconds)
        if message.get("seq") != seq:
            raise self._abort(call, f"the worker answered out of turn in {call.function} (a stray or forged reply)",
                              "protocol")
        if "aborted" in message:
            raise self._aborted(call, message)
        try:
            return interpret(message.get("reply"), call, echo_args=echo)
        except StudentRaised as raised:
            raised.traceback = self._as_submitted(raised.traceback)
            _explain(raised, self._limits.processes)
            raise
        except wire.WireError as error:
            # A protocol fault, not a wrong answer: Hypothesis must not shrink (and restart the worker) on it.
            raise self._abort(call, f"the student's process sent a malformed reply ({error})", "protocol") from None

    def _call(self, function: str, args: tuple, kwargs: dict, echo: bool) -> Any:
        call = CallRecord(function, tuple(args), dict(kwargs))
        seconds = self._ready(call)
        self._seq += 1
        started = self._clock()
        self._send({"op": "call", "seq": self._seq, "function": function, "args": tuple(args),
                    "kwargs": dict(kwargs), "echo": echo}, call, seconds)
        value = self._reply(call, self._seq, seconds, echo)
        self._judge(call, _elapsed(started, self._clock()))
        return value

    def _outcomes(self, function: str, calls: Sequence[Call]) -> list[Any]:
        """Every call of ``calls`` in one request: the worker answers each in turn and stops after the first that
        does not return a value; the list ends with the first exception, kept as an item."""
        records = [CallRecord(function, tuple(args), dict(kwargs)) for args, kwargs in calls]
        request = {"op": "calls", "function": function, "calls": [[record.args, record.kwargs] for record in records]}
        return [outcome for outcome, _ in self._answers(records, [False] * len(records), request, through=False)]

    def _answers(self, records: list[CallRecord], echoes: list[bool], request: dict, *,
                 through: bool) -> list[tuple[Any, float]]:
        """The outcome of each call of a batch ``request`` (value or exception) and the seconds it was charged.

        Each answer is awaited and judged exactly as a call of its own would be (its time limit, the budget left,
        its verdict).  The list ends at the first call that could not finish, or ``through`` false, at the first
        that did not return a value.
        """
        if not records:
            return []
        before = self._spent
        try:
            batch = self._dispatch(records, echoes, request)
        except CallAborted as error:
            return [(error, self._spent - before)]
        return self._gather(batch, through=through, judge=True)

    def _dispatch(self, records: list[CallRecord], echoes: list[bool], request: dict) -> _Batch:
        """Send a batch ``request``: the worker answers its calls in turn, numbered from the returned batch's."""
        charged = self._spent
        seconds = self._ready(records[0])
        first = self._seq + 1
        self._seq += len(records)
        started = self._clock()
        self._send({**request, "seq": first}, records[0], seconds)
        return _Batch(records, echoes, first, started, self._spent - charged)

    def _gather(self, batch: _Batch, *, through: bool, judge: bool) -> list[tuple[Any, float]]:
        """The answers of a dispatched batch, read in turn (see :meth:`_answers`); ``judge`` false: no call is judged
        for its time (see :meth:`collect`).  Sets ``_batch_seconds``: the worker's processor time over the batch."""
        outcomes: list[tuple[Any, float]] = []
        charged, started = self._spent - batch.charged, batch.started
        try:
            for index, record in enumerate(batch.records):
                budget_left = self._limits.total_timeout - self._spent
                if budget_left <= 0:
                    raise self._budget(record)
                seconds = min(self._limits.call_timeout, budget_left)
                try:
                    outcome = self._reply(record, batch.first + index, seconds, batch.echoes[index])
                except (StudentRaised, NotImplementedYet) as raised:
                    if not through:
                        raise
                    outcome, started = raised, self._clock()
                else:
                    # Each call of the batch is timed from the answer before it, as if it were made alone (the
                    # worker may have started the next one when the answer is read: at most one call's time more,
                    # well within the factor).
                    answered = self._clock()
                    if judge:
                        self._judge(record, _elapsed(started, answered))
                    started = answered
                outcomes.append((outcome, self._spent - charged))
                charged = self._spent
        except (StudentRaised, NotImplementedYet, CallAborted) as error:
            outcomes.append((error, self._spent - charged))
        ended = self._clock()
        self._batch_seconds = (None if batch.started[0] is None or ended[0] is None
                               else ended[0] - batch.started[0])
        self._batch_wall = ended[1] - batch.started[1]
        return outcomes

    def _aborted(self, call: CallRecord, message: dict) -> CallAborted:
        kind, how = message.get("aborted"), message.get("how", "")
        how = how[:200] if type(how) is str else ""
        if kind == "exit":
            # A runtime error ends the process by exit() after printing where it happened (Fortran's "At line 12
            # of file..."): told as the crash it is, as when the process died before it could say it exited.
            self._drained()
            with self._output_lock:
                recent = self._recent
            explained = self._runner.explain_death(recent)
            if explained:
                return self._abort(call, _Died("crash", explained, plain=True).verdict(f"in {call.function}"),
                                   "crash")
            return self._abort(call, f"your code ended the process ({how or 'exit'}) during {call.function}", "exit")
        if kind == "memory":
            return self._abort(call, f"stopped: memory limit of {_size(self._limits.memory_mb)} exceeded in "
                                     f"{call.function}", "memory")
        return self._abort(call, f"{call.function} returned a value that cannot be sent back ({how})", "protocol")

    def _budget(self, call: CallRecord) -> CallAborted:
        return self._abort(call, f"stopped: the time budget of {self._limits.total_timeout:g} s for the whole "
                                 f"submission ran out in {call.function}", "budget")

    # --- the Student interface ----------------------------------------------------------------------------------

    def call(self, function: str, *args: Any, **kwargs: Any) -> Any:
        return self._call(function, args, kwargs, False)

    def call_with_args(self, function: str, *args: Any, **kwargs: Any) -> tuple[Any, tuple[Any, ...]]:
        return self._call(function, args, kwargs, True)

    def call_each(self, function: str, calls: Sequence[Call]) -> Iterator[Any]:
        """The calls in one round trip (see :func:`grader.student.call_each`); each outcome, value or exception,
        is the one the call made alone would have had."""
        return _unfold(self._outcomes(function, calls))

    def prefetch(self, planned: Sequence[tuple[CallRecord, bool]]) -> list[tuple[Any, float]]:
        """Calls known in advance (``(call, echo)``: echo returns the arguments too), in one round trip: the
        outcome of each (its value, or the exception the call made alone would raise) and the seconds it was
        charged to the budget (see :meth:`refund`).  The list ends early at a call that could not finish (a
        :class:`CallAborted`); calls that raise do not end it.  See :mod:`grader.replay`."""
        request = {"op": "plan", "calls": [[record.function, record.args, record.kwargs, echo]
                                           for record, echo in planned]}
        return self._answers([record for record, _ in planned], [echo for _, echo in planned], request,
                             through=True)

    def send_ahead(self, planned: Sequence[tuple[CallRecord, bool]]) -> Optional[_Batch]:
        """Calls known in advance (as for :meth:`prefetch`) sent now, for :meth:`collect` to read later: the worker
        runs them while the grader goes on.  None (nothing sent) where their answers could not be vouched for: a
        worker to start, or calls judged against the reference without the worker's processor time to tell that
        none may be, or a batch before that took more than a quarter of that time; and when no core is idle (see
        :func:`_spare_core`)."""
        if not planned or self._worker is None or self._closed or not _spare_core():
            return None
        if self.pace is not None and (self._processor is None or self._batch_seconds is None
                                      or 4 * self._batch_seconds > self.pace.floor):
            return None
        request = {"op": "plan", "calls": [[record.function, record.args, record.kwargs, echo]
                                           for record, echo in planned]}
        try:
            return self._dispatch([record for record, _ in planned], [echo for _, echo in planned], request)
        except CallAborted:
            return None  # the worker was lost on the way: the calls go one by one, as if never sent

    def collect(self, batch: _Batch) -> tuple[list[tuple[Any, float]], bool]:
        """The answers of calls :meth:`send_ahead` sent (as :meth:`prefetch` gives them), and whether they can be
        used.  While the grader did other work, no answer could be timed on its own, nor waited for from its start;
        but every call of the batch ran within the batch's span.  When the worker's processor time over it is within
        the floor under which no call is judged (see :mod:`grader.student._pace`), and its wall-clock time within a
        call's limit, no call of it could have been judged too slow or stopped, made alone.  Otherwise the answers
        are read but must not be used: made one by one, a call could have been."""
        outcomes = self._gather(batch, through=True, judge=False)
        seconds = self._batch_seconds
        vouched = self._batch_wall <= self._limits.call_timeout and (
            self.pace is None or (seconds is not None and seconds <= self.pace.floor))
        return outcomes, vouched

    def refund(self, seconds: float) -> None:
        """Give back to the submission's time budget what calls run ahead and never used were charged."""
        self._spent = max(0.0, self._spent - seconds)

    def restart(self) -> None:
        """End the current worker and all it started; the next call starts a fresh one."""
        self._discard()

    def pid(self) -> Optional[int]:
        """The process id of the current worker (``None`` between workers), to watch what it runs."""
        return self._worker.process.pid if self._worker is not None else None

    def output(self) -> str:
        self._drained()
        with self._output_lock:
            if not self._carry:
                return self._output.text()
            # The incomplete last line as if written, without writing it: a line it ends later stays whole.
            mark = self._output.mark()
            self._output.write(self._named(self._carry))
            text = self._output.text()
            self._output.restore(mark)
            return text

    def close(self) -> None:
        self._closed = True
        self._discard()
        self._finalizer.detach()
        if self._build is not None:
            self._builds()

    @staticmethod
    def _cleanup(holder: list) -> None:
        for worker in holder:
            if worker is not None:
                worker.stop()


@dataclass(frozen=True)
class _Batch:
    """A batch of calls sent to the worker: the calls, whether each echoes its arguments, the number of the first,
    the clock when sent, and the seconds charged to the budget while it was sent."""

    records: list[CallRecord]
    echoes: list[bool]
    first: int
    started: tuple[Optional[float], float]
    charged: float


def _owed(limit: float, computed: Optional[float], waited: float) -> float:
    """How much longer a wait of ``limit`` seconds goes on, ``waited`` seconds in, the worker having used
    ``computed`` seconds of processor time: the processor time it is still owed while it has been computing (at
    least :data:`_COMPUTING` of a core) on a machine too busy to give it a whole core, within :data:`LOAD_SLACK`
    times the limit; 0 to stop."""
    if computed is None or waited <= 0 or computed < _COMPUTING * waited:
        return 0.0
    return max(0.0, min(limit - computed, LOAD_SLACK * limit - waited))


def _charged(computed: Optional[float], waited: float) -> float:
    """What a wait costs the submission's time budget: its processor time while it computed (the same on a busy
    machine as on an idle one), at least the wall-clock time over :data:`LOAD_SLACK`; the wall-clock time while it
    waited on something else, or where the processor time is unknown."""
    if computed is None or computed < _COMPUTING * waited:
        return waited
    return max(computed, waited / LOAD_SLACK)


class _Timeout(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class _Flood(Exception):
    pass


class _DiskFull(Exception):
    pass


#: The files of a worker's folder may hold this many times the size one file may have, together.
_DISK_FILES = 4
#: Seconds between two measures of the worker's folder (while the grader waits for an answer).
_DISK_EVERY = 0.5
#: Entries of a worker's folder measured at the most: more files than this count as over the limit (each costs
#: the machine an inode, and the measure time).
_DISK_ENTRIES = 20_000


def folder_bytes(folder: Path, limit: int) -> int:
    """The bytes the files below ``folder`` occupy (links not followed), counted until they pass ``limit``; more
    than :data:`_DISK_ENTRIES` entries count as ``limit + 1``."""
    total, entries, pending = 0, 0, [str(folder)]
    while pending:
        try:
            with os.scandir(pending.pop()) as found:
                for entry in found:
                    entries += 1
                    if entries > _DISK_ENTRIES:
                        return limit + 1
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            pending.append(entry.path)
                        else:
                            info = entry.stat(follow_symlinks=False)
                            total += max(info.st_size, getattr(info, "st_blocks", 0) * 512)
                    except OSError:
                        continue
                    if total > limit:
                        return total
        except OSError:
            continue
    return total


def _spare_core() -> bool:
    """Whether a core of this machine is idle (by the load average of the last minute), so that the student's code
    and the grader's checks can run at the same time.  When every core is busy (a class graded with a job per core,
    other work), running them side by side saves no time and costs processor time (measured: a fifth more on a
    corpus graded two at a time on two cores), so calls are sent ahead only with a core to spare."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average (Windows): as if every core were busy
        return False
    return load + 0.5 < _cores()


@functools.cache
def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        return os.cpu_count() or 1


def _elapsed(start: tuple[Optional[float], float], end: tuple[Optional[float], float]) -> float:
    """What a call is judged by against the reference: the worker's processor time (a load on the machine
    hardly changes it) where both readings have it, else the wall-clock time."""
    if start[0] is not None and end[0] is not None:
        return end[0] - start[0]
    return end[1] - start[1]


def _unfold(outcomes: list[Any]) -> Iterator[Any]:
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
        yield outcome


def _frame(payload: bytes) -> bytes:
    return HEADER.pack(len(payload)) + payload
