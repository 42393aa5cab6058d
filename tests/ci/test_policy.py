"""The failure policy of ``grader check``: what exit status a CI job sees, for each kind of submission."""

from __future__ import annotations

import pytest

from grader.dist.policy import exit_code

from .support import run_grader

#: kind of submission -> exit status under failed / error / never
EXPECTED = {
    "good": (0, 0, 0),
    "skeleton": (1, 0, 0),   # checks fail, but it loads: "error" keeps the job green
    "broken": (1, 1, 0),     # it cannot be loaded: only "never" keeps the job green
    "missing": (1, 1, 0),
}


@pytest.mark.quick
@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_policies_on_reports(reports, kind):
    assert tuple(exit_code(reports[kind], policy) for policy in ("failed", "error", "never")) == EXPECTED[kind]


@pytest.mark.parametrize("policy,status", [("failed", 1), ("error", 1), ("never", 0)])
def test_grader_check_exit_status(fast_course, submissions, policy, status):
    done = run_grader("check", "kmeans", "--config", str(fast_course), "--path", str(submissions["broken"]),
                      "--no-sandbox", "--fail-on", policy)
    assert done.returncode == status, done.stderr


def test_policy_from_the_environment(fast_course, submissions):
    args = ("check", "kmeans", "--config", str(fast_course), "--path", str(submissions["skeleton"]), "--no-sandbox")
    assert run_grader(*args, env={"GRADER_FAIL_ON": "error"}).returncode == 0
    assert run_grader(*args, env={"GRADER_FAIL_ON": "failed"}).returncode == 1
    wrong = run_grader(*args, env={"GRADER_FAIL_ON": "sometimes"})
    assert wrong.returncode == 2 and "sometimes" in wrong.stderr


@pytest.mark.quick
def test_unknown_policy_is_refused():
    with pytest.raises(ValueError, match="unknown failure policy"):
        exit_code(None, "sometimes")  # type: ignore[arg-type]
