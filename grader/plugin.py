"""The interface an exercise implements: its pictures, its run on the course data, its words.

The core (the check runner, the reports, ``grader show``, the class overview)
knows no exercise.  What only an exercise knows lives in the exercise's own
package, behind one object, an :class:`ExercisePlugin`, that ``config.yaml``
names per exercise::

    exercises:
      myexercise:
        plugin: grader.exercises.myexercise   # a module with a module-level ``plugin`` object
        checks:                                # the checks stay listed here, with their points
          - grader.exercises.myexercise.checks

An exercise that names no plugin gets :data:`DEFAULT_PLUGIN`: no figure and no
run on the course data; its reports are complete all the same.  The older
``showcase: MODULE`` key (a module with ``run(student, exercise, *, seed)``)
still works: it is a plugin with that showcase and no drawing.

Reports record the plugin's module name per exercise (``plugin`` in
``report.json``) so that they can be drawn again from the report alone;
:func:`plugin_of` finds it back, and falls back to the default plugin when it
cannot be imported.
"""

from __future__ import annotations

import types

import importlib
import re
from pathlib import Path
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Sequence

from grader.errors import ConfigError

if TYPE_CHECKING:  # matplotlib is imported only when a figure is drawn
    from matplotlib.figure import Figure

    from grader.config import ExerciseConfig
    from grader.results import CheckResult, ExerciseResult
    from grader.student import Student

__all__ = ["ExercisePlugin", "FigureText", "DEFAULT_PLUGIN", "load_plugin", "plugin_for", "plugin_of"]

_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


@dataclass(frozen=True)
class FigureText:
    """The words that go with a figure: ``alt`` says what it shows to whom cannot see it, ``caption`` is printed
    under it ('' for none)."""

    alt: str
    caption: str = ""


