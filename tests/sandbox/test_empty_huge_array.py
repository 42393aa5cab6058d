"""A zero-byte value with a huge shape (``np.empty((2**22, 0))``) costs the grader no more than a small wrong answer.

It crosses the wire as no bytes at all, but anything that walks it (``tolist()`` in the counterexample,
the report, the figures) meets four million empty rows.  The wire checks shape and size together and
hands the checks a description instead; reports store bounded summaries of large values.  Both
submissions are graded by ``grader check`` in a child process whose CPU time and peak memory are read
from the kernel (``os.wait4``), in the same test run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from grader import wire
from grader.authoring import SHOWN_LIMIT, plain
from tests.sandbox.helpers import ROOT, attack
from tests.peak_memory import MEASURED, peak_kib

pytestmark = pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs os.wait4 (POSIX)")


def _grade(course, name: str, shape: str) -> tuple[dict, float, int, int]:
    """(report, CPU seconds, peak RSS in KiB, bytes of report.json) of ``grader check`` on an assign returning
    ``np.empty(shape)``."""
    path = course.write(attack(f"""
        def assign(data, centers):
            return np.empty({shape}, dtype=np.int64)
    """), name)
    out = course.root / f"{name}.json"
    peak = course.root / f"{name}.peak"
    process = subprocess.Popen(
        [sys.executable, "-c", MEASURED, "check", "kmeans", "--path", str(path), "--config",
         str(course.root / "config.yaml"), "--format", "json", "--output", str(out)],
        cwd=course.root, env={**os.environ, "PYTHONPATH": str(ROOT), "GRADER_NO_CACHE": "1", "PEAK_FILE": str(peak)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 1, process.stderr.read().decode() if process.stderr else ""
    return (json.loads(out.read_text()), usage.ru_utime + usage.ru_stime, peak_kib(peak),
            out.stat().st_size)


def _assign_check(report: dict) -> dict:
    return next(c for c in report["exercises"][0]["checks"] if c["id"] == "assign.nearest_center")


def test_zero_size_array_with_a_huge_shape_is_graded_like_a_small_wrong_answer(course):
    small, small_cpu, small_rss, small_bytes = _grade(course, "small.py", "(3, 0)")
    huge, huge_cpu, huge_rss, huge_bytes = _grade(course, "huge.py", "(2**22, 0)")
    verdict = _assign_check(huge)
    assert verdict["verdict"] == "failed"
    assert "array of shape (4194304, 0) with no elements (too large to check)" in verdict["message"]
    assert _assign_check(small)["verdict"] == "failed"
    # The other checks are judged as usual, and the grader's own process stays within 2x of the small case.
    assert huge["score"] == small["score"]
    assert huge_cpu < 2 * small_cpu, (huge_cpu, small_cpu)
    assert huge_rss < 2 * small_rss, (huge_rss, small_rss)
    assert huge_bytes < 2 * small_bytes, (huge_bytes, small_bytes)


@pytest.mark.quick
def test_the_wire_checks_shape_and_size_together():
    empty = wire.decode(wire.encode(np.empty((2**22, 0))))
    assert isinstance(empty, wire.Unsupported) and "(4194304, 0)" in str(empty)
    assert wire.decode(wire.encode(np.empty((3, 0)))).shape == (3, 0)
    assert wire.decode(wire.encode(np.empty((0, 2**40)))).__class__ is wire.Unsupported
    assert wire.decode(wire.encode(np.zeros((2, 3)))).shape == (2, 3)


def test_reports_store_bounded_summaries_of_large_values():
    assert plain(np.zeros(SHOWN_LIMIT + 1)) == f"<a float array of shape ({SHOWN_LIMIT + 1},) with " \
                                                f"{SHOWN_LIMIT + 1} elements: too large to show>"
    assert plain(np.zeros(3)) == [0.0, 0.0, 0.0]
    assert plain(np.empty((SHOWN_LIMIT + 1, 0))).startswith("<a float array of shape")
    assert plain([0] * (SHOWN_LIMIT + 1)) == f"<a list of {SHOWN_LIMIT + 1} items: too large to show>"
    assert len(plain("x" * 10 * SHOWN_LIMIT)) < 2 * SHOWN_LIMIT
