"""The ``grader new`` command: a thin layer over :mod:`grader.new`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

__all__ = ["new"]


@click.command()
@click.argument("exercise_id", metavar="ID")
@click.option("--title", help="The exercise's title (default: from its id).")
@click.option("--languages", default="", metavar="c,fortran",
              help="Also C and/or Fortran skeletons and references, with their binding (comma-separated).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The course configuration (default: the nearest config.yaml, else a new one here).")
def new(exercise_id: str, title: Optional[str], languages: str, config_path: Optional[Path]) -> None:
    """Scaffold the exercise ID in the course folder: skeleton, README, reference, checks, hidden checks and its
    entry in config.yaml, working at once (the reference passes, the skeleton scores 0)."""
    from grader.config import CONFIG_NAME, find_config, load_config
    from grader.errors import ConfigError
    from grader.exercise import load_exercise
    from grader.new import scaffold_exercise

    if config_path is None:
        try:
            config_path = find_config()
        except ConfigError:
            config_path = Path.cwd() / "config.yaml"
    if config_path.name != CONFIG_NAME:
        from grader.errors import UsageError

        raise UsageError(f"--config {config_path}: grader new writes a course's {CONFIG_NAME}; pass that file (it "
                         "need not exist yet)")
    chosen = tuple(name.strip() for name in languages.split(",") if name.strip())
    made = scaffold_exercise(config_path.parent, exercise_id, title=title, languages=chosen)
    load_exercise(load_config(made.config).exercise(exercise_id), hidden=True)  # it loads as written
    for name in made.files:
        click.echo(f"wrote {name}")
    click.echo(f"added {exercise_id} to {made.config}; try: {_try_command(made.config, exercise_id)}")


def _try_command(config: Path, exercise_id: str) -> str:
    """The command that checks the new exercise's reference, as typed from here: its path from this folder, and
    ``--config`` when ``grader check`` would not find that configuration by itself."""
    import os

    from grader.config import find_config
    from grader.errors import ConfigError

    reference = os.path.relpath(config.parent / "reference" / f"{exercise_id}.py")
    try:
        found = find_config().resolve() == config.resolve()
    except ConfigError:
        found = False
    option = "" if found else f" --config {os.path.relpath(config)}"
    return f"grader check {exercise_id} --path {reference} --all{option}"
