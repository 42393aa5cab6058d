"""The ``grader dist`` command: a thin layer over :mod:`grader.dist`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from grader.dist.policy import DEFAULT_POLICY, POLICIES

__all__ = ["dist"]


@click.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--gradescope", is_flag=True,
              help="Build a Gradescope autograder bundle (OUT is a .zip, with the hidden checks) instead.")
@click.option("--exercise", "exercises", multiple=True, metavar="ID",
              help="An exercise to include (repeat for several; default: every exercise of config.yaml).")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="The course configuration (default: the nearest config.yaml).")
@click.option("--fail-on", type=click.Choice(POLICIES), default=DEFAULT_POLICY, show_default=True,
              help="The workflow's initial failure policy (students' repository; editable in grade.yml).")
@click.option("--no-classroom", is_flag=True, help="Do not send points to GitHub Classroom from the workflow.")
@click.option("--python", "python_version", default="3.10", show_default=True,
              help="The Python version of the workflow.")
@click.option("--force", is_flag=True, help="Replace OUT if it is an earlier output of this command.")
@click.option("--notebooks", is_flag=True,
              help="Give each Python exercise as a Jupyter notebook (instructions, skeleton, a cell that checks it) "
                   "in place of its .py skeleton.")
def dist(out: Path, gradescope: bool, exercises: tuple[str, ...], config_path: Optional[Path], fail_on: str,
         no_classroom: bool, python_version: str, force: bool, notebooks: bool) -> None:
    """Build the students' starter repository in OUT (or, with --gradescope, the autograder zip OUT).

    The repository holds the skeletons, the exercises' READMEs, the data, a
    config.yaml without hidden checks, a copy of the grader and a GitHub Actions
    workflow; never the reference solutions or the hidden checks.
    """
    from grader.config import load_config
    from grader.dist import build_gradescope_bundle, build_student_repo

    config = load_config(config_path)
    if gradescope:
        bundle = build_gradescope_bundle(config, out, exercises=exercises or None, force=force)
        click.echo(f"Gradescope autograder written to {bundle.path} ({len(bundle.files)} files; "
                   f"exercises: {', '.join(bundle.exercises)}): upload it as the assignment's autograder")
        if len(bundle.exercises) > 1:
            total = sum(config.exercise(exercise_id).max_score for exercise_id in bundle.exercises)
            click.echo(f"note: a submission is scored out of all {len(bundle.exercises)} exercises ({total:g} "
                       "points); for an assignment of one exercise, build its own bundle with --exercise ID")
        return
    repo = build_student_repo(config, out, exercises=exercises or None, fail_on=fail_on,
                              classroom=not no_classroom, python=python_version, force=force,
                              notebooks=notebooks)
    click.echo(f"student repository written to {repo.root} ({len(repo.files)} files; "
               f"exercises: {', '.join(repo.exercises)}): push it as the assignment's template repository")
