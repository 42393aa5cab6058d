"""Running the student's program on one dataset and reading what it did, with verdicts for every fault.

:func:`observe` writes the dataset in the course's format under both names the
course's programs read, runs the program once (``student.run``), and returns
what it printed, its steps and its output file.  Faults end the check at once
with a specific verdict (time limit, waiting for standard input, printing too
much, not starting: no use shrinking those) or fail it with the dataset, so
that Hypothesis finds the smallest one (a crash, an error exit, no output file,
an unreadable one).  Messages quote the tail of what the program printed and
explain the course's known defects when the tail shows one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NoReturn, Optional

import numpy as np

from grader.authoring import fail
from grader.exercises.kmeans_program.fileformat import (
    INPUT_NAMES,
    OUTPUT_NAMES,
    OutputFile,
    Step,
    input_file,
    parse_output,
    parse_steps,
)
from grader.student import CallAborted, CallRecord, NotImplementedYet

__all__ = ["Observed", "observe", "counterexample", "EPS", "MAX_STEPS", "STEP_FORMAT"]

EPS = 0.001
MAX_STEPS = 100
STEP_FORMAT = "Step : l, error : e, cent. move : m"
_TAIL_LINES = 15


@dataclass(frozen=True)
class Observed:
    """One run on ``data``: the run, its steps, the output file (read) and its name and text."""

    data: np.ndarray
    run: Any  # grader.student.ProgramRun
    steps: list[Step] = field(default_factory=list)
    output: Optional[OutputFile] = None
    output_name: str = ""
    output_text: str = ""

    @property
    def last_move(self) -> Optional[float]:
        return self.steps[-1].move if self.steps else None


def _where(data: np.ndarray) -> str:
    n, d = data.shape
    return f"on a dataset of {n} point{'s' if n != 1 else ''} in {d}-D"


def _explain(printed: str) -> str:
    """A sentence on a known defect the printed tail shows, or ""."""
    low = printed.lower()
    # Fortran's bounds are 64-bit integers, at most 19 digits: a longer number is no such message, and int()
    # refuses more than 4300 digits.
    bound = re.search(r"index '(-?\d{1,19})' of dimension (\d+) of array '(\w+)' (?:(below lower|above upper) bound "
                      r"of (-?\d{1,19})|outside of expected range \((-?\d{1,19}):(-?\d{1,19})\))", printed,
                      re.IGNORECASE)
    if bound:
        index, _, array, side, limit, low, high = bound.groups()
        if side is None:
            side, limit = ("below", low) if int(index) < int(low) else ("above", high)
        if side.startswith("below"):
            return (f" An index out of range: {array}({index}) is below its lower bound {limit}. Fortran arrays start "
                    "at 1, so a random index int(r * n) can be 0: use 1 + int(r * n), which is at most n.")
        return (f" An index out of range: {array}({index}) is above its upper bound {limit}: a loop or a random index "
                "goes one too far.")
    if "eoferror" in low or "end of file" in low and ("stdin" in low or "unit 5" in low or "<stdin>" in low):
        return (" It read standard input (the keyboard), which is empty here: a course program reads only its data "
                "file.")
    if "indexerror" in low:
        return " An index out of range (IndexError): check the loops' bounds and the random initial indices."
    if "permissionerror" in low:  # multiprocessing's shared memory, a file elsewhere: refused by the sandbox
        return (" It was refused an operation (PermissionError): the grader runs your program isolated and refuses "
                "this (files outside its folder, /tmp, multiprocessing's shared memory, its ThreadPool's too...); "
                "compute in the program's own process (threads are fine: threading, "
                "concurrent.futures.ThreadPoolExecutor).")
    if "filenotfounderror" in low or "cannot open" in low or "no such file" in low:
        return (f" It could not open a file: it must read {INPUT_NAMES[0]} from the folder it runs in (no other "
                "path), and write its output there.")
    return ""


_BACKTRACE = re.compile(r"^(#\d+ |\s+at /|Error termination\. Backtrace:)")
_BUILD_FOLDER = re.compile(r"/\S*grader-(?:build|worker)-[^/\s]*/(?:run-[^/\s]+/)?")


#: What a message shows of one printed line at most (a program may print a whole dataset on one line).
_LINE_SHOWN = 300


def _printed_tail(run: Any) -> str:
    """The last lines it printed, without a runtime's backtrace (addresses and the grader's build folder), each
    cut to ``_LINE_SHOWN`` characters.  Only those lines are cleaned, each from a bounded prefix: what the program
    printed costs the grader time in proportion to its length."""
    lines = [line for line in run.printed.rstrip("\n").splitlines() if not _BACKTRACE.match(line)][-_TAIL_LINES:]
    return "\n".join(_shown_line(line) for line in lines)


def _shown_line(line: str) -> str:
    cleaned = _BUILD_FOLDER.sub("", line[: 2 * _LINE_SHOWN])
    if len(cleaned) > _LINE_SHOWN or len(line) > 2 * _LINE_SHOWN:
        return f"{cleaned[:_LINE_SHOWN]} ... ({len(line)} characters)"
    return cleaned


def _tail(run: Any) -> str:
    tail = _printed_tail(run)
    return f"\nWhat it printed last:\n{tail}" if tail.strip() else "\nIt printed nothing."


def counterexample(observed: Observed, **more: Any) -> dict[str, Any]:
    """The feedback of a failure: the input file (to run the program on), what it printed, its output."""
    found: dict[str, Any] = {
        "input_file": input_file(observed.data).decode("ascii"),
        "data": observed.data,
        "printed": _printed_tail(observed.run),
    }
    if observed.steps:
        found["steps"] = [step.line for step in observed.steps[-6:]]
    if observed.output_name:
        found["output_file"] = observed.output_text[:2000]
    found.update(more)
    return found


def _abort(data: np.ndarray, message: str, kind: str) -> NoReturn:
    call = CallRecord("your program", (input_file(data).decode("ascii"),))
    raise CallAborted(call, message, kind=kind)  # type: ignore[arg-type]


def _faults(run: Any, data: np.ndarray, limit: float) -> None:
    """End the check at once for the faults that would only repeat while shrinking."""
    where = _where(data)
    if run.ended == "timeout" and run.how.startswith("waited"):
        _abort(data, f"timeout: your program did not end {where}: it {run.how.partition(': ')[2]} but little "
                     f"processor time, waiting rather than computing (sleep, pause, a lock, another process?); it "
                     f"must end by itself once its output file is written.{_tail(run)}", "timeout")
    if run.ended == "timeout":
        _abort(data, f"timeout: your program ran for more than {limit:g} s of processor time {where} without "
                     f"ending (an endless "
                     f"main loop? it must stop at a move <= {EPS} or after {MAX_STEPS} steps).{_tail(run)}", "timeout")
    if run.ended == "stdin":
        _abort(data, f"waits for standard input: your program stopped to read the keyboard {where}; a course "
                     f"program reads only {INPUT_NAMES[0]} and must not wait for input.{_tail(run)}", "exit")
    if run.ended == "flood":
        _abort(data, f"printed too much: your program printed more than {run.printed_bytes // 1024} KiB {where} "
                     f"(one line per step is enough): stopped.{_tail(run)}", "output")
    if run.ended == "not_started":
        _abort(data, f"your program could not be started ({run.how or 'unknown reason'})", "crash")


def observe(student: Any, data: np.ndarray, *, needs_loop: bool = True, reads_steps: bool = True,
            reads_output: bool = True) -> Observed:
    """Run the program on ``data``; fail or abort the check on any fault (see the module's docstring).

    ``needs_loop``: a program that runs fine but prints no step has no main loop yet (the skeleton):
    the check is then "not implemented" rather than failed.  ``reads_steps``: the check judges the printed
    steps; one that does not (the output file, the result) goes on when the program prints lines of numbers in
    which no step is recognised (steps in another form): only the checks of the steps fail for that.
    ``reads_output``: the check judges the output file; one that does not (the input file left untouched) goes
    on without it, or with an output file it cannot read: only the checks of the output fail for that.
    """
    content = input_file(data)
    run = student.run({name: content for name in INPUT_NAMES}, wanted=OUTPUT_NAMES)
    _faults(run, data, getattr(student, "run_timeout", 0.0))
    observed = Observed(data, run, _iterations(parse_steps(run.printed)))
    where = _where(data)
    if run.ended == "crashed":
        fail(f"crashed: your program was killed by {run.signal or 'a signal'}{run.crashed_at} {where}."
             f"{_explain(run.printed) or _crash_hint(run)}{_tail(run)}", **counterexample(observed))
    if run.exit_code != 0:
        fail(f"your program stopped with exit code {run.exit_code} {where}.{_explain(run.printed)}{_tail(run)}",
             **counterexample(observed))
    if run.elsewhere:
        fail(f"writes elsewhere: your program wrote {', '.join(run.elsewhere[:3])} outside the folder it runs in; "
             "it must write only its output file, next to its input.", **counterexample(observed))
    if needs_loop and not observed.steps and (reads_steps or not unrecognised_steps(observed)):
        _no_step(student, data, run, observed)
    large = next((name for name in OUTPUT_NAMES if name in run.large), "")
    if large:
        fail(f"your output file is larger than 1 MB: {large} holds {run.large[large]} bytes {where}; it must "
             f"hold only the centers and the points with their cluster.", **counterexample(observed))
    if not reads_output:
        return observed
    name = next((name for name in OUTPUT_NAMES if name in run.files), "")
    if not name:
        others = sorted(set(run.files) - set(INPUT_NAMES))
        wrote = f" (it wrote {', '.join(others[:3])})" if others else ""
        fail(f"no output file: your program ended {where} without writing {OUTPUT_NAMES[0]}{wrote}.{_tail(run)}",
             **counterexample(observed))
    text = run.files[name].decode("latin-1")
    output = parse_output(run.files[name], name)
    observed = Observed(data, run, observed.steps, output, name, text)
    if output.problem:
        fail(f"unreadable output file: {output.problem}.", **counterexample(observed))
    return observed


#: Four blobs of ten distinct points: from any four of them as centers, the first update moves a center.
_PROBE = np.array([[cx + dx, cy + dy] for cx, cy in ((0.0, 0.0), (3.0, 0.0), (0.0, 3.0), (3.0, 3.0))
                   for dx, dy in ((0.0, 0.0), (0.25, 0.0), (0.0, 0.25), (0.25, 0.25), (0.5, 0.0), (0.0, 0.5),
                                  (0.5, 0.25), (0.25, 0.5), (0.5, 0.5), (0.125, 0.375))])


def _iterations(steps: list[Step]) -> list[Step]:
    """The printed steps that are iterations: a first line numbered 0 whose move is 0 shows the initial state
    (the start's error), not an iteration of the loop."""
    if len(steps) > 1 and steps[0].number == 0 and steps[0].move == 0 and steps[1].number == 1:
        return steps[1:]
    return steps


def unrecognised_steps(observed: Observed) -> bool:
    """Whether a run that printed no recognised step printed what only a main loop prints: a line of three
    numbers or more, or any number that is not whole (an error, a move: its steps in another form?).  The
    skeletons print whole numbers only (the data's shape)."""
    return not observed.steps and (_unlabelled(observed.run.printed) > 0 or _REAL.search(observed.run.printed)
                                   is not None)


#: A number that is not written as a whole one (a decimal point or an exponent), or nan / inf.
_REAL = re.compile(r"(?<![\w.])[-+]?(?:\d*\.\d+|\d+\.\d*|\d+[eEdD][-+]?\d+)|\b(?:nan|inf)\b", re.IGNORECASE)


def _unlabelled(printed: str) -> int:
    """How many printed lines hold at least three numbers (steps printed without the word 'Step'?)."""
    return sum(1 for line in printed.splitlines() if len(_NUMBERS.findall(line)) >= 3)


_NUMBERS = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][-+]?\d+)?")


