"""``grader dist OUT``: the student repository holds no reference code and no hidden check, and works as shipped:
installed with pip into a fresh environment, its workflow's grading step runs and grades."""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from grader import load_config
from grader.dist.student import exercise_readme

from .secrets_scan import leaks, secrets_of
from .support import ROOT, run_grader


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """The student repository of the real course, built by the command instructors use."""
    out = tmp_path_factory.mktemp("dist") / "kmeans-template"
    done = run_grader("dist", str(out))
    assert done.returncode == 0, done.stderr
    return out


def _workflow(repo: Path) -> dict:
    return yaml.safe_load((repo / ".github" / "workflows" / "grade.yml").read_text(encoding="utf-8"))


def test_no_reference_code_and_no_hidden_check_anywhere(repo, config):
    windows, strings = secrets_of(config.exercises.values())
    assert windows and strings  # there are secrets to look for
    assert leaks(repo, windows, strings) == []
    assert not (repo / "reference").exists()
    # The scan is able to see them: on the instructor's own repository it finds both kinds.
    found = leaks(ROOT / "reference", windows, strings)
    assert any("kmeans.py: code" in item for item in found)
    assert any("kmeans_hidden_checks.py: code" in item for item in found)


def test_what_the_students_get(repo, config):
    expected = {"README.md", "config.yaml", "pyproject.toml", ".gitignore", ".github/workflows/grade.yml",
                "exercises/kmeans/kmeans.py", "exercises/kmeans/README.md", "data/kmeans_input_file_2d.dat",
                "data/kmeans_input_file_3d.dat", "grader/__init__.py", "grader/cli.py"}
    files = {path.relative_to(repo).as_posix() for path in repo.rglob("*") if path.is_file()}
    assert expected <= files
    assert (repo / "exercises/kmeans/kmeans.py").read_bytes() == config.exercise("kmeans").skeleton.read_bytes()
    assert not [name for name in files if "__pycache__" in name or name.endswith(".pyc")]
    raw = yaml.safe_load((repo / "config.yaml").read_text(encoding="utf-8"))
    kmeans = raw["exercises"]["kmeans"]
    assert "hidden_checks" not in kmeans and "reference" not in kmeans
    public = {check_id for check_id, spec in config.exercise("kmeans").points.items() if not spec.hidden}
    assert set(kmeans["points"]) == public
    shipped = load_config(repo / "config.yaml")
    assert shipped.seed == config.seed and shipped.max_examples == config.max_examples
    readme = (repo / "README.md").read_text(encoding="utf-8")
    for topic in ("grader check kmeans", "GRADER_FAIL_ON", "self-contained", "pip install -e ."):
        assert topic in readme
    instructions = config.exercise("kmeans").skeleton.parent / "README.md"
    if instructions.is_file():  # the course's own instructions travel as they are
        assert (repo / "exercises/kmeans/README.md").read_bytes() == instructions.read_bytes()


def test_instructions_are_written_when_the_course_has_none(config):
    text = exercise_readme(config.exercise("kmeans"))
    assert "grader check kmeans" in text and "| `assign` |" in text and "Total of these checks: 90 points." in text
    assert "further checks" in text and "matches_reference" not in text


def test_a_check_title_holding_a_bar_stays_in_its_cell(config, monkeypatch):
    # "lowers the error by at least eta/2 |gradient|^2": each row of the table keeps its three cells.
    from grader import exercise as exercise_module

    loaded = exercise_module.load_exercise(config.exercise("kmeans"), hidden=False)
    first = loaded.checks[0]
    titled = dataclasses.replace(first, check=dataclasses.replace(first.check, title="a |norm|^2 bound"))
    monkeypatch.setattr("grader.dist.student.load_exercise",
                        lambda *args, **kwargs: dataclasses.replace(loaded, checks=(titled, *loaded.checks[1:])))
    rows = [line for line in exercise_readme(config.exercise("kmeans")).splitlines() if line.startswith("| `")]
    assert r"| a \|norm\|^2 bound |" in rows[0], rows[0]
    assert all(len(re.split(r"(?<!\\)\|", row)) == 5 for row in rows), rows


