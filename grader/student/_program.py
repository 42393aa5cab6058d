"""A student whose submission is a whole program: run it, do not import it.

Checks see one seam, :meth:`ProgramStudent.run`::

    run = student.run(files={"input.dat": data}, args=(), stdin=b"")

which runs the program once in a fresh folder of the confined worker (see
:mod:`grader.student._program_runner`, the trusted code the worker imports in
place of student code) and returns a :class:`ProgramRun`: how it ended, what it
printed (head and tail), the files it wrote, how long it took.  Every run has
the worker's confinement (Landlock, seccomp, rlimits, network namespace,
cgroup), a time limit, a cap on what it may print and on the files it writes;
standard input is an open, empty pipe, and a watcher in the grader ends a
program that blocks reading it ("waits for standard input").

Python scripts run with the grader's interpreter (``python -B script``); C and
Fortran sources are compiled once, before the first run
(:mod:`grader.student._build`), and the same executable serves every run.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import platform
import re
import sys
import signal
import tempfile
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional

from grader.config import ExerciseConfig, Limits
from grader.student._base import CallAborted, CallRecord, StudentLoadError
from grader.student._build import LANGUAGES, BuildFailed, build_program, language_of
from grader.student._crash_lines import MARK, crash_frames_library, crash_location

__all__ = ["ProgramRun", "ProgramStudent", "open_program", "PROGRAM_SUFFIXES", "FILE_LIMIT"]

_RUNNER = Path(__file__).resolve().parent / "_program_runner.py"
_RUNNER_NAME = "_grader_program_runner.py"
#: What a Python program runs first (its ``sitecustomize``), under its name in the worker's folder.
_STARTUP = Path(__file__).resolve().parent / "_python_startup.py"
_STARTUP_NAME = "_grader_python_startup.py"
#: File suffixes a program submission may have, and the language each means.
PROGRAM_SUFFIXES = tuple(LANGUAGES)
#: The ``read`` system call's number, by architecture (what a program blocked on standard input is in).
#: The largest output file the grader reads (1 MB: a file's text crosses from the worker as one string).
FILE_LIMIT = 1_000_000
_READ_SYSCALL = {"x86_64": 0, "amd64": 0, "aarch64": 63, "arm64": 63}.get(platform.machine().lower(), -1)


@dataclass(frozen=True)
class ProgramRun:
    """One run of the student's program.

    ``ended``: ``exited`` (see ``exit_code``), ``crashed`` (killed by ``signal``), ``timeout``,
    ``stdin`` (blocked reading standard input), ``flood`` (printed more than allowed),
    ``not_started``.  ``printed`` is the head and tail of stdout and stderr together, in the order a terminal shows them
    (stdout line-buffered: no line of one is cut by a line of the other);
    ``files`` the files it left in its folder (inputs it did not change excluded); ``large`` the sizes of
    those larger than the grader reads (their content is not in ``files``).
    """

    ended: str
    exit_code: int = 0
    signal: str = ""
    printed: str = ""
    printed_bytes: int = 0
    files: Mapping[str, bytes] = field(default_factory=dict)
    duration: float = 0.0
    elsewhere: tuple[str, ...] = ()
    how: str = ""
    large: Mapping[str, int] = field(default_factory=dict)
    #: Where a compiled program crashed: " at line 12 of prog.c", or "" when that is not known.
    crashed_at: str = ""
    #: The input files it removed, or replaced by something else than a file (a link, a folder).
    removed: tuple[str, ...] = ()

    @property
    def finished(self) -> bool:
        """It ran to its end by itself (whatever its exit code)."""
        return self.ended == "exited"

    @property
    def ok(self) -> bool:
        return self.ended == "exited" and self.exit_code == 0

    def tail(self, lines: int = 12) -> str:
        """The last ``lines`` lines of what it printed."""
        return "\n".join(self.printed.rstrip("\n").splitlines()[-lines:])


_REPLAYABLE_SOURCE = Path(__file__).resolve().parent / "_replayable.c"
_REPLAYABLE_NAME = "_grader_replayable.so"


def _replayable_library() -> tuple[Optional[Path], str]:
    """The library that makes random starts reproducible (built once per process), and what became of it."""
    from grader.sandbox.compile import grader_library

    if not sys.platform.startswith("linux"):
        return None, "not available: needs Linux (LD_PRELOAD of a glibc program)"
    path = grader_library(_REPLAYABLE_SOURCE)
    if path is None or not path.is_file():
        return None, "not available: the library could not be built (is gcc installed?)"
    return path, ("active: the clocks (wall clock, monotonic and processor time), the system's entropy "
                  "(getrandom, getentropy, /dev/urandom), the process ids and the addresses a program seeds its "
                  "random start with are replayed from its input, so "
                  "the same program on the same data starts the same way in every grading")


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _text(value: Any, limit: int) -> str:
    return value[:limit] if type(value) is str else ""


@functools.lru_cache(maxsize=None)
def _library_folders() -> re.Pattern[str]:
    from grader.student._worker import python_folders

    return re.compile(python_folders())


def _validated(reply: Any, *, stdin_blocked: bool) -> ProgramRun:
    """A :class:`ProgramRun` from the runner's reply, which is untrusted data."""
    if type(reply) is not dict:
        return ProgramRun(ended="not_started", how="the worker's reply was malformed")
    ended = reply.get("ended")
    code = reply.get("code", 0)
    code = code if type(code) is int else 0
    head, tail = _text(reply.get("head"), 800 * 1024), _text(reply.get("tail"), 160 * 1024)
    printed_raw = reply.get("printed")
    printed_bytes = printed_raw if type(printed_raw) is int else 0
    shown = len(head.encode("utf-8", "replace")) + len(tail.encode("utf-8", "replace"))
    printed = head + (f"\n[... {printed_bytes - shown} bytes not shown ...]\n" if tail and printed_bytes > shown
                      else "") + tail
    # A library's path (a traceback through numpy) names it from the library on, as what a module's code prints
    # does: a report is the same on every machine, and shows none of the grader's.
    printed = _library_folders().sub("", printed)
    files_raw = reply.get("files")
    files_found: dict = files_raw if type(files_raw) is dict else {}
    files = {str(name)[:200]: text.encode("latin-1", "replace") for name, text in list(files_found.items())[:50]
             if type(text) is str}
    large_raw = reply.get("large")
    large_found: dict = large_raw if type(large_raw) is dict else {}
    large = {str(name)[:200]: size for name, size in list(large_found.items())[:50] if type(size) is int}
    elsewhere_raw = reply.get("elsewhere")
    elsewhere_found: list = elsewhere_raw if type(elsewhere_raw) is list else []
    elsewhere = tuple(str(item)[:200] for item in elsewhere_found[:20] if type(item) is str)
    duration_raw = reply.get("duration")
    duration = float(duration_raw) if isinstance(duration_raw, (int, float)) else 0.0
    sig = ""
    if stdin_blocked:
        ended = "stdin"
    elif ended == "exited" and code < 0:
        ended = "crashed"
    elif ended == "signaled":
        ended, sig = "crashed", _signal_name(-code)
    if ended not in ("exited", "crashed", "timeout", "flood", "not_started", "stdin"):
        return ProgramRun(ended="not_started", how="the worker's reply was malformed")
    if ended == "exited" and code < 0:
        ended, sig = "crashed", _signal_name(-code)
    removed_raw = reply.get("removed")
    removed = tuple(str(item)[:200] for item in (removed_raw if type(removed_raw) is list else [])[:20]
                    if type(item) is str)
    return ProgramRun(ended=ended, exit_code=code, signal=sig, printed=printed, printed_bytes=printed_bytes,
                      files=files, duration=duration, elsewhere=elsewhere,
                      how=_text(reply.get("how"), 500), large=large, removed=removed)


