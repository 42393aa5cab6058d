"""The README's quick start grades the example submissions as it says."""

from __future__ import annotations

import re
import shlex

import pytest

from .helpers import ROOT, gradebook, run_grade


@pytest.mark.slow
def test_the_quick_start_grades_the_examples_as_the_readme_says(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("## Quick start"):].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2  # the quick start is two commands
    grade = shlex.split(commands[0].split("&&", 1)[1])
    assert grade[:2] == ["grader", "grade"]
    arguments = [str(ROOT / arg) if arg == "examples/submissions" else arg for arg in grade[2:]]
    out = tmp_path / arguments[arguments.index("--out") + 1]
    arguments[arguments.index("--out") + 1] = str(out)
    done = run_grade(*arguments, "--jobs", "2", cwd=ROOT, tmp=tmp_path / "tmp")
    assert done.returncode == 0, done.stderr
    said = re.search(r"`(\d+ students: [^`]+)`", readme[readme.index("## Quick start"):])
    assert said and done.stdout.startswith(said.group(1)), (said, done.stdout)
    book = gradebook(out)
    assert {row["status"] for row in book.values()} == {"graded", "error"}
    assert book["alice"]["total"] == "100" and float(book["bob"]["total"]) < 100
