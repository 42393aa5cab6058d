"""Global state changed at import (folder, numpy error mode, seeds, environment) stays in the worker."""

from __future__ import annotations

import os
import random

import numpy as np

from tests.sandbox.helpers import attack


def test_global_state_changes_stay_in_the_worker(course):
    code = """
        import random
        os.chdir("/")
        np.seterr(all="ignore")  # "raise" would only break its own code
        np.random.seed(0)
        random.seed(0)
        os.environ["PATH"] = "/nowhere"
        os.environ["GRADER_SANDBOX_DISABLE"] = "all"
        sys.setrecursionlimit(100)
        np.set_printoptions(precision=1)
    """
    cwd, errors, environ = os.getcwd(), np.geterr(), dict(os.environ)
    state, numpy_state = random.getstate(), np.random.get_state()[1].copy()
    report = course.grade(attack(code))
    assert os.getcwd() == cwd and np.geterr() == errors and dict(os.environ) == environ
    assert random.getstate() == state and (np.random.get_state()[1] == numpy_state).all()
    assert np.get_printoptions()["precision"] == 8
    assert report.score == report.max_score
