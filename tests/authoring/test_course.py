"""The worked example of docs/authoring.md, end to end: an outside course folder (checks, a helper module, a
plugin by path, a hidden check importing the helper) checked, graded as a class and distributed."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.authoring.course import BUGS, build_course, buggy, doc_files, run


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_course(tmp_path_factory.mktemp("linreg-course"))


@pytest.fixture(scope="module")
def submissions(course: Path) -> Path:
    """The reference, the skeleton and the four buggy versions, one student each."""
    reference = (course / "reference" / "linreg.py").read_text(encoding="utf-8")
    folder = course.parent / "class"
    versions = {"reference": reference, "skeleton": (course / "linreg" / "linreg.py").read_text(encoding="utf-8")}
    versions.update({bug: buggy(reference, bug) for bug in BUGS})
    for student, text in versions.items():
        (folder / student).mkdir(parents=True)
        (folder / student / "linreg.py").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def graded(course: Path, submissions: Path) -> Path:
    out = course.parent / "graded"
    done = run("grade", str(submissions), "--exercise", "linreg", "--out", str(out), cwd=course)
    assert done.returncode == 0, done.stderr
    return out


def test_the_page_gives_the_whole_course_in_budget() -> None:
    files = doc_files()
    assert {"config.yaml", "linreg/linreg.py", "reference/linreg.py", "checks/linreg.py", "checks/helpers.py",
            "hidden/linreg.py", "plugins/curves.py"} <= set(files)
    checks = files["checks/linreg.py"].count("\n") + files["hidden/linreg.py"].count("\n")
    assert checks <= 100, f"the worked example's checks take {checks} lines"
    assert files["checks/linreg.py"].count("@check(") + files["hidden/linreg.py"].count("@check(") == 7
    assert "from checks.helpers import" in files["hidden/linreg.py"]  # a hidden check importing the helper
    assert "plugins/curves.py" in files["config.yaml"]  # a plugin by path
    assert "class " not in files["plugins/curves.py"]  # no plugin code for the loss curve


@pytest.mark.quick
def test_check_passes_the_reference_with_hidden_checks(course: Path) -> None:
    done = run("check", "linreg", "--path", "reference/linreg.py", "--all", cwd=course)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "score: 80/80" in done.stdout


def test_check_gives_the_skeleton_nothing(course: Path) -> None:
    done = run("check", "linreg", "--format", "json", cwd=course)
    assert done.returncode == 1, done.stderr
    exercise = json.loads(done.stdout)["exercises"][0]
    assert exercise["score"] == 0 and {check["verdict"] for check in exercise["checks"]} == {"not_implemented"}


@pytest.mark.parametrize("bug", sorted(BUGS))
def test_check_finds_each_bug_by_its_own_check(course: Path, submissions: Path, bug: str) -> None:
    done = run("check", "linreg", "--path", str(submissions / bug / "linreg.py"), "--all", "--format", "json",
               cwd=course)
    assert done.returncode == 1, done.stderr
    checks = {check["id"]: check for check in json.loads(done.stdout)["exercises"][0]["checks"]}
    owner = BUGS[bug][1]
    assert checks[owner]["verdict"] == "failed", checks[owner]
    for check in checks.values():  # every other failure is linked to the bug's check
        assert check["passed"] or check["id"] == owner or check["caused_by"] == owner, (bug, check["id"])


def test_grade_scores_the_class_in_one_batch(graded: Path) -> None:
    rows = {row["id"]: row for row in csv.DictReader((graded / "gradebook.csv").open(encoding="utf-8"))}
    assert set(rows) == {"reference", "skeleton", *BUGS}
    assert float(rows["reference"]["total"]) == 80 and float(rows["skeleton"]["total"]) == 0
    for bug in BUGS:
        assert 0 < float(rows[bug]["total"]) < 80, bug
    assert {row["status"] for row in rows.values()} == {"graded"}
    # The plugin named by path draws the counterexamples in the reports.
    assert 'alt="the values of fit.loss_curve' in (graded / "loss_before_step" / "report.html").read_text("utf-8")


def test_dist_ships_a_starter_that_checks_without_reference_or_hidden_check(course: Path, tmp_path: Path) -> None:
    starter = tmp_path / "starter"
    done = run("dist", str(starter), cwd=course)
    assert done.returncode == 0, done.stderr
    shipped = {path.relative_to(starter).as_posix() for path in starter.rglob("*") if path.is_file()}
    course_files = {name for name in shipped if not name.startswith(("grader/", ".github/"))}
    assert {"checks/linreg.py", "checks/helpers.py", "plugins/curves.py", "linreg/linreg.py", "config.yaml"} \
        <= course_files
    assert not [name for name in shipped if name.startswith(("reference/", "hidden/", "grader/exercises/kmeans"))]
    assert "fit.matches_reference" not in (starter / "config.yaml").read_text(encoding="utf-8")
    solution = tmp_path / "mine.py"
    solution.write_text((course / "reference" / "linreg.py").read_text(encoding="utf-8"), encoding="utf-8")
    checked = run("check", "linreg", "--path", str(solution), cwd=starter)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "score: 70/70" in checked.stdout