class _StdinWatch(threading.Thread):
    """Ends a program blocked reading standard input (its ``/proc/PID/syscall`` shows ``read`` on fd 0)."""

    def __init__(self, worker_pid: Optional[int], patience: float = 0.4) -> None:
        super().__init__(name="grader-stdin-watch", daemon=True)
        self.worker_pid, self.patience = worker_pid, patience
        self.stop_event = threading.Event()
        self.blocked = False

    def run(self) -> None:
        from grader.sandbox._tree import descendants

        if self.worker_pid is None or _READ_SYSCALL < 0 or not os.path.isdir("/proc"):
            return
        since: dict[int, float] = {}
        while not self.stop_event.wait(0.1):
            now = time.monotonic()
            for pid in descendants(self.worker_pid):
                try:
                    with open(f"/proc/{pid}/syscall", encoding="ascii") as handle:
                        fields = handle.read().split()
                except (OSError, ValueError):
                    continue
                if len(fields) >= 2 and fields[0] == str(_READ_SYSCALL) and int(fields[1], 16) == 0:
                    if now - since.setdefault(pid, now) >= self.patience:
                        self.blocked = True
                        try:
                            os.kill(pid, signal.SIGKILL)
                        except OSError:
                            pass
                else:
                    since.pop(pid, None)


