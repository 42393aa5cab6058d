"""The ``grader`` command's entry point (and ``python -m grader``'s).

It imports :mod:`grader.cli`, whose libraries (click, numpy, Hypothesis) take a few tenths of a second to load:
a Ctrl-C meanwhile ends the command as one during a grading does (``aborted``, exit code 130), not with a
traceback of the imports.  Everything else is :func:`grader.cli.run`'s.
"""

from __future__ import annotations

import sys

from grader.errors import EXIT_INTERRUPTED


def run() -> None:
    try:
        from grader.cli import run as run_command
    except KeyboardInterrupt:
        print("aborted", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    run_command()
