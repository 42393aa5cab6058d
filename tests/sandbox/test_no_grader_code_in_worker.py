"""No check, strategy, scoring or Hypothesis code is ever loaded in the worker: statically and at run time."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from grader.student._worker import WorkerStudent
from tests.sandbox.helpers import ROOT, SOLUTION

WORKER_MAIN = "grader.student._worker_main"
#: Everything of the grader the worker may load: the wire format, calling a function, confinement.
ALLOWED = {
    "grader.wire", "grader.student._base", "grader.student._execute", "grader.student._inprocess",
    "grader.student._output", "grader.student._runners", "grader.student._compiled", "grader.sandbox._channel", "grader.sandbox._confine", "grader.sandbox._linux",
    "grader.student._python_startup",  # plots without a display: standard library only, nothing that grades
    "grader.sandbox._landlock", "grader.sandbox._seccomp",
}
PACKAGES = {"grader", "grader.student", "grader.sandbox"}  # stand-ins made by the worker, their __init__ never runs
FORBIDDEN_PREFIXES = ("hypothesis", "grader.exercises", "grader.runner", "grader.authoring", "grader.grading",
                      "grader.config", "grader.exercise", "grader.results", "grader.render", "yaml", "click",
                      "pytest", "_pytest")


def _imports(module: str) -> set[str]:
    """Every module named by an import statement anywhere in ``module``'s source (functions included)."""
    path = ROOT / Path(*module.split(".")).with_suffix(".py")
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module in PACKAGES:  # "from grader import wire" imports the submodule
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__" and node.args \
                and isinstance(node.args[0], ast.Constant):
            found.add(node.args[0].value)
    return found


def test_static_import_graph_of_the_worker():
    seen, todo, outside = set(), [WORKER_MAIN], set()
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        for name in _imports(module):
            if name.startswith("grader."):
                todo.append(name)
            elif name != "grader":
                outside.add(name.split(".")[0])
    assert seen - {WORKER_MAIN} <= ALLOWED, sorted(seen - {WORKER_MAIN} - ALLOWED)
    assert outside <= set(sys.stdlib_module_names) | {"numpy"}, sorted(outside - set(sys.stdlib_module_names))


def test_worker_modules_at_run_time(course, config=None):
    source = SOLUTION + "\n\ndef assign(data, centers):\n    return sorted(sys.modules)\n"
    path = course.write(source)
    exercise = course.config.exercise("kmeans")
    student = WorkerStudent(path, exercise=exercise, limits=course.config.limits)
    try:
        loaded = student.call("assign", [[0.0]], [[0.0]])
    finally:
        student.close()
    assert "numpy" in loaded and WORKER_MAIN not in loaded  # it runs as __main__
    forbidden = [name for name in loaded if name.startswith(FORBIDDEN_PREFIXES)]
    assert forbidden == []
    grader_modules = {name for name in loaded if name == "grader" or name.startswith("grader.")}
    assert grader_modules <= ALLOWED | PACKAGES, sorted(grader_modules - ALLOWED - PACKAGES)
