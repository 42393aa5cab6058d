"""The ``grader grade`` command: a thin layer over :func:`grader.grade.grade_class`."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import click

if TYPE_CHECKING:
    from grader.results import Report


__all__ = ["grade"]


def _stop_on_terminate() -> None:
    """SIGTERM (``kill``) stops the run like Ctrl-C: jobs ended, scratch area removed, finished reports kept."""
    def interrupt(_signal: int, _frame: object) -> None:
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, interrupt)
    except (ValueError, OSError):  # not the main thread, or not supported here
        pass


@click.command()
@click.argument("submissions", type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="Where the reports, gradebook.csv and index.html go (created; reused by the next run).")
@click.option("--exercise", "exercises", multiple=True, metavar="ID",
              help="An exercise to grade (repeat for several; default: every exercise of config.yaml).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Students graded at once.  [default: the number of CPU cores]")
@click.option("--force", is_flag=True, help="Regrade every student, even those whose report is still valid.")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="The course configuration (default: the nearest config.yaml).")
@click.option("--no-sandbox", is_flag=True, help="Run the students' code without isolation: only for code you trust.")
@click.option("--shard", "shard_text", metavar="K/N",
              help="Grade only the K-th of N shares of the class (by a hash of the student id); join the N "
                   "output folders with 'grader merge'.")
def grade(submissions: Path, out: Path, exercises: tuple[str, ...], jobs: Optional[int], force: bool,
          config_path: Optional[Path], no_sandbox: bool, shard_text: Optional[str]) -> None:
    """Grade every submission of the folder SUBMISSIONS (or a Moodle zip) into OUT.

    Each entry of SUBMISSIONS is one student: a folder, a .py file, or a .zip of
    either; Moodle's "download all submissions" export is understood.  The
    submissions are never modified.  Run it again after an interruption: only
    what is missing or changed is graded.  Exits 0 when grading completed,
    whatever the students' scores; 2 when SUBMISSIONS holds no submission.
    """
    from grader.config import load_config
    from grader.grade import grade_class, make_progress
    from grader.merge import parse_shard

    shard = parse_shard(shard_text) if shard_text is not None else None
    config = load_config(config_path)
    _stop_on_terminate()
    progress = make_progress(sys.stderr)
    try:
        result = grade_class(config, submissions, out, exercises=exercises or None, jobs=jobs, force=force,
                             sandbox=not no_sandbox, progress=progress, shard=shard)
    except KeyboardInterrupt:
        click.echo("interrupted: the reports written so far are kept; run the same command again to finish",
                   err=True)
        raise click.exceptions.Abort() from None
    click.echo(result.summary())
    _end_on_exercise_errors(result.reports)


def _end_on_exercise_errors(reports: tuple[Report, ...]) -> None:
    """Exit with ``EXIT_GRADER_ERROR`` when a student met an error of the exercise itself (a check or binding that
    broke): the reports are written, but those grades wait for the exercise to be fixed and the run repeated."""
    from grader.errors import EXIT_GRADER_ERROR
    from grader.grade import student_status
    from grader.render._view import clean_line

    met = [report.student for report in reports if student_status(report) == "grader_error"]
    if met:
        click.echo(f"{len(met)} student{'s' if len(met) != 1 else ''} met an error of the exercise itself "
                   f"(grader_error): {', '.join(clean_line(name) for name in met)}; their reports say where it is: "
                   "fix the exercise and run the same command again", err=True)
        sys.exit(EXIT_GRADER_ERROR)
