"""Interrupted and started again, a run grades only what is missing, and ends with the same gradebook."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.grade import gradebook_csv
from grader.results import Report

from .helpers import ROOT, gradebook, make_zip, run_grade, solution, write

_CLASS = {
    "ana": "correct", "Bérénice Dupré": "with_replacement", "carl": "strict_stop", "dora": "counts_twice",
    "eve": "empty_cluster_nan", "farid": "correct",
}


def _class(root: Path) -> Path:
    for student, kind in _CLASS.items():
        write(root / student / "kmeans.py", solution(kind))
    return root


def _stamps(out: Path) -> list[str]:
    return sorted(path.parent.name for path in out.glob("*/submission.json"))


def _job_processes(marker: str) -> list[int]:
    """Grading processes whose command line mentions ``marker`` (Linux's /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if "grader.grade._child" in command and marker in command:
                found.append(int(entry.name))
    return found


def _comparable(report: dict) -> dict:
    """A report without its timings and printed output (which names the scratch folder): they differ by run."""
    report = dict(report, timing={}, output="")
    report["exercises"] = [dict(exercise, checks=[dict(check, duration=0) for check in exercise["checks"]])
                           for exercise in report["exercises"]]
    return report


@pytest.mark.slow
def test_killed_run_resumes_to_the_same_gradebook(tmp_path, course):
    root = _class(tmp_path / "class")
    whole, resumed = tmp_path / "whole", tmp_path / "resumed"
    tmp_whole, tmp_resumed = tmp_path / "tmp-whole", tmp_path / "tmp-resumed"

    done = run_grade(str(root), "--out", str(whole), "--config", str(course), "--no-sandbox", "--jobs", "1",
                     cwd=tmp_path, tmp=tmp_whole)
    assert done.returncode == 0, done.stderr
    assert f"{len(_CLASS)} graded" in done.stdout

    # The same class with two jobs, killed (SIGKILL: no clean-up at all) once some students are done.
    tmp_resumed.mkdir()
    env = {**os.environ, "NO_COLOR": "1", "TMPDIR": str(tmp_resumed), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "grader", "grade", str(root), "--out", str(resumed), "--config", str(course),
         "--no-sandbox", "--jobs", "2"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while len(_stamps(resumed)) < 2 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert process.poll() is None, "the run ended before it could be killed"
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    done_before = _stamps(resumed)
    assert 2 <= len(done_before) < len(_CLASS)
    assert not (resumed / "gradebook.csv").exists()

    # The jobs the killed run had started notice it and end: none keeps grading.
    if Path("/proc").is_dir():
        deadline = time.monotonic() + 20
        while _job_processes(str(tmp_resumed)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _job_processes(str(tmp_resumed)) == []
    assert any(tmp_resumed.iterdir()), "the killed run's scratch area is left behind"

    again = run_grade(str(root), "--out", str(resumed), "--config", str(course), "--no-sandbox", "--jobs", "2",
                      cwd=tmp_path, tmp=tmp_resumed)
    assert again.returncode == 0, again.stderr
    summary = again.stdout.strip().splitlines()[-1]
    assert f"(graded now: {len(_CLASS) - len(done_before)}, reused: {len(done_before)})" in summary
    for student in done_before:
        assert f"reused  {student}:" in again.stderr

    assert (resumed / "gradebook.csv").read_bytes() == (whole / "gradebook.csv").read_bytes()
    # Same examples and limits whatever the job count: the reports agree check by check.
    for student in _CLASS:
        first = json.loads((whole / student / "report.json").read_text(encoding="utf-8"))
        second = json.loads((resumed / student / "report.json").read_text(encoding="utf-8"))
        assert _comparable(first) == _comparable(second), student
    # The restarted run removed the killed run's scratch area along with its own.
    assert list(tmp_resumed.iterdir()) == []
    assert not list(resumed.rglob("*.partial"))


@pytest.mark.slow
def test_reports_are_reused_only_while_nothing_they_depend_on_changes(tmp_path, course, buggy_score):
    root = tmp_path / "class"
    write(root / "ana.py", solution("correct"))
    write(root / "ben.py", solution("correct"))
    out, tmp = tmp_path / "out", tmp_path / "tmp"

    def grade(*extra: str, config: Path = course) -> str:
        done = run_grade(str(root), "--out", str(out), "--config", str(config), "--no-sandbox", "--jobs", "2",
                         *extra, cwd=tmp_path, tmp=tmp)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    assert "(graded now: 2, reused: 0)" in grade()
    assert "(graded now: 0, reused: 2)" in grade()

    # A changed submission is graded again, and only that one.
    write(root / "ben.py", solution("with_replacement"))
    assert "(graded now: 1, reused: 1)" in grade()
    assert float(gradebook(out)["ben"]["total"]) == buggy_score

    # --force regrades everyone; so does any change of the exercise's files, here the configuration.
    assert "(graded now: 2, reused: 0)" in grade("--force")
    changed = tmp_path / "course" / "config.yaml"
    write(changed, course.read_text(encoding="utf-8").replace("max_examples: 3", "max_examples: 2"))
    assert "(graded now: 2, reused: 0)" in grade(config=changed)
    assert "(graded now: 0, reused: 2)" in grade(config=changed)

    # The gradebook is a function of the reports alone: rebuilt from report.json files, it is the same.
    reports = [Report.from_json(path.read_text(encoding="utf-8")) for path in out.glob("*/report.json")]
    assert gradebook_csv(reports).encode("utf-8") == (out / "gradebook.csv").read_bytes()


def test_a_rerun_after_an_entry_is_removed_drops_its_notes_and_its_folder(tmp_path, course):
    """``sam/`` beside ``sam.zip`` are noted as twins; once ``sam.zip`` is removed as the note says, the next run
    into the same OUT says nothing of it: no stale note in sam's reports or the overview, no ``sam (2)/``."""
    from grader import load_config
    from grader.grade import grade_class

    root, out = tmp_path / "class", tmp_path / "out"
    write(root / "sam" / "notes.txt", "nothing handed in yet\n")  # no module: graded at once, without a job
    make_zip(root / "sam.zip", {"sam/notes.txt": "nothing handed in yet\n"})
    config = load_config(course)
    first = grade_class(config, root, out, jobs=1, sandbox=False)
    twins = "the folder sam/ and sam.zip are both in the class folder"
    assert twins in first.summary() and (out / "sam (2)").is_dir()
    (root / "sam.zip").unlink()
    again = grade_class(config, root, out, jobs=1, sandbox=False)
    assert twins not in again.summary() and [report.student for report in again.reports] == ["sam"]
    for page in ("report.md", "report.json", "report.html"):
        assert twins not in (out / "sam" / page).read_text(encoding="utf-8"), page
    assert twins not in (out / "index.html").read_text(encoding="utf-8")
    assert not (out / "sam (2)").exists() and sorted(gradebook(out)) == ["sam"]
    assert "removed from the output folder, no longer in the class: sam (2)" in again.summary()
