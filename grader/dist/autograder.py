"""What a Gradescope bundle's ``run_autograder`` runs: ``python -m grader.dist.autograder``.

It reads the submission folder as ``grader grade`` reads a student's folder (a copy of it: the same file found
for each exercise, in any of its languages, and read the same way; see :mod:`grader.grade._prepare`), grades it
with the public and the hidden checks (student code in the isolated worker), and writes
Gradescope's ``results.json``.  Whatever happens, a ``results.json`` is written,
so the student always sees a message rather than a silent failure.
"""

from __future__ import annotations

import json
import sys
import tempfile
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Optional

import click

from grader import _atomic
from grader.sources import Choice
from grader.config import ExerciseConfig, load_config
from grader.grading import grade_submission
from grader.render.gradescope import render_gradescope_json

if TYPE_CHECKING:
    from grader.grade._prepare import Prepared

__all__ = ["find_module", "run", "main"]


def find_module(submission: Path, exercise: ExerciseConfig) -> Optional[Choice]:
    """The student's file for ``exercise``, as ``grader grade`` finds it in a student's folder (see
    :func:`grader.grade._prepare.locate`): in any of its languages and names, at its place in the course layout,
    at the top, or deeper (the name matched whatever its case), else the only source file of its language; of
    several, the one completed (see :func:`grader.sources.choose`), so that a skeleton left as it was never hides
    the file the student wrote."""
    from grader.grade._prepare import locate

    return locate(submission, exercise)


def _prepared(submission: Path, exercises: Mapping[str, ExerciseConfig], scratch: Path) -> Prepared:
    """The upload copied into ``scratch`` and read as ``grader grade`` reads a student's folder: the same files
    found, the same encodings converted, the same notes, the same messages for what is missing."""
    from grader.grade._discover import Part, Submission
    from grader.grade._paths import is_junk
    from grader.grade._prepare import prepare

    entries = sorted(entry for entry in submission.iterdir() if not is_junk(entry.name)) \
        if submission.is_dir() else []
    parts = tuple(Part(entry, entry.name) for entry in entries)
    return prepare(Submission(id="submission", name="", parts=parts, source=submission.name), scratch, exercises)


def _write(results: Path, text: str) -> None:
    _atomic.write_text(results, text)


def run(config_path: Path, submission: Path, results: Path, *, student: str = "submission") -> int:
    """Grade ``submission`` into ``results``; 0 when graded (whatever the score), 1 when the grader failed."""
    try:
        from grader.grade._outputs import with_notes, with_problems

        config = load_config(config_path)
        with tempfile.TemporaryDirectory(prefix="grader-submission-") as scratch:
            prepared = _prepared(submission, config.exercises, Path(scratch))
            report = grade_submission(config, dict(prepared.modules), student=student, hidden=True, sandbox=True)
        report = with_notes(with_problems(report, prepared.problems), prepared.notes)
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
