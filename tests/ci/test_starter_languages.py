"""The starter repository works for every language as shipped: its workflow, run step by step in a fresh clone
as GitHub Actions runs it, grades the file the student completed, in Python, C or Fortran.

One ``grader dist`` build is shared by the module.  The workflow's ``run:`` steps run in order; the one
installing the grader with pip is replaced by a ``grader`` command running the clone's own copy (what pip
would install), and the compilers step installs nothing on a machine that has gcc and gfortran.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from grader import load_config
from grader.sources import Candidate, choose, marks

from tests.conftest import course_copy
from .support import ROOT, run_grader

_COMPILED = shutil.which("gcc") is not None and shutil.which("gfortran") is not None


@pytest.fixture(scope="module")
def origin(tmp_path_factory) -> Path:
    """The starter repository of the k-means exercise (of a copy of the course with few examples per check),
    committed as the assignment's template repository."""
    course = course_copy(tmp_path_factory.mktemp("course"), max_examples=4)
    out = tmp_path_factory.mktemp("starter") / "kmeans-template"
    done = run_grader("dist", str(out), "--exercise", "kmeans", "--config", str(course))
    assert done.returncode == 0, done.stderr
    git = ["git", "-c", "user.name=Course", "-c", "user.email=course@example.org"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "starter"]):
        subprocess.run([*git, *command], cwd=out, check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def shim(tmp_path_factory) -> Path:
    """A folder whose ``grader`` runs the grader of the current folder (the clone's copy), as installed."""
    folder = tmp_path_factory.mktemp("bin")
    script = folder / "grader"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m grader "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    return folder


def _run_workflow(origin: Path, workspace: Path, shim: Path, complete: dict[str, Path]) -> tuple[list, dict]:
    """Clone ``origin`` into ``workspace``, copy in the ``complete`` files, run the workflow's ``run:`` steps in
    order; returns ``[(step name, exit code, output)]`` and what the grading step wrote to GITHUB_OUTPUT."""
    subprocess.run(["git", "clone", "-q", str(origin), str(workspace)], check=True, capture_output=True)
    for relative, source in complete.items():
        shutil.copy(source, workspace / relative)
    workflow = yaml.safe_load((workspace / ".github/workflows/grade.yml").read_text(encoding="utf-8"))
    files = {name: workspace.parent / f"{workspace.name}.{name}" for name in ("output", "summary")}
    for path in files.values():
        path.write_text("", encoding="utf-8")
    env = {**os.environ, **workflow["env"], "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1",
           "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": f"course-org/{workspace.name}",
           "GITHUB_OUTPUT": str(files["output"]), "GITHUB_STEP_SUMMARY": str(files["summary"])}
    ran = []
    for step in workflow["jobs"]["grade"]["steps"]:
        if "run" not in step:
            continue  # actions (checkout, setup-python, upload): GitHub's, not the repository's
        if step.get("id") == "install":
            assert step["run"].strip() == "python -m pip install ."  # stood for by the shim
            continue
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                              cwd=workspace, env=env, capture_output=True, text=True, timeout=600)
        ran.append((step["name"], done.returncode, done.stdout + done.stderr))
    outputs = dict(line.split("=", 1) for line in files["output"].read_text(encoding="utf-8").splitlines()
                   if "=" in line)
    return ran, outputs


