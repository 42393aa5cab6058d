"""The ``grader doctor`` command: the sandbox's self-test, for instructors before they grade a class."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import click

from grader.errors import EXIT_FAILED, EXIT_OK, ConfigError


@click.command()
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="Use the limits of this course configuration (default: the nearest config.yaml, if any).")
def doctor(config_path: Optional[Path]) -> None:
    """Check which protections the sandbox has on this machine, by trying to break out of it."""
    from grader.config import load_config
    from grader.sandbox.doctor import run_doctor

    limits = None
    try:
        limits = load_config(config_path).limits
        source = "limits of the course configuration"
    except ConfigError:
        if config_path is not None:
            raise
        source = "default limits (no config.yaml found)"
    report = run_doctor(limits=limits)
    click.echo(f"sandbox self-test ({source}):")
    for line in report.lines():
        click.echo(f"  {line}")
    from grader.sandbox.compile import LANGUAGES, self_test

    click.echo("compilers (for C and Fortran submissions):")
    for language in LANGUAGES:
        click.echo(f"  {self_test(language)}")
    if report.ok:
        click.echo("every protection that could be tried held (ok); the others are listed as the worker reported them")
    else:
        click.echo("a protection reported as active did NOT hold: do not grade untrusted code here", err=True)
    sys.exit(EXIT_OK if report.ok else EXIT_FAILED)
