"""The ``grader`` command: a thin layer over the library functions.

Exit codes: 0 when every check passed, 1 when a check failed, 2 on a usage or
configuration error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import click

from grader import __version__
from grader.config import CourseConfig, load_config
from grader.errors import EXIT_FAILED, EXIT_OK, GraderError, UsageError
from grader.grading import grade_submission

__all__ = ["main", "cli"]


def _config(path: Optional[Path]) -> CourseConfig:
    return load_config(path)


def _pick_exercise(config: CourseConfig, exercise: Optional[str]) -> str:
    if exercise:
        config.exercise(exercise)  # raises with the list of known exercises
        return exercise
    if len(config.exercises) == 1:
        return next(iter(config.exercises))
    raise UsageError(f"say which exercise to check: one of {', '.join(sorted(config.exercises))}")


def _use_colour(stream) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="grader")
def cli() -> None:
    """Property-based autograder for the course's exercises."""


@cli.command()
@click.argument("exercise", required=False)
@click.option("--path", "module_path", type=click.Path(path_type=Path),
              help="The module to check (default: the exercise's file in this repository).")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="The course configuration (default: the nearest config.yaml).")
@click.option("--all", "include_hidden", is_flag=True, help="Also run the hidden checks, where present.")
@click.option("--no-sandbox", is_flag=True, help="Run the code in this process: only for code you trust.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print the report.")
@click.option("--verbose", "-v", is_flag=True, help="Show full counterexamples, tracebacks and your code's output.")
def check(exercise: Optional[str], module_path: Optional[Path], config_path: Optional[Path], include_hidden: bool,
          no_sandbox: bool, output_format: str, verbose: bool) -> None:
    """Check your solution of EXERCISE and print what passes and what does not."""
    config = _config(config_path)
    exercise_id = _pick_exercise(config, exercise)
    path = module_path if module_path is not None else config.exercise(exercise_id).skeleton
    if not path.is_file():
        raise UsageError(f"{path} not found: pass the file to check with --path")
    report = grade_submission(config, {exercise_id: path}, student=path.stem, hidden=include_hidden,
                              sandbox=not no_sandbox)
    if output_format == "json":
        click.echo(report.to_json())
    else:
        from grader.render.terminal import render_text

        click.echo(render_text(report, colour=_use_colour(sys.stdout), verbose=verbose))
    sys.exit(EXIT_OK if report.passed else EXIT_FAILED)


def main(argv: Optional[list[str]] = None) -> None:
    """Entry point of the ``grader`` console script."""
    try:
        cli.main(args=argv, prog_name="grader", standalone_mode=False)
    except GraderError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except SystemExit:
        raise
    sys.exit(EXIT_OK)
