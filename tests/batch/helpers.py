"""Building class folders for the batch tests: correct and buggy k-means submissions in every shape."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "reference" / "kmeans.py"

# Small textual edits of the reference solution, each a real bug (or a harmless change).
MUTATIONS = {
    "correct": (),
    "with_replacement": (("replace=False", "replace=True"),),
    "strict_stop": (("if move <= eps:", "if move < eps:"),),
    "counts_twice": (("n_iter += 1", "n_iter += 2"),),
    "empty_cluster_nan": (("if len(members) > 0:", "if True:"),),
}


def solution(kind: str = "correct") -> str:
    text = REFERENCE.read_text(encoding="utf-8")
    for old, new in MUTATIONS[kind]:
        assert old in text, f"mutation {kind}: {old!r} not in the reference"
        text = text.replace(old, new)
    return text


def score_of(kind: str, config_path: Path, folder: Path) -> float:
    """What grading the solution ``kind`` alone gives with ``config_path``: batch grading must agree."""
    from grader import grade_submission, load_config

    module = write(folder / f"score_of_{kind}" / "kmeans.py", solution(kind))
    report = grade_submission(load_config(config_path), {"kmeans": module}, hidden=True, sandbox=False)
    return report.score


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def make_zip(path: Path, members: dict[str, str | bytes], *, links: Optional[dict[str, str]] = None,
             folders: tuple[str, ...] = ()) -> Path:
    """A zip with ``members`` (name -> content, names written as given, even ``../x`` or ``/x``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for folder in folders:
            archive.writestr(zipfile.ZipInfo(folder.rstrip("/") + "/"), b"")
        for name, content in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content.encode("utf-8") if isinstance(content, str) else content)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return path


def fast_config(folder: Path, *, max_examples: int = 3, exercises: tuple[str, ...] = ("kmeans",)) -> Path:
    """The course configuration with few examples, a small shrinking budget and ``exercises`` only (by default
    k-means: the batch tests' class hands in k-means), its paths pointing at this repository's files.

    What these tests grade is the class (its shapes, outputs and runs), not how far a buggy student's failure is
    shrunk: the budget of ``capped_shrink_config`` (``tests/conftest.py``) spares each buggy student most of the
    course's shrinking, and every test compares gradings made with this same configuration."""
    from tests.conftest import CAPPED_SHRINK_CALLS

    import yaml

    def absolute(value: object) -> object:  # the course's files, wherever the configuration is written
        if isinstance(value, dict):
            return {key: absolute(item) for key, item in value.items()}
        if isinstance(value, list):
            return [absolute(item) for item in value]
        if isinstance(value, str) and "/" in value and (ROOT / value).exists():
            return (ROOT / value).as_posix()
        return value

    raw = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    raw["exercises"] = {exercise: absolute(raw["exercises"][exercise]) for exercise in exercises}
    raw["max_examples"] = max_examples
    raw["shrink_calls"] = CAPPED_SHRINK_CALLS
    path = folder / "config.yaml"
    write(path, yaml.safe_dump(raw, sort_keys=False, allow_unicode=True))
    return path


def snapshot(root: Path, *, skip: tuple[Path, ...] = ()) -> dict[str, tuple]:
    """Every file, folder and link under ``root``: type, mode, modification time, content hash or link target."""
    found: dict[str, tuple] = {}
    skipped = {str(path) for path in skip}
    for folder, folders, files in os.walk(root, followlinks=False):
        folders[:] = [name for name in folders if os.path.join(folder, name) not in skipped]
        for name in folders + files:
            path = os.path.join(folder, name)
            if path in skipped:
                continue
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                detail: object = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                detail = ("file", hashlib.sha256(Path(path).read_bytes()).hexdigest(), info.st_size)
            else:
                detail = ("folder",)
            found[os.path.relpath(path, root)] = (detail, stat.S_IMODE(info.st_mode), info.st_mtime_ns)
    return found


def run_grade(*args: str, cwd: Path, tmp: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    """``python -m grader grade ARGS`` in a separate process, its temporary folder ``tmp``."""
    tmp.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NO_COLOR": "1", "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "grader", "grade", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def gradebook(out: Path) -> dict[str, dict[str, str]]:
    text = (out / "gradebook.csv").read_text(encoding="utf-8")
    return {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
