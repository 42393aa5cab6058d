"""The CI formats of ``grader check --format``: JUnit XML, Gradescope's results.json, GitHub Actions.

:func:`render_ci` returns the document to print or save; for ``github`` it also
appends the step summary and the step outputs to the files GitHub Actions names
in the environment (nothing happens outside Actions).
"""

from __future__ import annotations

import os
import socket
from typing import Mapping

from grader.results import Report

__all__ = ["CI_FORMATS", "render_ci"]

CI_FORMATS = ("junit", "gradescope", "github")


def render_ci(report: Report, output_format: str, *, environ: Mapping[str, str] = os.environ) -> str:
    """``report`` in ``output_format`` (one of :data:`CI_FORMATS`)."""
    if output_format == "junit":
        from grader.render.junit import render_junit

        return render_junit(report, hostname=socket.gethostname() or "localhost")
    if output_format == "gradescope":
        from grader.render.gradescope import render_gradescope_json

        return render_gradescope_json(report)
    if output_format == "github":
        from grader.render.github import append_to_workflow_files, render_github

        rendered = render_github(report)
        append_to_workflow_files(rendered, environ)
        return rendered.log
    raise ValueError(f"unknown CI format {output_format!r}: choose among {', '.join(CI_FORMATS)}")
