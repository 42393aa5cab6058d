"""Checking from inside a notebook: ``import grader; grader.check("ID")`` in a cell.

What is graded is the code the kernel ran, as the kernel's input history holds it (IPython's ``In``): every
cell run so far, in the order it ran, each named by its prompt (``In [4]``).  The same history exists in
Jupyter, JupyterLab, VS Code, Colab and a terminal IPython, whether or not the notebook was saved; a cell run
twice counts as run twice, so the latest definition wins, as in the kernel.  Those cells become a notebook
(:mod:`grader.student._notebook`: magics dropped, only definitions run, a cell that does not parse skipped, as
it never ran) graded like any submission: in the isolated worker, never with the kernel's live objects.  To
grade the notebook as it reads from the top, restart the kernel and run all its cells.

The result, a :class:`NotebookReport`, shows itself as the HTML report (``report.html``, figures included, in
an isolated frame) under the cell, and as the text report where there is no HTML (a terminal IPython).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Union

from grader.errors import UsageError
from grader.results import Report

__all__ = ["check", "NotebookReport", "exercise_of_history", "history_notebook"]


@dataclass(frozen=True)
class NotebookReport:
    """A check's report, shown by IPython: HTML in a notebook, text in a terminal."""

    report: Report

    @property
    def score(self) -> float:
        return self.report.score

    @property
    def max_score(self) -> float:
        return self.report.max_score

    def _repr_html_(self) -> str:
        from grader.render.html import render_inline_html

        return render_inline_html(self.report)

    def __repr__(self) -> str:
        from grader.render.terminal import render_text

        return render_text(self.report)


def _shell() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:  # no IPython at all: plain Python
        shell = None
    else:
        shell = get_ipython()
    if shell is None or getattr(shell, "history_manager", None) is None:
        raise UsageError("grader.check() checks the code of a notebook's cells: call it in Jupyter, Colab or "
                         "IPython; to check a file, run 'grader check EXERCISE --path FILE' in a terminal")
    return shell


def _notebook_name(shell: Any) -> str:
    """The running notebook's file name where the front end tells it (Jupyter server, VS Code), else ""."""
    for found in (os.environ.get("JPY_SESSION_NAME"), shell.user_ns.get("__vsc_ipynb_file__")):
        if isinstance(found, str) and found.lower().endswith(".ipynb"):
            return Path(found).name
    return ""


def history_notebook(inputs: list[str], path: Path) -> Path:
    """Write the kernel's input history ``inputs`` (``In``: entry N is what prompt N ran) as the notebook
    ``path``, each cell with its prompt's number, marked as a history (see :mod:`grader.student._notebook`)."""
    import nbformat

    from grader.student._notebook import HISTORY_KEY

    cells = []
    for number, source in enumerate(inputs):
        if number == 0 or not str(source).strip():
            continue
        cell = nbformat.v4.new_code_cell(str(source))
        cell.execution_count = number
        cells.append(cell)
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata[HISTORY_KEY] = True
    nbformat.write(notebook, str(path))
    return path


def check(exercise: Optional[str] = None, *, config: Union[str, Path, None] = None,
          hidden: bool = False) -> NotebookReport:
    """Grade the functions this notebook's kernel defined for ``exercise`` and return the report to show.  Without
    ``exercise``: the course's only one, else the one the notebook's name or the functions its cells defined
    point to (see :func:`exercise_of_history`).  The course is the ``config.yaml`` found from the notebook's folder
    upwards, or ``config``."""
    from grader.config import load_config
    from grader.errors import ConfigError
    from grader.grading import grade_submission

    shell = _shell()
    try:
        course = load_config(Path(config) if config is not None else None)
    except ConfigError as error:
        if config is not None or "--config PATH" not in str(error):
            raise
        # In a notebook, the course is named with the function's argument, not the command's option.
        raise ConfigError(str(error).replace("run the command inside the course repository, or pass --config PATH",
                                             "open the notebook inside the course repository, or pass the course's "
                                             "config.yaml: grader.check(..., config=\"path/to/config.yaml\")")) \
            from None
    inputs = list(shell.history_manager.input_hist_raw)
    with tempfile.TemporaryDirectory(prefix="grader-notebook-") as folder:
        exercise_id = exercise or exercise_of_history(course, inputs, _notebook_name(shell), Path(folder))
        module = course.exercise(exercise_id).module  # raises with the list of exercises for an unknown one
        name = _notebook_name(shell) or Path(module).with_suffix(".ipynb").name
        path = history_notebook(inputs, Path(folder) / name)
        report = grade_submission(course, {exercise_id: path}, student=Path(name).stem, hidden=hidden)
    return NotebookReport(report)


def exercise_of_history(course: Any, inputs: list[str], notebook_name: str, folder: Path) -> str:
    """The exercise ``grader.check()`` without an id is for: the course's only one; else the one the notebook's
    name (``lab2.ipynb``) or the functions its cells defined point to, as ``grader grade`` tells a lone
    file's exercise.  When neither tells, the student is asked to name it."""
    from grader.sources import exercise_of

    if len(course.exercises) == 1:
        return next(iter(course.exercises))
    probe = folder / "probe"
    probe.mkdir(exist_ok=True)
    functions = {exercise_id: config for exercise_id, config in course.exercises.items() if config.kind != "program"}
    found = exercise_of(history_notebook(inputs, probe / (notebook_name or "notebook.ipynb")), functions).exercise
    if found is None:
        names = ", ".join(course.exercises)
        raise UsageError(f"grader.check() cannot tell which exercise this notebook is for: name it, for example "
                         f"grader.check({next(iter(functions or course.exercises))!r}) (this course's exercises: "
                         f"{names})")
    return found
