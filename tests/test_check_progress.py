"""``grader check`` says which check it is running on a terminal, and nothing more anywhere else."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import tempfile

import pytest

from grader import load_config
from grader.grading import grade_submission
from tests.conftest import ROOT, SKELETON, run_grader


def test_the_library_tells_each_check_before_it_runs():
    calls: list[tuple[int, int, str]] = []
    report = grade_submission(load_config(ROOT / "config.yaml"), {"kmeans": SKELETON}, sandbox=False,
                              progress=lambda i, n, check_id: calls.append((i, n, check_id)))
    ids = [check.id for check in report.exercises[0].checks]
    assert calls == [(i, len(ids), check_id) for i, check_id in enumerate(ids, start=1)]


def _stderr_on_a_terminal(*args: str) -> tuple[int, str, str]:
    primary, secondary = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    output = tempfile.TemporaryFile()
    process = subprocess.Popen([sys.executable, "-m", "grader", *args], cwd=ROOT, env=env,
                               stdout=output, stderr=secondary)
    os.close(secondary)
    shown = b""
    try:
        while True:
            ready, _, _ = select.select([primary], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(primary, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                shown += chunk
            elif process.poll() is not None:
                break
    finally:
        os.close(primary)
    process.wait(timeout=300)
    output.seek(0)
    stdout = output.read().decode()
    output.close()
    return process.returncode, stdout, shown.decode("utf-8", errors="replace")


def test_a_terminal_sees_check_i_of_n_and_its_name():
    code, stdout, shown = _stderr_on_a_terminal("check", "kmeans", "--path", str(SKELETON), "--no-sandbox")
    assert code == 1
    n = len([line for line in stdout.splitlines() if line.startswith("  TODO  ")])  # one line per check
    assert f"check 1 of {n}: init_centers." in shown and f"check {n} of {n}: " in shown
    assert shown.endswith("\r\033[K")  # the progress line is cleared before the report
    assert "check 1 of" not in stdout


@pytest.mark.parametrize("args", [("--format", "json"), ("--format", "junit"), ("--format", "github")])
def test_nothing_extra_in_ci_formats_even_on_a_terminal(args):
    _, _, shown = _stderr_on_a_terminal("check", "kmeans", "--path", str(SKELETON), "--no-sandbox", *args)
    assert "check 1 of" not in shown


def test_nothing_extra_when_not_on_a_terminal():
    done = run_grader("check", "kmeans", "--path", str(SKELETON), "--no-sandbox")
    assert "check 1 of" not in done.stderr and "check 1 of" not in done.stdout