class ExercisePlugin:
    """What an exercise adds to the core.  Subclass it and override what the exercise has.

    Every method has a default that adds nothing, so an exercise implements only
    what it shows.  One instance, the module-level ``plugin`` of the module that
    ``config.yaml`` names under ``plugin:``, serves every student.

    **The checks** are not here: they are ``@check`` functions
    (:mod:`grader.authoring`) in the modules that ``config.yaml`` lists under
    ``checks`` and ``hidden_checks``, each with its points under ``points``.

    **The contract every method keeps** (the core relies on it):

    * *Trusted side only.*  Every method runs in the grader's process.  Student
      code is reached only through the :class:`~grader.student.Student` given to
      :meth:`run_showcase` (``student.call("function", *args, **kwargs)``), which
      runs it in the sandbox and returns plain, validated data (numbers, strings,
      numpy arrays, tuples, lists); check it as a check would
      (:func:`grader.authoring.expect_array`...) before trusting it.
    * *Plain data in reports.*  What :meth:`run_showcase` returns is stored in
      ``report.json``: plain JSON only (dicts with string keys, lists, strings,
      booleans, finite numbers, ``None``); non-finite floats are written
      ``"nan"``, ``"inf"``, ``"-inf"`` as everywhere in reports
      (:func:`grader.authoring.plain` converts arrays and numpy numbers).
    * *Drawing from report data alone.*  The figure methods receive only what a
      report holds (a :class:`~grader.results.CheckResult` with its
      counterexample, the showcase's runs), never a student.  They return a
      ``matplotlib.figure.Figure`` built without pyplot (``Figure()``), or
      ``None`` when there is nothing worth drawing.  They must cope with any data
      a report may hold, including what a broken submission produced (wrong
      shapes, ``"nan"`` strings, missing keys): return ``None`` rather than
      guess.  An exception is caught by the core and becomes a note of the
      report, but do not rely on it.  Import matplotlib inside these methods,
      not at the top of the module: grading without reports does not pay for it.
    * *Never fail grading.*  An exception raised by :meth:`run_showcase` (student
      problems included: :class:`~grader.student.StudentRaised`,
      :class:`~grader.student.NotImplementedYet`,
      :class:`~grader.student.CallAborted`...) becomes the showcase's
      ``error``; scores never depend on the plugin.  Better: catch the student's
      problems per run and say them in the run's ``error``
      (:func:`grader.showcase.describe_problem` words them), so that the other
      runs still show.
    * *Reproducible and stateless.*  Use the ``seed`` given, never global random
      state; keep nothing between calls (several students may be graded at once).

    **The showcase** (what ``grader show`` and the report's picture run) is the
    student's code run on the course data, as the course's own program runs it.
    :meth:`run_showcase` returns it as this envelope, stored under
    ``exercises[i].showcase`` in ``report.json``::

        {"title": str,   # the heading of its section in reports ("your code on the course data")
         "error": str,   # "" or why nothing could run (the core sets it when run_showcase raises)
         "runs": [       # one entry per thing shown, e.g. per data file; may be empty
             {"file": str,   # what the run is on: a data file's name or a short label, unique in the list
              "error": str,  # "" or why this run failed: said instead of its lines and figure
              "note": str,   # optional: a remark shown under the run ("" for none)
              "summary": str,  # optional: what the run did, in one sentence (see showcase_lines)
              ...},          # anything else the exercise needs to describe and draw the run
             ...],
         ...}            # anything else: the exercise's own report data

    ``title`` and ``error`` may be left out (the core fills them in); ``runs``
    must be a list.  Everything beyond the envelope's keys is the exercise's own,
    free-form report data.
    """

    # --- counterexamples ----------------------------------------------------------------------------------------

    def counterexample_figure(self, check: CheckResult) -> Optional[Figure]:
        """A picture of the failing ``check``'s counterexample (``check.counterexample``, a dict of plain data
        as the check wrote it: its inputs, ``returned``, ``expected``, or ``function``/``args``/``traceback``
        for an exception; the values it marked as counted from 0 with :func:`grader.authoring.indices` counted
        from ``check.index_base``, as the student's language counts), or ``None``.  Called only for failed
        checks with a counterexample: by the reports for each of them, and by the class overview for the typical
        counterexample of a most-failed check."""
        return None

    def counterexample_text(self, check: CheckResult) -> FigureText:
        """The alternative text and caption of :meth:`counterexample_figure`'s picture."""
        return FigureText(alt=f"the example of {check.id}, yours and expected")

    # --- the showcase: the student's code on the course data ----------------------------------------------------

    @property
    def has_showcase(self) -> bool:
        """Whether :meth:`run_showcase` runs anything (``grader show`` refuses exercises without)."""
        return type(self).run_showcase is not ExercisePlugin.run_showcase

    def run_showcase(self, student: Student, exercise: ExerciseConfig, *, seed: int) -> Optional[dict[str, Any]]:
        """Run the student's code on the exercise's data (``exercise.data``, absolute paths) as the course's
        program does, and return the envelope described in the class documentation; ``None`` when the
        exercise has no showcase.  ``exercise`` is the configuration as this submission sees it (its
        ``language`` included); ``grader show --data TEXT`` narrows ``exercise.data`` before calling.
        Called once per graded submission, after its checks, and by ``grader show``."""
        return None

    def showcase_lines(self, run: dict[str, Any]) -> list[str]:
        """What the reports say under a run that has no ``error``: one sentence per item (default: its
        ``summary`` when it has one, then its ``note``)."""
        lines = [str(run["summary"])] if isinstance(run.get("summary"), str) and run["summary"] else []
        return lines + ([f"Note: {run['note']}"] if run.get("note") else [])

    def showcase_figure(self, runs: Sequence[dict[str, Any]], *, figure: Optional[Figure] = None) -> Optional[Figure]:
        """One picture of ``runs`` (runs of the envelope, possibly with an ``error``), side by side; ``None``
        when none of them can be drawn.  Reports call it with one run at a time, ``grader show`` with all.
        Draw on ``figure`` when given (a pyplot figure, for a window) and return it."""
        return None

    def showcase_text(self, run: dict[str, Any]) -> FigureText:
        """The alternative text and caption of the report's picture of one run."""
        return FigureText(alt=f"your code on {run.get('file', '')}")

    def summary_lines(self, showcase: dict[str, Any]) -> list[str]:
        """What ``grader show`` prints about the showcase in the terminal: one line per run (default:
        ``FILE: error`` or ``FILE: the report's lines``)."""
        lines = [str(showcase["error"])] if showcase.get("error") else []
        for run in showcase.get("runs", []):
            said = [str(run["error"])] if run.get("error") else self.showcase_lines(run)
            lines.append(f"{run.get('file', '')}: {'; '.join(said) or 'done'}")
        return lines


