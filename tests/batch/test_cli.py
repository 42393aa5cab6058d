"""``grader grade`` as the instructor meets it: usage errors, the progress display, stopping it."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time

import pytest

from .helpers import ROOT, gradebook, run_grade, solution, write


@pytest.mark.parametrize("arguments, message", [
    (("class", "--out", "."), "must not contain the submissions"),
    (("class", "--out", "class"), "must not contain the submissions"),
    (("nowhere", "--out", "out"), "not found"),
    (("class", "--out", "out", "--exercise", "svm"), "no exercise named 'svm'"),
    (("class", "--out", "out", "--jobs", "0"), "--jobs"),
])
def test_usage_errors_exit_2_with_a_message(tmp_path, course, arguments, message):
    write(tmp_path / "class" / "ana.py", "x = 1\n")
    before = sorted(path.name for path in tmp_path.iterdir())
    done = run_grade(*arguments, "--config", str(course), "--no-sandbox", cwd=tmp_path, tmp=tmp_path / "tmp")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert message in done.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted({*before, "tmp"})
    assert list((tmp_path / "class").iterdir()) == [tmp_path / "class" / "ana.py"]


def _read_all(fd: int, process: subprocess.Popen, timeout: float) -> bytes:
    chunks, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # the terminal closes when the process ends
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    return b"".join(chunks)


def test_a_terminal_gets_a_progress_bar_and_a_log_gets_lines(tmp_path, course):
    write(tmp_path / "class" / "ana.py", solution("correct"))
    (tmp_path / "class" / "ben").mkdir()
    primary, secondary = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "grader", "grade", "class", "--out", "out", "--config", str(course), "--no-sandbox",
         "--jobs", "1"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=secondary)
    os.close(secondary)
    try:
        shown = _read_all(primary, process, timeout=300).decode("utf-8", errors="replace")
    finally:
        os.close(primary)
    stdout = process.communicate(timeout=60)[0].decode()
    assert process.returncode == 0
    assert "\r" in shown and "2/2" in shown and "[" + "#" * 24 + "]" in shown
    assert "now: ana" in shown and "missing: ben" in shown
    assert stdout.startswith("2 students: 1 graded, 0 error, 1 missing (graded now: 2, reused: 0)")

    logged = run_grade("class", "--out", "out", "--config", str(course), "--no-sandbox", cwd=tmp_path,
                       tmp=tmp_path / "tmp")
    assert "\r" not in logged.stderr
    assert logged.stderr.splitlines() == [
        "grading 2 submission(s) with {} job(s)".format(os.cpu_count() or 1),
        "[1/2] reused  ana: 100/100",
        "[2/2] reused  ben: 0/100 — kmeans: the submission is empty: no kmeans.py (nor kmeans.c, kmeans.f90, kmeans.ipynb) to grade",
    ]


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_terminating_the_run_stops_its_jobs_and_removes_the_scratch_area(tmp_path, course):
    for student in ("ana", "ben", "carl"):
        write(tmp_path / "class" / f"{student}.py", solution("correct"))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "NO_COLOR": "1", "TMPDIR": str(scratch), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "grader", "grade", "class", "--out", "out", "--config", str(course), "--no-sandbox",
         "--jobs", "1"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list(scratch.glob("*/*/request.json")) and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "run the same command again" in stderr
    assert list(scratch.iterdir()) == []
    assert not (tmp_path / "out" / "gradebook.csv").exists()


def test_one_students_folder_or_file_is_graded_as_a_class_of_one(tmp_path, course):
    """``grader grade CLASS/dave`` and ``grader grade erin.py``: one student, named after the folder or file."""
    write(tmp_path / "class" / "dave" / "kmeans.py", solution("correct"))
    write(tmp_path / "class" / "dave" / "notes.txt", "my notes\n")
    write(tmp_path / "erin.py", solution("correct"))
    graded = {}
    for name, path in (("dave", tmp_path / "class" / "dave"), ("erin", tmp_path / "erin.py")):
        out = tmp_path / f"out-{name}"
        done = run_grade(str(path), "--out", str(out), "--config", str(course), "--no-sandbox", cwd=tmp_path,
                         tmp=tmp_path / "tmp")
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("1 student: 1 graded, 0 error, 0 missing"), done.stdout
        graded[name] = gradebook(out)
        assert (out / name / "report.json").is_file()
    assert list(graded["dave"]) == ["dave"] and graded["dave"]["dave"]["total"] == "100"
    assert list(graded["erin"]) == ["erin"] and graded["erin"]["erin"]["total"] == "100"


@pytest.mark.parametrize("entries", [(), ("README.md",)], ids=["empty", "only-a-readme"])
def test_a_class_folder_without_submissions_is_an_error(tmp_path, course, entries):
    (tmp_path / "class").mkdir()
    for name in entries:
        write(tmp_path / "class" / name, "# notes\n")
    done = run_grade("class", "--out", "out", "--config", str(course), "--no-sandbox", cwd=tmp_path,
                     tmp=tmp_path / "tmp")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "no submission found in class" in done.stderr and "one entry per student" in done.stderr
    assert not (tmp_path / "out").exists()  # nothing written for a folder that is no class


@pytest.mark.parametrize("out, message", [("class/alice/out", "inside alice, a student's submission"),
                                          ("class/alice", "is alice, an entry of the class folder holding a student")])
def test_an_output_folder_inside_a_students_submission_is_refused(tmp_path, course, out, message):
    write(tmp_path / "class" / "alice" / "kmeans.py", "x = 1\n")
    write(tmp_path / "class" / "bo.py", "x = 1\n")
    done = run_grade("class", "--out", out, "--config", str(course), "--no-sandbox", cwd=tmp_path,
                     tmp=tmp_path / "tmp")
    assert done.returncode == 2 and message in done.stderr and "choose another --out" in done.stderr, done.stderr
    assert sorted(path.name for path in (tmp_path / "class" / "alice").iterdir()) == ["kmeans.py"]


def test_an_earlier_output_in_the_class_folder_may_be_graded_into_again(tmp_path):
    from grader import load_config
    from grader.grade._discover import accepted_files
    from grader.grade._run import _students_entry

    accepted = accepted_files(load_config(ROOT / "config.yaml").exercises.values())
    root = tmp_path / "class"
    write(root / "graded" / "gradebook.csv", "student\n")
    write(root / "graded" / "ana" / "submission.json", "{}")
    write(root / "empty" / ".DS_Store", "")
    write(root / "bo" / "notes.txt", "")
    assert not _students_entry(root / "graded", root, accepted) and not _students_entry(root / "empty", root, accepted)
    assert _students_entry(root / "bo", root, accepted)
    # A student's file beside what looks like an earlier output: the folder is a student's all the same.
    write(root / "graded" / "kmeans.py", "")
    assert _students_entry(root / "graded", root, accepted)
