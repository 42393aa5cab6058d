"""The checks against the corpus: every mutant is caught, every correct variant gets full marks.

The corpus is our own trusted code, so it runs in process for speed; that the
sandboxed worker gives the same results is tested in ``tests/sandbox``.  Each member
is graded once per run (``tests/graded_once.py``): the diagnosis and precision tests
read the same reports.  Mutants are graded without shrinking (``corpus_config``): which
checks catch a bug does not depend on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.graded_once import grade_submission
from tests.conftest import quick_if
from tests.kmeans.mutants import MUTANTS, VARIANTS

VARIANT_FILES = sorted(path for path in VARIANTS.glob("*.py"))


def grade(config, path: Path):
    return grade_submission(config, {"kmeans": path}, hidden=True, sandbox=False)


@pytest.mark.parametrize("variant", [pytest.param(path, id=path.stem, marks=quick_if(path.stem == "loops"))
                                     for path in VARIANT_FILES])
def test_correct_variant_gets_full_marks(config, variant):
    report = grade(config, variant)
    failed = {c.id: c.message for e in report.exercises for c in e.checks if not c.passed}
    assert failed == {}
    assert report.score == report.max_score == 100


@pytest.mark.parametrize("mutant", [pytest.param(m, id=m.name, marks=quick_if(m.name == "float_labels"))
                                    for m in MUTANTS])
def test_mutant_is_caught(corpus_config, tmp_path, mutant):
    path = tmp_path / "kmeans.py"
    path.write_text(mutant.source(), encoding="utf-8")
    report = grade(corpus_config, path)
    exercise = report.exercises[0]
    assert exercise.status == "graded"
    failed = [c for c in exercise.checks if not c.passed]
    assert failed, f"mutant {mutant.name} passed every check"
    assert not [c for c in failed if c.verdict == "grader_error"], [c.message for c in failed]
    # Students must be able to see the bug before grading: a public check fails too.
    assert [c for c in failed if not c.hidden], f"only hidden checks catch {mutant.name}"
