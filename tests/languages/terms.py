"""What a C or Fortran student must never read in their report: a Python exception's name or a numpy idiom, or a
number left counted from 0 as Python counts (still marked as such: see :func:`grader.authoring.index`).

The report is read as the student sees it (the terminal's verbose text, Markdown without figures, the CI
formats) and as ``report.json`` holds it (messages, hints, counterexamples, notes); what the student's own code
printed is theirs, and left out.
"""

from __future__ import annotations

import builtins
import dataclasses
import re

from grader.render.ci import render_ci
from grader.render.markdown import render_markdown
from grader.render.terminal import render_text
from grader.results import Report

__all__ = ["PYTHON_TERMS", "python_terms"]

# "Warning" alone is also the compilers' word for their warnings ("Warning: Unused dummy argument").
_EXCEPTIONS = sorted(name for name in dir(builtins) if isinstance(getattr(builtins, name), type)
                     and issubclass(getattr(builtins, name), BaseException) and name != "Warning")
#: A Python exception's name, a traceback, or a numpy call or idiom.
PYTHON_TERMS = re.compile(r"\b(?:" + "|".join(_EXCEPTIONS) + r"|Traceback)\b|\bnp\.\w|\bnumpy\b|\.copy\(\)"
                          r"|\bdtype\b|\.astype\(|\bndarray\b|\.shape\["
                          # A number a check marked as counted from 0 and no one counted the language's way.
                          "|[\ue000\ue001]|\\\\ue00[01]")


def python_terms(report: Report) -> list[str]:
    """The lines of ``report``'s views that speak Python (empty when none does)."""
    quiet = dataclasses.replace(report, output="")
    views = [render_text(quiet, verbose=True), render_markdown(quiet), render_ci(quiet, "gradescope", environ={}),
             render_ci(quiet, "junit", environ={}), quiet.to_json()]
    return sorted({line.strip()[:240] for view in views for line in view.splitlines() if PYTHON_TERMS.search(line)})
