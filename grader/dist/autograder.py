"""What a Gradescope bundle's ``run_autograder`` runs: ``python -m grader.dist.autograder``.

It finds each exercise's module in the submission folder, grades it with the
public and the hidden checks (student code in the isolated worker), and writes
Gradescope's ``results.json``.  Whatever happens, a ``results.json`` is written,
so the student always sees a message rather than a silent failure.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path
from typing import Optional

import click

from grader import _atomic
from grader.config import ExerciseConfig, load_config
from grader.grading import grade_submission
from grader.render.gradescope import render_gradescope_json

__all__ = ["find_module", "run", "main"]

_JUNK = {"__MACOSX", "__pycache__", ".git", "grader", "venv", ".venv"}


def find_module(submission: Path, exercise: ExerciseConfig) -> Optional[Path]:
    """The student's file for ``exercise``: at its place in the course layout, at the top, or the shallowest one;
    a Python module may be handed in as a Jupyter notebook of the same name (``MODULE.ipynb``), looked for
    the same way when there is no module."""
    layout = exercise.skeleton.relative_to(exercise.root) if exercise.skeleton.is_absolute() else exercise.skeleton
    names = [exercise.module]
    if Path(exercise.module).suffix == ".py" and exercise.kind != "program":
        names.append(Path(exercise.module).with_suffix(".ipynb").name)
    for name in names:
        for candidate in (submission / layout.with_name(name), submission / name):
            if candidate.is_file():
                return candidate
        found = [path for path in submission.rglob(name)
                 if path.is_file() and not _JUNK.intersection(path.relative_to(submission).parts)
                 and not any(part.startswith(".") for part in path.relative_to(submission).parts)]
        if found:
            return min(found, key=lambda path: (len(path.parts), str(path)))
    return None


def _write(results: Path, text: str) -> None:
    _atomic.write_text(results, text)


def run(config_path: Path, submission: Path, results: Path, *, student: str = "submission") -> int:
    """Grade ``submission`` into ``results``; 0 when graded (whatever the score), 1 when the grader failed."""
    try:
        config = load_config(config_path)
        modules = {exercise_id: find_module(submission, exercise)
                   for exercise_id, exercise in config.exercises.items()}
        report = grade_submission(config, modules, student=student, hidden=True, sandbox=True)
        _write(results, render_gradescope_json(report))
        return 0
    except Exception as error:  # the student must still get a result, and the instructor the cause
        traceback.print_exc()
        _write(results, json.dumps({
            "score": 0.0, "execution_time": 0, "tests": [],
            "output": f"The autograder could not grade this submission ({type(error).__name__}: {error}). "
                      "This is not a problem of your code: tell your instructor."}, indent=2) + "\n")
        return 1


@click.command()
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), required=True)
@click.option("--submission", type=click.Path(path_type=Path, file_okay=False), required=True)
@click.option("--results", type=click.Path(path_type=Path, dir_okay=False), required=True)
def main(config_path: Path, submission: Path, results: Path) -> None:
    """Grade a Gradescope submission and write results.json."""
    sys.exit(run(config_path, submission, results))


if __name__ == "__main__":
    main()
