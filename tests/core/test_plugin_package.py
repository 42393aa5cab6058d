"""A package that exports ``plugin`` from its submodule of the same name is read right in any import order: once
another exercise's plugin imports that submodule for its classes, the package's attribute ``plugin`` is the
submodule, and the object must still be found (in a fresh process, where nothing was imported before)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import grader.exercises.kmeans_program.plugin  # imports grader.exercises.kmeans.plugin, the submodule
from grader.plugin import load_plugin
print(type(load_plugin("grader.exercises.kmeans_program")).__name__, type(load_plugin("grader.exercises.kmeans")).__name__)
"""


def test_a_plugin_package_is_read_whatever_imported_its_submodule_first():
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["KMeansProgramPlugin", "KMeansPlugin"]