class ProgramStudent:
    """Runs a student's program in the confined worker, once per :meth:`run`."""

    def __init__(self, source: Path, *, exercise: ExerciseConfig, limits: Limits, build_folder: Path,
                 run_timeout: float = 5.0, print_limit: int = 1024 * 1024, file_limit: int = FILE_LIMIT,
                 sandbox: bool = True) -> None:
        from grader.student._worker import WorkerStudent, disabled_from_environment

        self.source = Path(source)
        self._folder = Path(build_folder)
        self.language = program_language(self.source, exercise)
        self.runs = 0
        # The same input is run once per grading: checks that draw the same datasets share runs, and a program
        # whose random start changes its result from run to run gets one consistent answer per dataset.
        self._cache: dict[str, ProgramRun] = {}
        # Processor time per run (the wall clock allows three times as much, see the runner): at most half
        # the course's call time limit.
        self.run_timeout = float(max(min(run_timeout, limits.call_timeout / 2), 1.0))
        self.print_limit, self.file_limit = int(print_limit), int(file_limit)
        #: The compiler's warnings (advice, not scored: the report shows them); "" for Python.
        self.advice = ""
        self._void_main = False
        if self.language == "python":
            program, self._command = self.source, ["{python}", "-B", "{script}"]
            self._script = exercise.module
        else:
            built = build_program(self.source, self.language, build_folder,
                                  protected=(self.source.resolve().parent, exercise.root),
                                  memory_mb=limits.memory_mb, disable=disabled_from_environment())
            self.advice = built.warnings
            # "void main": the status such a program exits with is whatever its last call left in a register
            # (printf's count of characters): no error of the program, which ran to its end.
            self._void_main = self.language == "c" and "[-Wmain]" in built.warnings and \
                "return type of 'main' is not 'int'" in built.warnings.replace("\u2018", "'").replace("\u2019", "'")
            program, self._command = built.executable, ["{home}/" + built.executable.name]
            self._script = ""
        if self.language == "python":
            program = self._renamed(program, exercise.module, self._folder)
        library, replayable = _replayable_library()
        self._preload = self._startup = self._crash_frames = ""
        data: tuple[Path, ...] = (program,)
        crash_frames = crash_frames_library() if self.language != "python" else None
        self._executable = program if crash_frames is not None else None
        if crash_frames is not None:  # where a compiled program crashes: its line (see _crash_lines)
            shutil.copyfile(crash_frames, self._folder / crash_frames.name)
            data += (self._folder / crash_frames.name,)
            self._crash_frames = crash_frames.name
        if self.language == "python":
            # Run first by the program: an interactive plotting backend it chooses is Agg here (no display).
            shutil.copyfile(_STARTUP, self._folder / _STARTUP_NAME)
            data += (self._folder / _STARTUP_NAME,)
            self._startup = _STARTUP_NAME
        if library is not None:
            shutil.copyfile(library, self._folder / _REPLAYABLE_NAME)
            data += (self._folder / _REPLAYABLE_NAME,)
            self._preload = _REPLAYABLE_NAME
        # The worker runs the trusted runner (Python), whatever the program's language.
        inner = dataclasses.replace(exercise, module=_RUNNER_NAME, data=data, language="python", binding=None)
        # The worker's own call limit covers a whole run at its wall-clock limit, and the reading of its files.  The
        # program's own process is no process its code started: it may still start as many as promised.
        inner_limits = dataclasses.replace(limits, call_timeout=self.run_timeout * 3 + 5.0,
                                           processes=limits.processes + 1)
        self._worker = WorkerStudent(_RUNNER, exercise=inner, limits=inner_limits,
                                     protected=(self.source.resolve().parent,), trusted_source=True)
        self.protections = {**self._worker.protections, "random_start": replayable}
        if not sandbox:
            self.protections["mode"] = "sandbox (a program always runs in the sandbox)"

    @staticmethod
    def _renamed(program: Path, name: str, folder: Path) -> Path:
        """The script under the exercise's file name (what its module-level code may expect)."""
        if program.name == name:
            return program
        target = folder / name
        shutil.copyfile(program, target)
        return target

    def run(self, files: Mapping[str, bytes], args: tuple[str, ...] = (), stdin: bytes = b"",
            wanted: tuple[str, ...] = ()) -> ProgramRun:
        """Run the program on ``files`` (name -> content) in a fresh folder; see :class:`ProgramRun`.  The files
        named ``wanted`` (its output) are read whatever else it writes.

        ``stdin`` must be empty: course programs read files, never the keyboard.  The same ``files`` and
        ``args`` give the same run (cached) for the rest of this student's grading.
        """
        if stdin:
            raise ValueError("programs are run with an empty standard input")
        key = hashlib.sha256(repr((sorted((str(name), bytes(data)) for name, data in files.items()),
                                   tuple(args), tuple(wanted))).encode("latin-1", "replace")).hexdigest()
        if key in self._cache:
            return self._cache[key]
        result = self._run(files, args, tuple(wanted))
        if len(self._cache) < 512:
            self._cache[key] = result
        return result

    def _run(self, files: Mapping[str, bytes], args: tuple[str, ...], wanted: tuple[str, ...]) -> ProgramRun:
        self.runs += 1
        command = [*self._command, *[str(arg) for arg in args]]
        watch = _StdinWatch(self._worker.pid())
        watch.start()
        try:
            seed = int(hashlib.sha256(repr(sorted((str(name), bytes(data)) for name, data in files.items()))
                                      .encode("latin-1", "replace")).hexdigest()[:15], 16)
            reply = self._worker.call("run", command, {name: bytes(data).decode("latin-1")
                                                       for name, data in files.items()},
                                      "", self.run_timeout, self.print_limit, self.file_limit, self._script,
                                      self._preload, seed, self._startup, self._crash_frames, list(wanted))
        except CallAborted as aborted:
            return ProgramRun(ended="crashed" if aborted.kind != "timeout" else "timeout",
                              how=f"the process running your program ended: {aborted.verdict}")
        finally:
            watch.stop_event.set()
            watch.join()
        result = _validated(reply, stdin_blocked=watch.blocked)
        if self._void_main and result.ended == "exited":
            result = dataclasses.replace(result, exit_code=0)
        if self._executable is not None:
            crashed_at = crash_location(result.printed, self._executable) if result.ended == "crashed" else ""
            result = dataclasses.replace(result, printed=MARK.sub("", result.printed), crashed_at=crashed_at)
        if type(reply) is dict and reply.get("strays") is True:
            self._worker.restart()  # processes it left behind: a fresh worker for the next run
        return result

    # --- the Student interface -------------------------------------------------------------------------------

    def call(self, function: str, *args: Any, **kwargs: Any) -> Any:
        raise CallAborted(CallRecord(function, tuple(args), dict(kwargs)),
                          "this exercise's submission is a program: it is run, not called", kind="protocol")

    call_with_args = call

    def output(self) -> str:
        return self._worker.output()

    def output_mark(self) -> Any:
        """See :meth:`grader.student.WorkerStudent.output_mark`."""
        return self._worker.output_mark()

    def output_restore(self, mark: Any) -> None:
        self._worker.output_restore(mark)

    def close(self) -> None:
        self._worker.close()
        shutil.rmtree(self._folder, ignore_errors=True)


