"""The ``grader collect`` command: a thin layer over :func:`grader.collect.collect_reports`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

__all__ = ["collect"]


@click.command()
@click.argument("artifacts", type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Where the reports, gradebook.csv, index.html and collected.json go.")
@click.option("--exercise", "exercises", multiple=True, metavar="ID",
              help="An exercise to collect (repeat for several; default: every exercise of config.yaml).")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="The course configuration (default: the nearest config.yaml).")
def collect(artifacts: Path, out: Path, exercises: tuple[str, ...], config_path: Optional[Path]) -> None:
    """Merge the report.json files of CI runs found in ARTIFACTS (a folder or a zip, searched recursively,
    zips included) into the gradebook and class overview of OUT, as grader grade writes them.

    Each report's exercise, grader version and configuration are verified; reports
    that differ are flagged, here and in OUT/collected.json.  Exits 0 when the
    collection completed, whatever the flags.
    """
    from grader.collect import collect_reports
    from grader.config import load_config

    config = load_config(config_path)
    result = collect_reports(config, artifacts, out, exercises=exercises or None)
    from grader.render._view import clean_line

    # Paths, ids and reasons come from the students' CI artifacts: printed harmless, one line each.
    for source in result.rejected:
        click.echo(f"skipped {clean_line(source.source)}: {clean_line(source.reason)}", err=True)
    for source in result.flagged:
        for flag in source.flags:
            click.echo(f"flagged {clean_line(source.source)} ({clean_line(source.student)}): {clean_line(flag)}",
                       err=True)
    used = sum(1 for source in result.sources if source.status == "used")
    click.echo(f"collected {used} report(s) of {len(result.reports)} student(s): {len(result.flagged)} flagged, "
               f"{len(result.rejected)} skipped; gradebook {result.files['gradebook']}, "
               f"overview {result.files['overview']}, details {result.files['manifest']}")
    click.echo("scores of the public checks only (the CI runs have no hidden checks): 'grader grade' on the "
               "submissions adds the hidden checks")
