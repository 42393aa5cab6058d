"""The ``grader merge`` command: a thin layer over :func:`grader.merge.merge_outputs`."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["merge"]


@click.command()
@click.argument("shards", nargs=-1, required=True, type=click.Path(path_type=Path, file_okay=False))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Where the merged reports, gradebook.csv and index.html go.")
def merge(shards: tuple[Path, ...], out: Path) -> None:
    """Merge the output folders SHARDS of 'grader grade --shard K/N' (all N of them) into OUT.

    OUT then holds every student's report, gradebook.csv and index.html, exactly as
    if the whole class had been graded in one run.
    """
    from grader.merge import merge_outputs

    click.echo(merge_outputs(list(shards), out).summary())
