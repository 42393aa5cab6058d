"""Choosing how to run a submission: in the isolated worker (default) or in process (trusted)."""

from __future__ import annotations

from pathlib import Path

from grader.config import ExerciseConfig, Limits
from grader.student._base import Student
from grader.student._inprocess import InProcessStudent


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
    from grader.student._pace import Pace
    from grader.student._worker import WorkerStudent

    # Python's reference whatever the submission's language: trusted, and run in this process.
    reference = exercise.reference
    pace = (Pace(reference, factor=limits.reference_factor, floor=limits.reference_floor)
            if reference is not None and Path(reference).suffix == ".py" and Path(reference).is_file() else None)
    return WorkerStudent(path, exercise=exercise, limits=limits, pace=pace)
