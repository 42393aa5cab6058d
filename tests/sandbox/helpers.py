"""Helpers of the sandbox tests: a private copy of the course with small limits, and attack submissions.

Every attack is a complete, correct k-means plus the attack (see ``SOLUTION``).
``course.grade(source)`` grades it in the worker and, before returning the
report, proves two things: no file of the course copy (reference, configuration,
hidden checks, the other students' submissions) changed, and no process the
worker started is still alive.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

from grader import grade_submission, load_config
from grader.results import Report

ROOT = Path(__file__).resolve().parents[2]

#: Small limits keep the attacks fast; the controls get full marks under the same ones.
LIMITS = {"call_timeout": 2, "total_timeout": 120, "memory_mb": 768, "file_size_mb": 8, "processes": 32,
          "output_kb": 16}
MAX_EXAMPLES = 6

SOLUTION = '''
import os
import sys

import numpy as np


def distance(a, b):
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    return float(np.dot(diff, diff))


def init_centers(data, k, rng):
    data = np.asarray(data, dtype=float)
    if k < 1 or k > len(data):
        raise ValueError("k must be between 1 and the number of points")
    return data[rng.choice(len(data), size=k, replace=False)].copy()


def _nearest(data, centers):
    return ((data[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)


def _centroids(data, labels, centers):
    new = np.array(centers, dtype=float, copy=True)
    for j in range(len(new)):
        members = data[np.asarray(labels) == j]
        if len(members):
            new[j] = members.mean(axis=0)
    return new


def assign(data, centers):
    return _nearest(np.asarray(data, dtype=float), np.asarray(centers, dtype=float))


def update(data, labels, centers):
    return _centroids(np.asarray(data, dtype=float), labels, centers)


# The main loop uses private helpers, so an attack that replaces assign or update hits only that function.
def kmeans(data, centers, eps=1e-3, max_iter=100, *, verbose=False):
    data = np.asarray(data, dtype=float)
    centers = np.array(centers, dtype=float, copy=True)
    labels = np.zeros(len(data), dtype=int)
    n_iter = 0
    while n_iter < max_iter:
        labels = _nearest(data, centers)
        new = _centroids(data, labels, centers)
        move = float(((new - centers) ** 2).sum())
        centers = new
        n_iter += 1
        if move <= eps:
            break
    return centers, labels, n_iter


# Lets the test find every process this worker starts, even after it is gone.
print("TOKEN=" + os.environ.get("GRADER_WORKER", "none"), flush=True)
'''


def attack(code: str) -> str:
    """A correct solution followed by ``code`` (dedented): the submission of an attacking student."""
    return SOLUTION + "\n" + textwrap.dedent(code)


def _fingerprint(folder: Path) -> dict[str, tuple[int, str]]:
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            found[str(path.relative_to(folder))] = (path.stat().st_mode, hashlib.sha256(path.read_bytes()).hexdigest())
        elif path.is_dir():
            found[str(path.relative_to(folder)) + "/"] = (path.stat().st_mode, "")
    return found


def _state(pid: str) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "X"
    return stat[stat.rfind(")") + 2:].split()[0]


def survivors(output: str) -> list[int]:
    """Live processes that carry a worker token printed in ``output`` or a pid printed as ``CHILD=pid``."""
    tokens = set(re.findall(r"TOKEN=(grader-worker-[0-9a-f]+)", output))
    children = {int(pid) for pid in re.findall(r"CHILD=(\d+)", output)}
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or _state(entry.name) in ("Z", "X"):
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if any(token.encode() in environ for token in tokens):
            alive.append(int(entry.name))
        elif int(entry.name) in children and b"GRADER_WORKER=" in environ:
            alive.append(int(entry.name))
    return alive


@dataclass
class Course:
    """A private copy of the course: configuration, reference, hidden checks, data, and two other students."""

    root: Path

    @property
    def config(self):
        return load_config(self.root / "config.yaml")

    @property
    def submissions(self) -> Path:
        return self.root / "submissions"

    def fingerprint(self) -> dict[str, tuple[int, str]]:
        return _fingerprint(self.root)

    def write(self, source: str, name: str = "student.py") -> Path:
        path = self.submissions / name
        path.write_text(source, encoding="utf-8")
        return path

    def grade(self, source: str, *, hidden: bool = False, sandbox: bool = True, config=None) -> Report:
        """Grade ``source`` and check that the course is untouched and no process of the worker survives."""
        path = self.write(source)
        before = self.fingerprint()
        report = grade_submission(config or self.config, {"kmeans": path}, student="student", hidden=hidden,
                                  sandbox=sandbox)
        assert self.fingerprint() == before, "a file outside the worker's folder changed"
        assert survivors(report.output) == [], "a process started by the student's code survived"
        return report


def make_course(folder: Path, *, limits: Optional[dict] = None, max_examples: int = MAX_EXAMPLES) -> Course:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("data", "reference", "exercises"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    raw = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    raw["limits"] = {**raw.get("limits", {}), **(LIMITS if limits is None else limits)}
    raw["max_examples"] = max_examples
    (folder / "config.yaml").write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    submissions = folder / "submissions"
    submissions.mkdir()
    for other in ("alice", "bob"):
        (submissions / f"{other}.py").write_text(SOLUTION.replace("k must", f"{other}: k must"), encoding="utf-8")
    return Course(folder)



def check(report: Report, check_id: str):
    """The result of ``check_id`` in a one-exercise report."""
    for result in report.exercises[0].checks:
        if result.id == check_id:
            return result
    raise AssertionError(f"no check {check_id} in the report")


def verdicts(report: Report, function: str) -> set[str]:
    return {result.verdict for result in report.exercises[0].checks if result.function == function}


def landlock_active(report: Report) -> bool:
    return str(report.sandbox.get("filesystem", "")).startswith("active")


def full_marks(report: Report, *, but: tuple[str, ...] = ()) -> bool:
    """Every check passed, except those of the functions in ``but``."""
    return all(result.passed for result in report.exercises[0].checks if result.function not in but)