def test_the_workflow_installs_the_compilers_only_when_missing(origin):
    workflow = yaml.safe_load((origin / ".github/workflows/grade.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["grade"]["steps"]
    names = [step.get("name", "") for step in steps]
    compilers = steps[names.index("Install the compilers")]
    assert names.index("Install the grader") < names.index("Install the compilers") < names.index("Grade k-means")
    assert "command -v gcc" in compilers["run"] and "command -v gfortran" in compilers["run"]
    assert "apt-get install" in compilers["run"] and compilers["continue-on-error"] is True


@pytest.mark.skipif(not _COMPILED, reason="gcc and gfortran are needed")
@pytest.mark.parametrize("language, file", [("skeleton", None), ("c", "kmeans.c"), ("fortran", "kmeans.f90"),
                                            ("python", "kmeans.py")])
def test_each_language_is_graded_by_the_workflow_as_shipped(origin, shim, tmp_path, language, file):
    complete = {f"exercises/kmeans/{file}": ROOT / "reference" / file} if file else {}
    ran, outputs = _run_workflow(origin, tmp_path / f"kmeans-{language}", shim, complete)
    codes = {name: code for name, code, _ in ran}
    log = "\n".join(f"--- {name}: {code}\n{text[-2000:]}" for name, code, text in ran)
    assert codes["Install the compilers"] == 0, log
    report = json.loads((tmp_path / f"kmeans-{language}" / "grader-report/kmeans/report.json").read_text())
    if file is None:  # the skeleton as shipped: red, with nothing
        assert codes["Grade k-means"] == 1, log
        assert report["score"] == 0 and report["exercises"][0]["language"] == "python"
        return
    assert codes["Grade k-means"] == 0, log
    assert (outputs["score"], outputs["max-score"]) == ("90", "90"), log
    assert report["exercises"][0]["language"] == language and report["score"] == report["max_score"] == 90


@pytest.mark.quick
def test_the_completed_file_is_chosen_in_any_language(tmp_path):
    """Parsed, never run: a skeleton still marked is not completed; the fewest marks win, then config order."""
    config = load_config(ROOT / "config.yaml")
    skeletons = {language: ROOT / "exercises" / "kmeans" / f"kmeans.{suffix}"
                 for language, suffix in (("python", "py"), ("c", "c"), ("fortran", "f90"))}
    assert {language: marks(path) for language, path in skeletons.items()} == {"python": 4, "c": 4, "fortran": 4}
    assert [marks(ROOT / "reference" / f"kmeans.{suffix}") for suffix in ("py", "c", "f90")] == [0, 0, 0]
    shipped = [Candidate(language, path) for language, path in skeletons.items()]
    chosen = choose(shipped)
    assert chosen is not None and chosen.language == "python" and chosen.note == ""
    half = tmp_path / "kmeans.f90"  # two functions written, the markers of the others left in
    text = skeletons["fortran"].read_text(encoding="utf-8")
    half.write_text(text.replace("    not_implemented = 1\n", "    ! written\n", 2), encoding="utf-8")
    assert marks(half) == 2
    chosen = choose([shipped[0], shipped[1], Candidate("fortran", half)])
    assert chosen is not None and chosen.path == half
    both = [Candidate("python", shipped[0].path), Candidate("c", ROOT / "reference" / "kmeans.c"),
            Candidate("fortran", ROOT / "reference" / "kmeans.f90")]
    chosen = choose(both, root=ROOT)
    assert chosen is not None and chosen.language == "c"
    assert "also completed: reference/kmeans.f90 (fortran)" in chosen.note
    # A whole program's skeleton is marked by its TODO comment, in every language.
    programs = ROOT / "exercises" / "kmeans_program"
    assert all(marks(path, program=True) > 0 for path in programs.glob("kmeans_program.*") if path.suffix != ".md")
    assert config.exercise("kmeans_program").kind == "program"


def test_a_program_completed_with_its_todo_left_in_is_still_the_students(origin, tmp_path):
    """A TODO comment left above the loop the student wrote: the skeletons' digests, listed in the starter's
    config.yaml, tell the untouched files from the student's."""
    shipped = load_config(origin / "config.yaml").exercise("kmeans").shipped
    assert set(shipped) == {hashlib.sha256((ROOT / "exercises/kmeans" / name).read_bytes()).hexdigest()
                            for name in ("kmeans.py", "kmeans.c", "kmeans.f90")}
    programs = ROOT / "exercises" / "kmeans_program"
    written = tmp_path / "kmeans_program.c"
    text = (programs / "kmeans_program.c").read_text(encoding="utf-8")
    written.write_text(text.replace("    f = fopen(\"kmeans_output_2d.dat\", \"w\");",
                                    "    /* the loop, written */\n    f = fopen(\"kmeans_output_2d.dat\", \"w\");"),
                       encoding="utf-8")
    found = [Candidate("python", programs / "kmeans_program.py"), Candidate("c", written),
             Candidate("fortran", programs / "kmeans_program.f90")]
    digests = [hashlib.sha256(path.read_bytes()).hexdigest() for path in programs.glob("kmeans_program.*")]
    chosen = choose(found, program=True, shipped=digests)
    assert chosen is not None and chosen.path == written
    chosen = choose(found, program=True)  # without the digests, the marks tie: the first language
    assert chosen is not None and chosen.language == "python"
