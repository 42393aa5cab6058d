"""``grader check`` in a terminal: one line per check, then each failure explained, the total, the hidden checks."""

from __future__ import annotations

import os
import pty
import re
import subprocess

import pytest

from grader.render._view import format_value
from tests.reports.conftest import ROOT, grader_command, grader_env

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def failure_block(text: str, check_id: str) -> str:
    """The lines explaining one failed check, up to the next blank line."""
    start = text.index(f"[{check_id}]")
    end = text.find("\n\n", start)
    return text[start: end if end >= 0 else len(text)]


def the_check(report: dict, check_id: str) -> dict:
    return next(check for exercise in report["exercises"] for check in exercise["checks"] if check["id"] == check_id)


@pytest.mark.slow
def test_a_broken_empty_cluster_rule_shows_the_minimal_dataset_what_came_back_and_what_was_expected(graded):
    run = graded["empty_cluster_nan"]
    check = the_check(run.report, "update.empty_cluster_keeps_center")
    assert not check["passed"]
    block = failure_block(run.stdout, "update.empty_cluster_keeps_center")
    lines = block.splitlines()
    # What went wrong, in the course's words.
    assert "update phase: center" in block and "has no point, so it must keep its position" in block
    assert "yours became [nan" in block or "nan]" in block
    # The shrunk dataset, printed compactly on one line each.
    assert "smallest example found:" in block
    for name in ("data", "labels", "centers"):
        expected_line = f"{name} = {format_value(check['counterexample'][name])}"
        assert any(line.strip().replace(" ", "") == expected_line.replace(" ", "") for line in lines), expected_line
    returned = next(line for line in lines if line.strip().startswith("your code returned:"))
    wanted = next(line for line in lines if line.strip().startswith("expected:"))
    assert "nan" in returned and "nan" not in wanted
    assert wanted.split(":", 1)[1].strip() == format_value(check["counterexample"]["expected"])
    assert "hint: When a center has no point" in block
    # Hidden checks ran (--all): they are listed and marked.
    assert re.search(r"\[hidden\]", run.stdout)
    assert f"total: {run.report['score']:g}/{run.report['max_score']:g}" in run.stdout


def test_one_line_per_check_and_not_implemented_said_once_per_function(graded):
    run = graded["skeleton"]
    report = run.report
    checks = report["exercises"][0]["checks"]
    for check in checks:
        assert len(re.findall(rf"^  TODO  {re.escape(check['title'])} +0/{check['max_points']:g}$", run.stdout,
                              re.MULTILINE)) == 1
    for function in ("init_centers", "assign", "update", "kmeans"):
        count = sum(check["function"] == function for check in checks)
        assert run.stdout.count(f"{function} is not implemented yet") == 1
        assert re.search(rf"{function} is not implemented yet: {count} checks \(\d+ points\)", run.stdout)
    assert "smallest example found" not in run.stdout
    exercise = report["exercises"][0]
    assert (f"+ {exercise['hidden_not_run']} hidden checks worth {exercise['hidden_points_not_run']:g} point(s) "
            "will also run at grading time") in run.stdout
    assert run.stdout.rstrip().endswith("total: 0/90")


@pytest.mark.slow
def test_verbose_shows_tracebacks_and_output_with_the_students_control_characters_disarmed(graded):
    run = graded["hostile"]
    assert "traceback (your code):" in run.stdout
    assert "raise ValueError(" in run.stdout  # the student's own line
    assert "output of your code:" in run.stdout and "| <script>" in run.stdout
    assert "\x1b" not in run.stdout  # the student's escape sequence is shown, not sent to the terminal
    assert "\\x1b[31m" in run.stdout
    assert "verdict: error" in run.stdout


@pytest.mark.slow
def test_a_failing_association_phase_shows_returned_and_corrected_labels(graded):
    run = graded["manhattan"]
    check = the_check(run.report, "assign.nearest_center")
    block = failure_block(run.stdout, "assign.nearest_center")
    returned, expected = check["counterexample"]["returned"], check["counterexample"]["expected"]
    assert isinstance(expected, list) and len(expected) == len(returned) and expected != returned
    assert f"your code returned: {format_value(returned)}" in block
    assert re.search(r"expected: +" + re.escape(format_value(expected)), block)


def test_exit_codes_and_a_load_error_explained(graded):
    assert graded["skeleton"].returncode == 1
    crash = graded["crash_at_import"]
    assert crash.returncode == 1
    assert "your code could not be loaded:" in crash.stdout and "RuntimeError: <b>boom</b> at import" in crash.stdout
    bad = subprocess.run(grader_command("check", "no-such-exercise", "--no-sandbox"), cwd=ROOT, env=grader_env(),
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "no exercise named 'no-such-exercise'" in bad.stderr


def run_in_terminal(*args: str, env: dict[str, str]) -> str:
    """Run the grader with its output on a pseudo-terminal, as a student's shell would; returns what it printed."""
    main, secondary = pty.openpty()
    try:
        process = subprocess.Popen(grader_command(*args), cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                   stdout=secondary, stderr=secondary)
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the terminal is closed once the process has exited
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=300) == 1
    finally:
        os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("no_color, coloured", [(None, True), ("1", False), ("", True)],
                         ids=["terminal", "NO_COLOR=1", "NO_COLOR-empty"])
def test_colour_only_on_a_terminal_and_no_color_respected(no_color, coloured):
    env = grader_env() if no_color is None else grader_env(NO_COLOR=no_color)
    text = run_in_terminal("check", "kmeans", "--no-sandbox", env=env)
    assert "TODO" in text and "total: 0/90" in ANSI.sub("", text)
    assert bool(ANSI.search(text)) is coloured


@pytest.mark.quick
def test_no_colour_when_the_output_is_not_a_terminal():
    result = subprocess.run(grader_command("check", "kmeans", "--no-sandbox"), cwd=ROOT, env=grader_env(),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "TODO" in result.stdout and "\x1b" not in result.stdout


@pytest.mark.quick
def test_computed_floats_print_with_the_digits_that_tell_them_apart():
    """0.25, not 0.2500000000000011 -- unless the value it is compared with is 0.25: then every digit needed."""
    from grader.render._view import example_lines, split_example

    def shown(counterexample):
        return "\n".join(example_lines(split_example(counterexample)))

    few = shown({"data": [[0.1, 0.2]], "returned": [0.2500000000000011, 1 / 3], "expected": [0.5, 2 / 3]})
    assert "[0.25, 0.333333]" in few and "[0.5, 0.666667]" in few and "0.2500000000000011" not in few
    assert "data = [[0.1, 0.2]]" in few  # inputs exactly, to run the example again
    close = shown({"returned": [0.2500000000000011], "expected": [0.25]})
    assert "returned: [0.25000000000000" in close and "expected:           [0.25]" in close
    left = shown({"x": [0.1], "x_afterwards": [0.10000000000000002]})
    assert "[0.10000000000000002]" in left
    rounded = shown({"returned": [1234567.25], "expected": [1234567.5]})
    assert "1234567.0" not in rounded and "1234568.0" not in rounded
