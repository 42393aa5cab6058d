"""Run at the start of a student's Python program (as its ``sitecustomize``): plots go to no screen, a
script exported from a notebook finds the ``get_ipython`` it calls (see :class:`ExportedNotebook`), and a thread
start waits for the threads already joined to end (see :func:`_patient_thread_start`).

A program is graded where there is no display.  Its environment already asks matplotlib for the Agg backend
(``MPLBACKEND``), but a program that chooses an interactive one itself (``matplotlib.use("TkAgg")``, a laptop
habit, or ``pyplot.switch_backend``) would stop with "Cannot load backend ... headless" before writing its
results.  This hook makes such a choice select Agg, so ``plt.show()`` returns at once, as it does under
``MPLBACKEND=Agg``; non-interactive backends (pdf, svg, ...) and ``module://`` ones are left as chosen.

Invariants: only the standard library is used; nothing of matplotlib happens unless the program imports it (a
finder consulted for that one name, then for pyplot): the modules are loaded by the finders Python would use
anyway, and only their backend-choosing functions are wrapped after they are loaded; a thread start differs
only when the system refused it.  The program runner installs this
file under the name ``sitecustomize`` in a folder of its own on the program's ``PYTHONPATH``; the worker that
imports a student's module calls :func:`install` itself before importing it.
"""

from __future__ import annotations

import builtins
import functools
import sys
from typing import Any, Callable

#: Backends that draw to no screen: kept as the program chose them (lowercase names).
_NON_INTERACTIVE = frozenset({"agg", "cairo", "pdf", "pgf", "ps", "svg", "template"})


def headless(backend: Any) -> Any:
    """``backend``, or Agg for a backend that needs a display."""
    if not isinstance(backend, str):
        return backend
    name = backend.strip().lower()
    return backend if name in _NON_INTERACTIVE or name.startswith("module://") else "agg"


def _wrapped(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def choose(backend: Any, *args: Any, **kwargs: Any) -> Any:
        return function(headless(backend), *args, **kwargs)
    return choose


def _patch(module: Any, name: str) -> None:
    function = getattr(module, name, None)
    if callable(function):
        setattr(module, name, _wrapped(function))


#: The module, and its function that chooses a backend.
_CHOOSERS = {"matplotlib": "use", "matplotlib.pyplot": "switch_backend"}


class _Finder:
    """Finds nothing itself: asks the other finders, then wraps the chooser once the module is loaded."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name not in _CHOOSERS:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        load = loader.exec_module

        def exec_module(module: Any) -> None:
            load(module)
            _patch(module, _CHOOSERS[name])

        loader.exec_module = exec_module  # type: ignore[method-assign]  # this spec's own loader: other imports are not touched
        return spec


class ExportedNotebook:
    """What ``get_ipython()`` returns in a script exported from a notebook (File > Save and Export Notebook As >
    Executable Script, ``jupyter nbconvert --to script``), which writes its IPython syntax as calls of it:
    ``get_ipython().run_line_magic('matplotlib', 'inline')``, ``.system('pip install ...')``,
    ``.run_cell_magic('time', '', 'body')``.  As for a notebook handed in, IPython syntax is dropped, never run:
    magics and shell escapes do nothing, and a cell magic whose body is Python (``%%time``, ``%%timeit``,
    ``%%capture``) runs its body once, in the script's globals."""

    _PYTHON_CELL_MAGICS = ("time", "timeit", "capture")

    def run_line_magic(self, *args: Any, **kwargs: Any) -> None:
        return None

    def magic(self, *args: Any, **kwargs: Any) -> None:
        return None

    def system(self, *args: Any, **kwargs: Any) -> None:
        return None

    def getoutput(self, *args: Any, **kwargs: Any) -> list:
        return []

    def run_cell_magic(self, name: str, line: str, cell: str) -> None:
        if name in self._PYTHON_CELL_MAGICS:
            caller = sys._getframe(1).f_globals
            exec(compile(cell, f"<%%{name} cell>", "exec"), caller)  # noqa: S102 - the student's own code
        return None


def exported_notebook() -> ExportedNotebook:
    return ExportedNotebook()


#: The pauses between tries of a thread start the system refused (half a second in all): time for threads already
#: joined to end.
_THREAD_START_PAUSES = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.1, 0.2)


def _patient(start: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(start)
    def patient(*args: Any, **kwargs: Any) -> Any:
        import time

        for pause in _THREAD_START_PAUSES:
            try:
                return start(*args, **kwargs)
            except RuntimeError:
                time.sleep(pause)
        return start(*args, **kwargs)
    patient.grader_patient = True  # type: ignore[attr-defined]
    return patient


def _patient_thread_start() -> None:
    """Let a thread start refused by the limit on processes and threads wait for the threads already joined to
    end.  The limit counts the system's threads, and ``join()`` returns once a thread's Python code is done, a
    moment before the system removes the thread itself: code that joins its 32 threads and starts 32 new ones
    (one pool per call, as the exercises' READMEs allow) was refused now and then, the more often the busier the
    machine.  (Which threads are ending cannot be told: the sandbox hides ``/proc``.)  Code that keeps more
    threads than the limit at once is still refused, half a second later."""
    import threading

    for name in ("_start_new_thread", "_start_joinable_thread"):  # Python 3.10 to 3.12, 3.13 and later
        start = getattr(threading, name, None)
        if callable(start) and not getattr(start, "grader_patient", False):
            setattr(threading, name, _patient(start))


def install() -> None:
    """Wrap the backend choosers of matplotlib when it is imported (once, however often called), give a
    script exported from a notebook the ``get_ipython`` it calls (unless something defined one), and make a
    thread start wait for threads ending (see :func:`_patient_thread_start`)."""
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
    if not hasattr(builtins, "get_ipython"):
        builtins.get_ipython = exported_notebook  # type: ignore[attr-defined]
    _patient_thread_start()


if __name__ == "sitecustomize":  # imported by the grader itself (its tests), it changes nothing
    install()
