"""Each student's grading runs under the grader's own memory ceiling (``limits.grader_memory_mb``): a submission
that makes the grader's side need more gets a verdict that says so, and the class goes on."""

from __future__ import annotations

import json
import sys

import pytest
import yaml

from grader import load_config
from grader.grade import grade_class

from .helpers import gradebook, solution, write


@pytest.mark.skipif(not hasattr(__import__("os"), "wait4"), reason="resource limits are POSIX")
def test_a_student_over_the_graders_memory_ceiling_gets_a_verdict_and_the_class_goes_on(tmp_path, course):
    raw = yaml.safe_load(course.read_text(encoding="utf-8"))
    # Below what checking any submission needs: every student reaches the ceiling, as one bad submission would.
    raw["limits"] = {**raw.get("limits", {}), "grader_memory_mb": 1}
    config = write(tmp_path / "config.yaml", yaml.safe_dump(raw, sort_keys=False))
    write(tmp_path / "class" / "anna.py", solution("correct"))
    write(tmp_path / "class" / "bruno.py", solution("correct"))
    result = grade_class(load_config(config), tmp_path / "class", tmp_path / "out", jobs=1, sandbox=False)
    rows = gradebook(tmp_path / "out")
    assert set(rows) == {"anna", "bruno"}
    for student in rows:
        report = json.loads((tmp_path / "out" / student / "report.json").read_text(encoding="utf-8"))
        error = report["exercises"][0]["error"]
        assert "needed more than 1 MiB of the grader's own memory" in error, error
    assert result.counts["error"] == 2


@pytest.mark.parametrize("source", ["checks/starved.py", "checks.starved"])
def test_memory_refused_while_a_check_module_is_imported_is_the_ceiling_not_the_modules_fault(tmp_path, source):
    """Under the ceiling, importing can fail in a system call (``ENOMEM``) rather than in Python's allocator: it is
    the memory verdict all the same (a configuration error would blame the course and stop the class)."""
    from grader._modules import import_trusted

    write(tmp_path / "checks" / "__init__.py", "")
    write(tmp_path / "checks" / "starved.py", "import errno\nraise OSError(errno.ENOMEM, 'Cannot allocate memory')\n")
    with pytest.raises(MemoryError):
        import_trusted(source, tmp_path, what="check module")
    sys.modules.pop("checks", None)
    sys.modules.pop("checks.starved", None)
