"""``grader dist`` never ships a solution or what running the code produced.

An instructor (or a student) who fills in the skeleton and runs it leaves a completed skeleton, output files,
reports and caches in the exercise folder: ``dist`` refuses the first and leaves the others out.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader import load_config
from grader.dist import build_student_repo
from grader.dist._generated import implemented_functions, is_generated
from grader.errors import UsageError

from .support import ROOT, run_grader

GENERATED = ("exercises/kmeans/kmeans_output_2d.dat", "exercises/kmeans/kmeans_2d.png",
             "exercises/kmeans/report/report.json", "exercises/kmeans/grader-report/kmeans/report.md",
             "exercises/kmeans/__pycache__/kmeans.cpython-310.pyc", "exercises/kmeans/.hypothesis/examples/x",
             "exercises/kmeans/.ipynb_checkpoints/kmeans-checkpoint.py", "data/kmeans_output_3d.dat")


def _course(target: Path) -> Path:
    for folder in ("reference", "data", "exercises"):
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "config.yaml", target / "config.yaml")
    return target / "config.yaml"


@pytest.fixture
def course(tmp_path) -> Path:
    return _course(tmp_path / "course")


def test_generated_files_are_never_shipped(course, tmp_path):
    root = course.parent
    for name in GENERATED:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("generated", encoding="utf-8")
    (root / "exercises/kmeans/hints.txt").write_text("a file of the exercise", encoding="utf-8")
    repo = build_student_repo(load_config(course), tmp_path / "out")
    files = {path.relative_to(repo.root).as_posix() for path in repo.root.rglob("*") if path.is_file()}
    assert not files & set(GENERATED)
    assert not [name for name in files if "report/" in name or "__pycache__" in name or name.endswith(".pyc")]
    assert {"exercises/kmeans/hints.txt", "exercises/kmeans/kmeans.py", "exercises/kmeans/.gitignore",
            ".gitignore"} <= files
    # Both .gitignore files keep the outputs of a run out of the students' commits.
    assert "kmeans_output_*.dat" in (repo.root / "exercises/kmeans/.gitignore").read_text(encoding="utf-8")
    assert "*_output_*.dat" in (repo.root / ".gitignore").read_text(encoding="utf-8")


def test_a_completed_skeleton_is_refused(course, tmp_path):
    skeleton = course.parent / "exercises/kmeans/kmeans.py"
    skeleton.write_text((ROOT / "reference/kmeans.py").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(UsageError, match="looks completed"):
        build_student_repo(load_config(course), out)
    assert not out.exists()
    done = run_grader("dist", str(out), "--config", str(course))
    assert done.returncode == 2
    assert "exercises/kmeans/kmeans.py looks completed" in done.stderr and "NotImplementedError" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


def test_one_implemented_function_is_enough_to_refuse(course, tmp_path):
    skeleton = course.parent / "exercises/kmeans/kmeans.py"
    text = skeleton.read_text(encoding="utf-8")
    text = text.replace('    # TODO\n    raise NotImplementedError("assign")',
                        "    return ((data[:, None, :] - centers[None]) ** 2).sum(-1).argmin(1)")
    assert "NotImplementedError(\"assign\")" not in text
    skeleton.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=r": assign no longer raise"):
        build_student_repo(load_config(course), tmp_path / "out")


def test_the_shipped_skeleton_is_not_implemented():
    skeleton = (ROOT / "exercises/kmeans/kmeans.py").read_text(encoding="utf-8")
    assert implemented_functions(skeleton, ["init_centers", "assign", "update", "kmeans"]) == []
    # distance is given in the skeleton: it is implemented, and it is no checked function.
    assert implemented_functions(skeleton, ["distance"]) == ["distance"]


@pytest.mark.parametrize("name, generated", [
    ("kmeans.py", False), ("README.md", False), ("data/kmeans_input_file_2d.dat", False),
    ("kmeans_output_2d.dat", True), ("sub/__pycache__/a.pyc", True), ("report/index.html", True),
    ("notes/report.txt", False), ("out/x.partial", True),
])
def test_generated_names(name, generated):
    from grader.dist._generated import GENERATED_PATTERNS

    assert is_generated(Path(name), GENERATED_PATTERNS) is generated