def _no_step(student: Any, data: np.ndarray, run: Any, observed: Observed) -> NoReturn:
    """A run that printed no step: the main loop is missing, or this run printed none of its steps."""
    if data.shape[1] != 2 or not np.array_equal(data, _PROBE):
        probe = student.run({name: input_file(_PROBE) for name in INPUT_NAMES}, wanted=OUTPUT_NAMES)
        if parse_steps(probe.printed):
            fail(f"no step printed {_where(data)}, though your program prints its steps on other data: it must "
                 f"print one line per iteration ('{STEP_FORMAT}'), the last one included (print the step before "
                 f"testing whether to stop).{_tail(run)}", **counterexample(observed))
    lines = _unlabelled(run.printed)
    if lines:
        fail(f"no step found in what your program printed {_where(data)}: {lines} line{'s' if lines > 1 else ''} "
             f"hold{'s' if lines == 1 else ''} three numbers or more, but none "
             f"holds the word 'Step' followed by the step number, the error and the move, as in "
             f"'{STEP_FORMAT}'.{_tail(run)}", **counterexample(observed))
    if _REAL.search(run.printed):
        fail(f"no step found in what your program printed {_where(data)}: it printed numbers, but no line holds "
             f"the word 'Step' followed by the step number, the error and the move, all three on one line, as in "
             f"'{STEP_FORMAT}'.{_tail(run)}", **counterexample(observed))
    raise NotImplementedYet(CallRecord(
        f"the main loop (no line like '{STEP_FORMAT}' was printed: the program runs but does not iterate)", ()))


def _crash_hint(run: Any) -> str:
    if run.signal == "SIGSEGV":
        return (" A segmentation fault is often an index out of range (rand() % (n + 1) can pick index n; a loop "
                "to <= n goes one too far) or a file that could not be opened (fopen returned NULL).")
    if run.signal == "SIGFPE":
        return " SIGFPE: an integer division by zero, e.g. by the count of an empty cluster."
    if run.signal in ("SIGKILL", "SIGXCPU", "SIGXFSZ"):
        return " It ran into a limit (memory, time or file size)."
    return ""
