"""Paths into the worker's private folder in what the code prints: named as submitted, in time linear in the output.

What the code prints is the student's to choose: a long line without spaces (garbage
written to stdout) must cost the grader time in proportion to its length.  A pattern
tried from every character of such a line took time quadratic in it (half a minute
of the grader's processor time for a megabyte).
"""

from __future__ import annotations

import random
import re

import pytest

from grader.student import _worker
from grader.student._worker import _without_worker_folders

MODULE = re.compile(r"kmeans\.py(?![\w.])")
#: The meaning, as one pattern: from the path's start (a Windows drive, then characters other than white space,
#: quotes, ``<>|:``) to the last worker folder of the path, and the module right after it.
MEANING = re.compile(r"(?:[A-Za-z]:)?[^\s\"'<>|:]*[\\/]grader-worker-[A-Za-z0-9_]+[\\/](kmeans\.py(?![\w.]))?")


def _named(text: str) -> str:
    return _without_worker_folders(text, MODULE, "mine.py")


@pytest.mark.parametrize("printed, shown", [
    ("/tmp/grader-worker-1_ab/kmeans.py:25: RuntimeWarning", "mine.py:25: RuntimeWarning"),
    ("C:\\Temp\\grader-worker-x\\kmeans.py line 3", "mine.py line 3"),
    ("open('/tmp/grader-worker-z/data.txt')", "open('data.txt')"),
    ("/a/grader-worker-1/b/grader-worker-2/kmeans.py", "mine.py"),
    ("/tmp/grader-worker-1/kmeans.pyc and kmeans.py", "kmeans.pyc and kmeans.py"),
    ("nothing of the worker here", "nothing of the worker here"),
])
def test_worker_paths_are_named_as_submitted(printed, shown):
    assert _named(printed) == shown


def test_it_means_the_pattern_of_its_docstring():
    pieces = ["a", "/", "\\", ":", " ", "C", "kmeans.py", "grader-worker-1", "/grader-worker-x2/", "'", "\n", ".",
              "é", "1", "/grader-worker-"]
    chance = random.Random(7)
    for _ in range(5000):
        text = "".join(chance.choice(pieces) for _ in range(chance.randint(0, 14)))
        assert _named(text) == MEANING.sub(lambda found: "mine.py" if found.group(1) else "", text), text


@pytest.mark.parametrize("line", [
    "\x00\xff" * 100_000,  # garbage: one long path-like word
    "a/grader-worker-1/" * 10_000 + "kmeans.py",  # the folder's name again and again
    ("x" * 1000 + "/grader-worker-1") * 200,  # folders not followed by a separator
])
def test_the_work_is_linear_in_what_was_printed(monkeypatch, line):
    looked_at = 0
    in_path = _worker._in_path

    def counted(character: str) -> bool:
        nonlocal looked_at
        looked_at += 1
        return in_path(character)

    monkeypatch.setattr(_worker, "_in_path", counted)
    _named(line)
    assert looked_at <= 2 * len(line)