def test_workflow_is_a_valid_github_workflow_that_grades_and_keeps_the_report(repo):
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(repo / ".github" / "workflows" / "grade.yml")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    workflow = _workflow(repo)
    assert workflow["env"]["GRADER_FAIL_ON"] == "failed"
    steps = workflow["jobs"]["grade"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert any("pip install ." in run for run in runs)
    grade = next(step for step in steps if "grader check kmeans" in step.get("run", ""))
    assert "--format github" in grade["run"] and '--fail-on "$GRADER_FAIL_ON"' in grade["run"]
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "grader-report/" and upload["if"] == "always()"
    reporter = next(step for step in steps if "autograding-grading-reporter" in step.get("uses", ""))
    grading = [step["id"] for step in steps if "grader check" in step.get("run", "")]
    assert reporter["with"]["runners"] == ",".join(grading) and grade["id"] in grading
    assert reporter["env"][f"{grade['id'].upper()}_RESULTS"] == f"${{{{ steps.{grade['id']}.outputs.result }}}}"


def test_dist_refuses_to_overwrite(repo, tmp_path):
    done = run_grader("dist", str(repo))
    assert done.returncode == 2 and "not empty" in done.stderr
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    done = run_grader("dist", str(tmp_path), "--force")
    assert done.returncode == 2 and "refusing" in done.stderr
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.fixture(scope="module")
def venv(repo, tmp_path_factory) -> Path:
    """A fresh environment with the repository installed by pip, as the workflow's install step does.

    It sees the machine's packages (numpy, matplotlib...), so that only the repository itself is built
    and installed here; the grader it runs is the repository's copy, not the one under test.
    """
    folder = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(folder)], check=True)
    done = subprocess.run([str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet", str(repo)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


def _grade_step(workspace: Path, venv: Path, tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess, dict]:
    """Run the workflow's grading step as GitHub Actions runs it (bash -eo pipefail, its env)."""
    workflow = _workflow(workspace)
    step = next(step for step in workflow["jobs"]["grade"]["steps"] if "grader check" in step.get("run", ""))
    (tmp_path / "output").write_text("", encoding="utf-8")
    (tmp_path / "summary").write_text("", encoding="utf-8")
    full_env = {**os.environ, **workflow["env"], "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
                "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "course-org/kmeans-alice",
                "GITHUB_OUTPUT": str(tmp_path / "output"), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"), **env}
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=workspace,
                          env=full_env, capture_output=True, text=True, timeout=600)
    outputs = dict(line.split("=", 1) for line in (tmp_path / "output").read_text(encoding="utf-8").splitlines())
    return done, outputs


@pytest.mark.slow
def test_grader_check_runs_in_the_repository(repo, venv, tmp_path):
    workspace = tmp_path / "kmeans-alice"
    shutil.copytree(repo, workspace)
    probe = subprocess.run([str(venv / "bin" / "python"), "-c", "import grader; print(grader.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True)
    assert Path(probe.stdout.strip()).is_relative_to(venv)  # the installed copy, not the grader under test
    done, outputs = _grade_step(workspace, venv, tmp_path)
    assert done.returncode == 1, done.stderr  # the skeleton fails its checks under the default policy
    report = json.loads((workspace / "grader-report" / "kmeans" / "report.json").read_text(encoding="utf-8"))
    assert report["student"] == "kmeans-alice" and report["score"] == 0 and report["max_score"] == 90
    assert json.loads(base64.b64decode(outputs["result"]))["status"] == "fail"
    done, _ = _grade_step(workspace, venv, tmp_path, GRADER_FAIL_ON="never")
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_a_finished_exercise_gets_every_public_point(repo, venv, tmp_path):
    workspace = tmp_path / "kmeans-bob"
    shutil.copytree(repo, workspace)
    shutil.copy(ROOT / "reference" / "kmeans.py", workspace / "exercises" / "kmeans" / "kmeans.py")
    done, outputs = _grade_step(workspace, venv, tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert (outputs["score"], outputs["max-score"]) == ("90", "90")
    assert (workspace / "grader-report" / "kmeans" / "report.html").is_file()


@pytest.mark.slow
def test_a_whole_python_program_is_graded_by_the_grader_pip_installed(venv, tmp_path):
    # Installed by pip (not editable), the grader's own runner of whole programs lies in site-packages: protecting
    # its folder, as a student's, hid the interpreter's library from the program (every check a PermissionError).
    from tests.conftest import course_copy

    config = course_copy(tmp_path / "course", max_examples=3, exercises=("kmeans_program",))
    program = tmp_path / "work" / "kmeans_program.py"
    program.parent.mkdir()
    shutil.copy(ROOT / "reference" / "kmeans_program.py", program)
    done = subprocess.run([str(venv / "bin" / "grader"), "check", "kmeans_program", "--path", str(program),
                           "--config", str(config), "--format", "json"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "GRADER_NO_CACHE": "1"})
    report = json.loads(done.stdout)
    failing = {check["id"]: check["message"] for check in report["exercises"][0]["checks"] if not check["passed"]}
    assert failing == {} and report["score"] == report["max_score"], (failing, done.stderr[-2000:])


@pytest.mark.slow
def test_a_step_that_cannot_grade_still_leaves_classroom_a_result(repo, venv, tmp_path):
    # Classroom's reporter parses every step's result or sends no points at all: a step whose exercise file was
    # deleted (grader check exits 2 before grading) leaves an error result worth 0.
    workspace = tmp_path / "kmeans-carl"
    shutil.copytree(repo, workspace)
    for path in (workspace / "exercises" / "kmeans").glob("kmeans.*"):  # every language's file
        path.unlink()
    done, outputs = _grade_step(workspace, venv, tmp_path)
    assert done.returncode == 2, done.stdout[-2000:] + done.stderr
    result = json.loads(base64.b64decode(outputs["result"]))
    assert (result["status"], result["max_score"]) == ("error", 90) and result["tests"][0]["score"] == 0
