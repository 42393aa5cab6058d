"""Patching numpy, unittest, Hypothesis or the grader at import changes nothing in the grader's process."""

from __future__ import annotations

import numpy as np

from tests.sandbox.helpers import SOLUTION, attack, check


PATCHES = """
    import unittest

    np.allclose = lambda *args, **kwargs: True
    np.array_equal = lambda *args, **kwargs: True
    np.testing.assert_allclose = lambda *args, **kwargs: None
    try:
        np.ndarray.__eq__ = lambda self, other: True
    except TypeError:
        pass  # numpy's own types are immutable
    unittest.TestCase.assertEqual = lambda *args, **kwargs: None
    try:
        import hypothesis
        hypothesis.given = lambda *args, **kwargs: (lambda test: (lambda *a, **k: None))
        print("PATCHED hypothesis")
    except Exception as error:
        print("NO hypothesis:", type(error).__name__)
    for name in ("grader.runner", "grader.authoring", "grader.exercises.kmeans.calls", "grader.grading"):
        try:
            module = __import__(name, fromlist=["*"])
            for attribute in dir(module):
                if callable(getattr(module, attribute)):
                    setattr(module, attribute, lambda *args, **kwargs: None)
            print("PATCHED", name)
        except Exception as error:
            print("NO", name, type(error).__name__)

    def update(data, labels, centers):
        return np.array(centers, dtype=float)  # wrong: the centers never move
"""


def test_patches_do_not_change_the_grade(course):
    honest = course.grade(SOLUTION.replace("return _centroids(np.asarray(data, dtype=float), labels, centers)",
                                           "return np.array(centers, dtype=float)"), sandbox=False)
    allclose, array_equal = np.allclose, np.array_equal
    report = course.grade(attack(PATCHES))
    assert np.allclose is allclose and np.array_equal is array_equal
    assert not check(report, "update.centroids").passed
    assert report.score == honest.score
    assert [(c.id, c.verdict, c.message) for c in report.exercises[0].checks] == \
        [(c.id, c.verdict, c.message) for c in honest.exercises[0].checks]
    assert "PATCHED grader" not in report.output  # the grader's code cannot even be read from the worker
