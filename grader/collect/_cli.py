"""The ``grader collect`` command: a thin layer over :func:`grader.collect.collect_reports`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from grader.errors import UsageError

__all__ = ["collect"]


@click.command()
@click.argument("artifacts", type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Where the reports, gradebook.csv, index.html and collected.json go.")
@click.option("--exercise", "exercises", multiple=True, metavar="ID",
              help="An exercise to collect (repeat for several; default: every exercise of config.yaml).")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="The course configuration (default: the nearest config.yaml).")
@click.option("--key-file", "key_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The key the CI runs sign reports with (default: $GRADER_REPORT_KEY); every report must then "
                   "carry a report.sig that verifies.")
@click.option("--roster", "roster_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The class's ids (repository names), one per line or in the first column of a CSV: a report "
                   "naming anyone else is flagged.")
def collect(artifacts: Path, out: Path, exercises: tuple[str, ...], config_path: Optional[Path],
            key_file: Optional[Path], roster_path: Optional[Path]) -> None:
    """Merge the report.json files of CI runs found in ARTIFACTS (a folder or a zip, searched recursively,
    zips included) into the gradebook and class overview of OUT, as grader grade writes them.

    Each report's exercise, grader version and configuration are verified, and who it
    belongs to: the folder of ARTIFACTS it came from, the roster, the signature (see
    docs/ci.md, "Trust"); reports that differ are flagged, here and in
    OUT/collected.json, and a report that does not verify never replaces one that does.
    Exits 0 when the collection completed, whatever the flags.
    """
    from grader.collect import collect_reports
    from grader.collect._collect import read_roster
    from grader.config import load_config
    from grader.grade._gradebook import coverage
    from grader.signature import key_from_environment

    config = load_config(config_path)
    key = key_file.read_bytes().strip() if key_file is not None else key_from_environment()
    if key_file is not None and not key:
        raise UsageError(f"{key_file} is empty: give the file holding the key the CI runs sign reports with")
    roster = read_roster(roster_path) if roster_path is not None else None
    result = collect_reports(config, artifacts, out, exercises=exercises or None, key=key, roster=roster)
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
    hidden = [report.student for report in result.reports if coverage([report]) != "public"]
    if hidden:  # a run made with `grader check --all`, where the hidden checks are: its row says public+hidden
        click.echo(f"hidden checks ran in the reports of {', '.join(clean_line(name) for name in hidden)} (their "
                   "gradebook rows say public+hidden); the others' scores are of the public checks only")
    else:
        click.echo("scores of the public checks only (the CI runs have no hidden checks): 'grader grade' on the "
                   "submissions adds the hidden checks")
    click.echo("signatures verified with the key" if key else
               "no key (GRADER_REPORT_KEY or --key-file): signatures not checked, see docs/ci.md, 'Trust'")
