"""What a Gradescope bundle's ``run_autograder`` runs: ``python -m grader.dist.autograder``.

It finds each exercise's file in the submission folder, in any of the exercise's languages (at the top or
in the course's layout), grades it with the
public and the hidden checks (student code in the isolated worker), and writes
Gradescope's ``results.json``.  Whatever happens, a ``results.json`` is written,
so the student always sees a message rather than a silent failure.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import traceback
from pathlib import Path
from typing import Optional

import click

from grader import _atomic
from grader.sources import Candidate, Choice, choose, file_names
from grader.config import ExerciseConfig, load_config
from grader.grading import grade_submission
from grader.render.gradescope import render_gradescope_json

__all__ = ["find_module", "run", "main"]

_JUNK = {"__MACOSX", "__pycache__", ".git", "grader", "venv", ".venv"}


def _find_files(submission: Path, module: str, layout: Path) -> list[Path]:
    """The files ``module`` in the submission, in order: at ``layout`` (its place in the course layout), at the top,
    then the others, shallowest first."""
    found = [path for path in submission.rglob(module)
             if path.is_file() and not _JUNK.intersection(path.relative_to(submission).parts)
             and not any(part.startswith(".") for part in path.relative_to(submission).parts)]
    ordered = [candidate for candidate in (submission / layout, submission / module) if candidate.is_file()]
    ordered += sorted(found, key=lambda path: (len(path.parts), str(path)))
    return list(dict.fromkeys(ordered))


def _layout(exercise: ExerciseConfig, skeleton: Path) -> Path:
    return skeleton.relative_to(exercise.root) if skeleton.is_absolute() else skeleton


def find_module(submission: Path, exercise: ExerciseConfig) -> Optional[Choice]:
    """The student's file for ``exercise``, in any of its languages and names (each at its place in the course
    layout, at the top, or deeper): of several, the one completed (see :func:`grader.sources.choose`), so that a
    skeleton left as it was never hides the file the student wrote (a clone's skeleton in the course layout
    beside the completed file at the top, a module's skeleton beside its completed notebook)."""
    found = []
    for language, names, skeleton in file_names(exercise):
        for name in names:
            try:
                layout = _layout(exercise, Path(skeleton)).with_name(name)
            except ValueError:
                layout = Path(name)
            found += [Candidate(language, path) for path in _find_files(submission, name, layout)]
    return choose(found, program=exercise.kind == "program", root=submission, shipped=exercise.shipped)


def _write(results: Path, text: str) -> None:
    _atomic.write_text(results, text)


def run(config_path: Path, submission: Path, results: Path, *, student: str = "submission") -> int:
    """Grade ``submission`` into ``results``; 0 when graded (whatever the score), 1 when the grader failed."""
    try:
        config = load_config(config_path)
        found = {exercise_id: find_module(submission, exercise) for exercise_id, exercise in config.exercises.items()}
        modules = {exercise_id: choice.path if choice else None for exercise_id, choice in found.items()}
        languages = {exercise_id: choice.language for exercise_id, choice in found.items() if choice}
        report = grade_submission(config, modules, student=student, hidden=True, sandbox=True, languages=languages)
        notes = tuple(choice.note for choice in found.values() if choice and choice.note)
        if notes:
            report = dataclasses.replace(report, notes=(*report.notes, *notes))
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
