"""GitHub Actions: nothing a submission prints or raises becomes a workflow command, and the points reach
GitHub Classroom in the form its reporter reads."""

from __future__ import annotations

import base64
import json
import re

import pytest

from grader.render.github import classroom_result, defuse, render_github

from .support import INJECTIONS, run_grader

# How the runner splits its input into lines (.NET ReadLine: "\r", "\n" or "\r\n").
_RUNNER_LINES = re.compile(r"\r\n|\r|\n")


def runner_commands(log: str, *, honour_stop: bool = True) -> list[tuple[str, str]]:
    """The workflow commands the Actions runner would act on in ``log``: ``(name, line)``.

    As the runner does: a line whose text after leading blanks starts with ``::`` is a command,
    ``##[`` anywhere in a line is an old-style command, and ``::stop-commands::TOKEN`` ignores
    everything until ``::TOKEN::``.
    """
    found, stop_token = [], None
    for line in _RUNNER_LINES.split(log):
        text = line.lstrip()
        if stop_token is not None:
            if text == f"::{stop_token}::":
                stop_token = None
            continue
        if "##[" in line:
            found.append(("##[", line))
        if text.startswith("::"):
            name = re.match(r"::([^ :]*)", text).group(1)
            found.append((name, line))
            if name == "stop-commands" and honour_stop:
                stop_token = text.split("::")[2]
    return found


@pytest.fixture(scope="module")
def github_run(fast_course, submissions, tmp_path_factory):
    """``grader check --format github`` on the injector, as a workflow step runs it."""
    folder = tmp_path_factory.mktemp("github")
    (folder / "output").write_text("", encoding="utf-8")
    (folder / "summary").write_text("", encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(folder / "output"),
           "GITHUB_STEP_SUMMARY": str(folder / "summary"), "GRADER_FAIL_ON": "failed"}
    done = run_grader("check", "kmeans", "--config", str(fast_course), "--path", str(submissions["injector"]),
                      "--format", "github", "--student", "alice-kmeans", env=env)
    return done, (folder / "output").read_text(encoding="utf-8"), (folder / "summary").read_text(encoding="utf-8")


def test_no_student_line_becomes_a_workflow_command(github_run):
    done, _, _ = github_run
    assert done.returncode == 1, done.stderr
    log = done.stdout
    # The student's lines are in the log, visibly quoted, not dropped.
    assert "> ::set-output name=score::100" in log
    assert "##\\[error]fake error line" in log
    # Textually: the only lines starting with "::" are the grader's own, and "##[" appears nowhere.
    lines = _RUNNER_LINES.split(log)
    token = re.fullmatch(r"::stop-commands::([0-9a-f]{32})", lines[0]).group(1)
    resume = lines.index(f"::{token}::")
    for number, line in enumerate(lines):
        if line.lstrip().startswith("::") and number not in (0, resume):
            assert number > resume and re.match(r"::(error|notice) title=[^:]*::", line), line
        assert "##[" not in line
    # As the runner reads it, even if it ignored ::stop-commands::, only the grader's commands act.
    for honour_stop in (True, False):
        names = [name for name, _ in runner_commands(log, honour_stop=honour_stop)]
        assert set(names) <= {"stop-commands", token, "error", "notice"}, names
    assert "set-output" not in {name for name, _ in runner_commands(log, honour_stop=False)}
    # No terminal escape or NUL of the student's reaches the log, where the runner prints annotations raw.
    assert "\x1b" not in log and "\x00" not in log and "\\x1b[2J\\x00" in log


def test_one_error_annotation_per_failing_check(github_run, reports):
    done, _, _ = github_run
    failing = [check for check in reports["injector"].exercises[0].checks if not check.passed]
    annotations = [line for name, line in runner_commands(done.stdout) if name == "error"]
    assert len(annotations) == len(failing) > 0
    for check in failing:
        assert sum(f"title={check.id} (" in line for line in annotations) == 1
    raised = next(line for line in annotations if "no update" in line)
    assert "%0A> ::set-output name=score::100" in raised  # multi-line message: one line, escaped


def test_points_for_github_classroom(github_run, reports):
    _, output, _ = github_run
    values = dict(line.split("=", 1) for line in output.splitlines())
    assert [line for line in output.splitlines() if line.startswith("score=")] == [f"score={values['score']}"]
    assert "score=100" not in output.splitlines()  # the submission's own line never got there
    result = json.loads(base64.b64decode(values["result"]))
    report = reports["injector"]
    assert values["score"] == f"{report.score:g}" and values["max-score"] == f"{report.max_score:g}"
    assert result["version"] == 1 and result["status"] == "error"  # update raised
    assert result["max_score"] == report.max_score
    assert sum(test["score"] for test in result["tests"]) == pytest.approx(report.score)
    for test in result["tests"]:
        assert set(test) == {"name", "status", "score", "message"}
        assert test["status"] in ("pass", "fail", "error")
        # The reporter prints messages to its own log: they must be as harmless as ours.
        assert not any(line.lstrip().startswith("::") or "##[" in line
                       for line in _RUNNER_LINES.split(test["message"]))


def test_summary_is_a_score_table_with_student_text_escaped(github_run, reports):
    _, _, summary = github_run
    report = reports["injector"]
    assert f"## Grader: {report.score:g}/{report.max_score:g} points" in summary
    assert summary.count("| ✅ |") + summary.count("| ❌ |") == len(report.exercises[0].checks)
    assert "<img" not in summary and "&lt;img src=x onerror=alert(1)&gt;" in summary


def test_classroom_status_follows_the_results(reports):
    assert classroom_result(reports["good"])["status"] == "pass"
    assert classroom_result(reports["skeleton"])["status"] == "fail"
    assert classroom_result(reports["broken"])["status"] == "error"


@pytest.mark.parametrize("text", [*INJECTIONS, "a\u2028::error::x", "b\x0b::error::y", "##[group]g", "  ##x"])
def test_defuse_leaves_no_command(text):
    for line in _RUNNER_LINES.split(defuse(text)):
        assert not line.lstrip().startswith("::") and "##[" not in line


def test_render_github_log_is_quiet_for_a_passing_submission(reports):
    rendered = render_github(reports["good"], token="t" * 32)
    names = [name for name, _ in runner_commands(rendered.log)]
    assert names == ["stop-commands", "notice"]
