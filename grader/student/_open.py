"""Choosing how to run a submission: in the isolated worker (default) or in process (trusted)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

from grader.config import ExerciseConfig, Limits
from grader.student._base import ExerciseLoadError, Student, StudentLoadError
from grader.student._inprocess import InProcessStudent

if TYPE_CHECKING:
    from grader.student._worker import WorkerStudent


def open_student(path: Path, exercise: ExerciseConfig, limits: Limits, *, sandbox: bool = True) -> Student:
    """Load the student's module at ``path`` for ``exercise``; raises ``StudentLoadError`` when it cannot.

    An exercise of kind ``program`` gets a :class:`~grader.student._program.ProgramStudent`, which runs
    the whole program (always in the sandbox) instead of calling functions.
    """
    if exercise.kind == "program":
        from grader.student._program import open_program

        return open_program(path, exercise, limits, sandbox=sandbox)  # type: ignore[return-value]
    if not sandbox:
        if exercise.language != "python":
            from grader.student._languages import CompiledInProcessStudent

            return CompiledInProcessStudent(path, exercise, limits)
        if Path(path).suffix.lower() == ".ipynb":
            from grader.student._inprocess import left_out_of
            from grader.student._notebook import left_out_note, read_notebook
            from grader.sources import graded_functions

            notebook = read_notebook(Path(path), graded=graded_functions(exercise))
            student = InProcessStudent(path, output_limit=limits.output_kb * 1024, cells=notebook.cells,
                                       notes=notebook.notes)
            student.notes = (*student.notes, *left_out_note(Path(path).name, left_out_of(student.module)))
            return student
        return InProcessStudent(path, output_limit=limits.output_kb * 1024)
    return _in_worker(path, exercise, limits, deferred=False)


def _in_worker(path: Path, exercise: ExerciseConfig, limits: Limits, *, deferred: bool) -> WorkerStudent:
    from grader.student._pace import Pace
    from grader.student._worker import WorkerStudent

    # Python's reference whatever the submission's language: trusted, and run in this process.
    reference = exercise.reference
    pace = (Pace(reference, factor=limits.reference_factor, floor=limits.reference_floor)
            if reference is not None and Path(reference).suffix == ".py" and Path(reference).is_file() else None)
    return WorkerStudent(path, exercise=exercise, limits=limits, pace=pace, deferred=deferred)


class StudentOpening:
    """A submission being loaded while the grader does something else: its worker starts at once and loads the
    code on another core while the grader loads the exercise's checks (a tenth of a second each, at every grading).

    Only a file the worker loads without knowing the checks is started early (not a notebook, which is read
    knowing the functions the checks call, nor a whole program, nor code run in process); any other is opened by
    :meth:`student`, as :func:`open_student` opens it.  Whatever the way, :meth:`student` returns or raises what
    :func:`open_student` would; :meth:`cancel` ends a worker that will not be used.
    """

    def __init__(self, path: Path, exercise: ExerciseConfig, limits: Limits, *, sandbox: bool = True) -> None:
        self._path, self._limits, self._sandbox = Path(path), limits, sandbox
        self._started: Optional[WorkerStudent] = None
        self._error: Optional[Exception] = None
        if sandbox and exercise.kind != "program" and self._path.suffix.lower() != ".ipynb":
            try:
                self._started = _in_worker(self._path, exercise, limits, deferred=True)
            except (StudentLoadError, ExerciseLoadError) as error:
                self._error = error  # raised by student(), where open_student would have raised it

    def student(self, exercise: ExerciseConfig) -> Student:
        """The loaded submission, for ``exercise`` as the loaded checks complete it (the functions they call);
        raises ``StudentLoadError`` or ``ExerciseLoadError`` as :func:`open_student` does."""
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        started, self._started = self._started, None
        if started is None:
            return open_student(self._path, exercise, self._limits, sandbox=self._sandbox)
        started.finish_loading()
        return started

    def cancel(self) -> None:
        """End the worker started for nothing (the exercise's checks did not load)."""
        started, self._started = self._started, None
        if started is not None:
            started.close()
