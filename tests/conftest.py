"""Fixtures shared by every test folder: the repository, its configuration, and ways to run the grader."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Optional

import tempfile

import pytest
import yaml

from grader import load_config
from tests import graded_once

# Recorded examples are shared by every test process of a run (and the next runs), away from the user's cache.
os.environ.setdefault("GRADER_CACHE_DIR", os.path.join(tempfile.gettempdir(), "grader-test-cache-" + str(getattr(os, "getuid", lambda: 0)())))

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "reference" / "kmeans.py"
SKELETON = ROOT / "exercises" / "kmeans" / "kmeans.py"


def pytest_configure(config: pytest.Config) -> None:
    """The grader compiled to bytecode once, before any test runs, as installing a package does.  Where
    ``PYTHONDONTWRITEBYTECODE`` is set (some containers and CI images), every process the tests start (a
    ``grader`` command, a sandboxed worker) would otherwise compile every grader module it imports again."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:  # the run's first process: before its workers start
        import compileall

        compileall.compile_dir(str(ROOT / "grader"), quiet=1)


def _module(item: pytest.Item) -> str:
    return item.nodeid.split("::")[0]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests of a module that share a module-scoped fixture go to one worker (``--dist loadgroup``), so that
    what it computes (a graded class, a virtual environment...) is computed once, not once per worker.

    The modules holding such groups or slow tests run first, whole: the workers finish together on short tests
    rather than one waiting for the other's long group at the end.
    """
    for item in items:
        fixtures = getattr(item, "_fixtureinfo", None)
        if fixtures is None or any(item.iter_markers("xdist_group")):  # a group of its own already
            continue
        if any(definitions and definitions[-1].scope == "module"
               for definitions in fixtures.name2fixturedefs.values()):
            item.add_marker(pytest.mark.xdist_group(_module(item)))
    long = {_module(item) for item in items if any(item.iter_markers("xdist_group")) or any(item.iter_markers("slow"))}
    items.sort(key=lambda item: _module(item) not in long)


@pytest.fixture(scope="session", autouse=True)
def _graded_once_folder(tmp_path_factory):
    """Reports graded by :mod:`tests.graded_once` are shared by every worker of the run (the parent of each
    xdist worker's temporary folder is the run's)."""
    base = tmp_path_factory.getbasetemp()
    graded_once.use_folder((base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "graded-once")
    yield
    graded_once.use_folder(None)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def config():
    return load_config(ROOT / "config.yaml")


@pytest.fixture(scope="session")
def corpus_config(config):
    """The repository's configuration without shrinking (``shrink_calls: 0``): the one the bug corpora are graded
    with.

    Shrinking never decides whether a check passes (it only looks for a smaller failing example once one is
    found), and it is most of the cost of grading a bug. What the corpora assert (which checks catch each bug,
    their verdicts and messages, their causes) holds for the first failing example found. Shrinking is tested
    where it is the subject: ``tests/core/test_shrinking_*.py``, ``tests/kmeans/test_messages.py``,
    ``tests/test_reproducible.py``, and by every test that grades with ``config``.
    """
    return dataclasses.replace(config, shrink_calls=0)


#: The shrinking budget of :func:`capped_shrink_config`: a few shrinking steps, then the cap.
CAPPED_SHRINK_CALLS = 10


@pytest.fixture(scope="session")
def capped_shrink_config(config):
    """The repository's configuration with a small shrinking budget (``shrink_calls: 10``, the course's is 400): the
    one the MLP and perceptron mutants are graded with under the default precision policy.  Their diagnoses (which
    failure is linked to which) keep the course's budget: what is linked follows the counterexample a student sees.

    Each failure is shrunk, and the budget runs out in the middle of shrinking far more often than with the
    course's: what those corpora assert besides which checks catch each bug, that a cap reached mid-shrink never
    reads as code that depends on global state ("different results on the same input"), is exercised more, at a
    fraction of the cost (shrinking a bug that goes through training calls ``train`` again at every step).
    """
    return dataclasses.replace(config, shrink_calls=CAPPED_SHRINK_CALLS)


def course_copy(target: Path, *, max_examples: Optional[int] = None, exercises: Optional[tuple[str, ...]] = ("kmeans",),
                shrink_calls: Optional[int] = None) -> Path:
    """``config.yaml`` of a copy of the course in ``target``, for tests that run ``grader`` on a configuration file:
    with ``exercises`` only (the CI tests' students hand in k-means; ``None``: all of them), and, where given,
    ``max_examples`` examples per check and a shrinking budget of ``shrink_calls``."""
    for folder in ("reference", "data", "exercises"):
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__"))
    raw = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    if max_examples is not None:
        raw["max_examples"] = max_examples
    if shrink_calls is not None:
        raw["shrink_calls"] = shrink_calls
    if exercises is not None:
        raw["exercises"] = {exercise: raw["exercises"][exercise] for exercise in exercises}
    (target / "config.yaml").write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target / "config.yaml"


def edited_reference(folder: Path, edits, name: str = "kmeans.py") -> Path:
    """The reference ``name`` with each ``(old, new)`` of ``edits`` made once (each must be there), written in
    ``folder`` under the same name: a one-bug submission made from the reference."""
    source = (ROOT / "reference" / name).read_text(encoding="utf-8")
    for old, new in edits:
        assert old in source, old
        source = source.replace(old, new, 1)
    path = folder / name
    path.write_text(source, encoding="utf-8")
    return path


def quick_if(chosen: bool) -> tuple:
    """The ``quick`` mark (the everyday tier, ``python3 -m pytest -m quick``) for the chosen representatives of a
    parametrized test."""
    return (pytest.mark.quick,) if chosen else ()


def run_grader(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``python -m grader ARGS`` as a user would, in a separate process; returns the completed process."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture
def grader_cli():
    return run_grader