#: The plugin of an exercise that names none: no figure, no showcase.
DEFAULT_PLUGIN = ExercisePlugin()


class _ShowcaseModule(ExercisePlugin):
    """The plugin of an exercise configured with ``showcase: MODULE``: that module's ``run``, no drawing."""

    def __init__(self, module: str) -> None:
        self.module = module

    def run_showcase(self, student: Student, exercise: ExerciseConfig, *, seed: int) -> Optional[dict[str, Any]]:
        return importlib.import_module(self.module).run(student, exercise, seed=seed)


#: Plugins loaded in this process, by the name config.yaml gives them (a dotted name or a path): reports record
#: that name, and :func:`plugin_of` finds a plugin given by path again without knowing the course folder.
_LOADED: dict[str, ExercisePlugin] = {}


def load_plugin(name: str, root: Optional[Path] = None) -> ExercisePlugin:
    """The ``plugin`` object (an instance, or a subclass to instantiate) of the module ``name``: a dotted name, or
    a ``.py`` path relative to the course folder ``root`` (default: the current folder).  The course folder is
    on the import path while it loads (see :mod:`grader._modules`)."""
    key = name if root is None or not name.endswith(".py") else str((Path(root) / name).resolve())
    if key in _LOADED:
        return _LOADED[key]
    from grader._modules import import_trusted

    if not name.endswith(".py") and not _DOTTED.match(name):
        raise ConfigError(f"plugin {name!r} must be the dotted name of a Python module or the path of a .py file "
                          "relative to config.yaml")
    module = import_trusted(name, root, what="plugin module")
    found = getattr(module, "plugin", None)
    if isinstance(found, types.ModuleType):
        # A package exporting ``plugin`` from its submodule ``plugin``: once anything imports that submodule (another
        # exercise's plugin reusing its classes), the package's attribute is the submodule, not the object.
        found = getattr(found, "plugin", None)
    if isinstance(found, type) and issubclass(found, ExercisePlugin):
        found = found()
    if not isinstance(found, ExercisePlugin):
        raise ConfigError(f"the plugin module {name!r} must define 'plugin', an instance of "
                          "grader.plugin.ExercisePlugin")
    _LOADED[key] = _LOADED[name] = found
    return found


def plugin_for(exercise: ExerciseConfig) -> ExercisePlugin:
    """The plugin ``config.yaml`` gives ``exercise``; raises :class:`ConfigError` when it cannot be loaded."""
    if exercise.plugin:
        return load_plugin(exercise.plugin, exercise.root)
    if exercise.showcase:
        return _ShowcaseModule(exercise.showcase)
    return DEFAULT_PLUGIN


def plugin_of(exercise: ExerciseResult) -> ExercisePlugin:
    """The plugin that draws a graded exercise of a report: the one it records, else the default."""
    name = getattr(exercise, "plugin", "")
    if not isinstance(name, str) or not name:
        return DEFAULT_PLUGIN
    try:
        return load_plugin(name)
    except Exception:  # a report must render even when its exercise's code is gone
        return DEFAULT_PLUGIN