def program_language(path: Path, exercise: ExerciseConfig) -> str:
    """The language of the program at ``path``: its suffix's; for a file saved as text (``.txt``, or no suffix),
    the one the exercise is graded in (what ``--language`` says, or a suffix added to the language's,
    ``program.c.txt``: see :meth:`ExerciseConfig.language_of`); ``ValueError`` for a notebook, or a suffix of
    another language (``.rs``)."""
    try:
        return language_of(path)
    except ValueError:
        if Path(path).suffix.lower() not in _SAVED_AS_TEXT or exercise.language not in LANGUAGES.values():
            raise
        return exercise.language


#: The suffixes of a source file saved as text by an editor that adds its own, or none.
_SAVED_AS_TEXT = ("", ".txt")


def open_program(path: Path, exercise: ExerciseConfig, limits: Limits, *, sandbox: bool = True,
                 run_timeout: float = 5.0) -> ProgramStudent:
    """Prepare the program at ``path`` (compile it if needed) for runs; raises ``StudentLoadError``."""
    path = Path(path)
    if not path.is_file():
        raise StudentLoadError(f"{path.name} not found")
    try:
        program_language(path, exercise)
    except ValueError as error:
        raise StudentLoadError(str(error)) from None
    folder = Path(tempfile.mkdtemp(prefix="grader-build-"))
    try:
        return ProgramStudent(path, exercise=exercise, limits=limits, build_folder=folder, sandbox=sandbox,
                              run_timeout=run_timeout)
    except BuildFailed as failed:
        shutil.rmtree(folder, ignore_errors=True)
        raise StudentLoadError(failed.message, details=failed.details) from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
