"""Where grading time goes: a stopwatch per phase and a student wrapper that times its calls.

The durations land in ``Report.timing`` (seconds), which the benchmarks read to split
a run into loading the submission, generating and checking examples, and the calls
to the student's code.  Timings are never part of a grade.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Any, Iterator


class Stopwatch:
    """Accumulates durations by name."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}

    def add(self, name: str, seconds: float) -> None:
        self.totals[name] = self.totals.get(name, 0.0) + seconds

    @contextmanager
    def measure(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)

    def rounded(self) -> dict[str, float]:
        return {name: round(value, 4) for name, value in self.totals.items()}


class TimedStudent:
    """A :class:`~grader.student.Student` whose calls are timed into ``stopwatch`` under ``student_calls``."""

    def __init__(self, student: Any, stopwatch: Stopwatch) -> None:
        self._student = student
        self._stopwatch = stopwatch
        self.protections = student.protections
        if hasattr(student, "prefetch"):  # only a student that can run calls ahead offers it (grader.replay)
            self.prefetch = self._prefetch
        if hasattr(student, "send_ahead"):
            self.send_ahead, self.collect = self._send_ahead, self._collect

    def call(self, function: str, *args: Any, **kwargs: Any) -> Any:
        with self._stopwatch.measure("student_calls"):
            return self._student.call(function, *args, **kwargs)

    def call_with_args(self, function: str, *args: Any, **kwargs: Any) -> Any:
        with self._stopwatch.measure("student_calls"):
            return self._student.call_with_args(function, *args, **kwargs)

    def call_each(self, function: str, calls: Any) -> Iterator[Any]:
        """See :func:`grader.student.call_each`: the batch and each result's turn are timed."""
        from grader.student import call_each

        with self._stopwatch.measure("student_calls"):
            results = call_each(self._student, function, calls)
        while True:
            with self._stopwatch.measure("student_calls"):
                try:
                    value = next(results)
                except StopIteration:
                    return
            yield value

    def _prefetch(self, planned: Any) -> Any:
        """Calls sent ahead (see :mod:`grader.replay`), timed when they run."""
        with self._stopwatch.measure("student_calls"):
            return self._student.prefetch(planned)

    def _send_ahead(self, planned: Any) -> Any:
        with self._stopwatch.measure("student_calls"):
            return self._student.send_ahead(planned)

    def _collect(self, batch: Any) -> Any:
        """The answers of calls sent ahead, timed while they are waited for (the rest of their time ran alongside
        the checks)."""
        with self._stopwatch.measure("student_calls"):
            return self._student.collect(batch)

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """One run of a whole program (students that are programs, see :mod:`grader.student._program`)."""
        with self._stopwatch.measure("student_calls"):
            return self._student.run(*args, **kwargs)

    def output(self) -> str:
        return self._student.output()

    def close(self) -> None:
        self._student.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._student, name)
