"""What a running class grading shows: a progress bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import shutil
import time
from typing import Optional, Protocol, TextIO

from grader.render._view import clean_line

__all__ = ["Progress", "LogProgress", "BarProgress", "QuietProgress", "make_progress", "duration"]


def duration(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m{seconds:02d}s" if hours else f"{minutes}m{seconds:02d}s"


class Progress(Protocol):
    def begin(self, total: int, jobs: int) -> None: ...

    def started(self, student: str) -> None: ...

    def finished(self, student: str, outcome: str, detail: str, seconds: Optional[float]) -> None: ...

    def tick(self) -> None: ...

    def end(self) -> None: ...


class _Counts:
    def __init__(self) -> None:
        self.total = 0
        self.jobs = 1
        self.done = 0
        self.graded_seconds: list[float] = []
        self.current: dict[str, float] = {}
        self.start = time.monotonic()

    def begin(self, total: int, jobs: int) -> None:
        self.total, self.jobs, self.start = total, jobs, time.monotonic()

    def started(self, student: str) -> None:
        self.current[student] = time.monotonic()

    def finished(self, student: str, seconds: Optional[float]) -> None:
        self.current.pop(student, None)
        self.done += 1
        if seconds is not None:
            self.graded_seconds.append(seconds)

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def remaining(self) -> Optional[float]:
        """Rough time left: the mean time of a graded student, spread over the jobs."""
        if not self.graded_seconds:
            return None
        left = self.total - self.done
        mean = sum(self.graded_seconds) / len(self.graded_seconds)
        return left * mean / max(1, min(self.jobs, left or 1))


class QuietProgress:
    def begin(self, total: int, jobs: int) -> None:
        pass

    def started(self, student: str) -> None:
        pass

    def finished(self, student: str, outcome: str, detail: str, seconds: Optional[float]) -> None:
        pass

    def tick(self) -> None:
        pass

    def end(self) -> None:
        pass


class LogProgress:
    """One line per student as they finish: for CI logs and redirected output."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._counts = _Counts()

    def begin(self, total: int, jobs: int) -> None:
        self._counts.begin(total, jobs)
        self._write(f"grading {total} submission(s) with {jobs} job(s)")

    def started(self, student: str) -> None:
        self._counts.started(student)

    def finished(self, student: str, outcome: str, detail: str, seconds: Optional[float]) -> None:
        self._counts.finished(student, seconds)
        width = len(str(self._counts.total))
        took = f" ({seconds:.1f} s)" if seconds is not None else ""
        self._write(f"[{self._counts.done:>{width}}/{self._counts.total}] {outcome:<7} {clean_line(student)}: "
                    f"{clean_line(detail)}{took}")

    def tick(self) -> None:
        pass

    def end(self) -> None:
        pass

    def _write(self, line: str) -> None:
        self._stream.write(line + "\n")
        self._stream.flush()


class BarProgress:
    """A bar redrawn in place: students done, the ones being graded, elapsed and remaining time."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._counts = _Counts()
        self._drawn = 0.0
        self._problems: list[str] = []

    def begin(self, total: int, jobs: int) -> None:
        self._counts.begin(total, jobs)
        self._draw(force=True)

    def started(self, student: str) -> None:
        self._counts.started(student)
        self._draw()

    def finished(self, student: str, outcome: str, detail: str, seconds: Optional[float]) -> None:
        self._counts.finished(student, seconds)
        if outcome in ("error", "missing", "incomplete", "grader_error"):
            # Problems stay on screen above the bar.
            self._clear()
            self._stream.write(f"{outcome}: {clean_line(student)}: {clean_line(detail)}\n")
        self._draw(force=True)

    def tick(self) -> None:
        self._draw()

    def end(self) -> None:
        self._draw(force=True)
        self._stream.write("\n")
        self._stream.flush()

    def _clear(self) -> None:
        self._stream.write("\r\033[K")

    def _draw(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._drawn < 0.2:
            return
        self._drawn = now
        counts = self._counts
        width = 24
        filled = int(width * counts.done / counts.total) if counts.total else width
        remaining = counts.remaining()
        left = f" ~{duration(remaining)} left" if remaining is not None and counts.done < counts.total else ""
        line = (f"[{'#' * filled}{'.' * (width - filled)}] {counts.done}/{counts.total}  "
                f"{duration(counts.elapsed())}{left}")
        if counts.current:
            line += "  now: " + ", ".join(clean_line(student) for student in sorted(counts.current))
        columns = shutil.get_terminal_size((100, 20)).columns
        if len(line) > columns - 1:
            line = line[: max(10, columns - 4)] + "..."
        self._clear()
        self._stream.write(line)
        self._stream.flush()


def make_progress(stream: TextIO) -> Progress:
    """A bar on a terminal, log lines otherwise."""
    isatty = getattr(stream, "isatty", None)
    return BarProgress(stream) if isatty is not None and isatty() else LogProgress(stream)
