"""What fails a CI job: the exit status of ``grader check`` under a failure policy.

* ``failed`` (the default): any check that does not pass, or an exercise that cannot be graded.
* ``error``: only a submission that cannot be graded at all (missing module, a module that
  does not load) or a fault of the grader itself; failing checks keep the job green.
* ``never``: the job never fails because of the submission; the score is only reported.

Usage and configuration errors exit with 2 under every policy.  A check of the exercise that raised
(verdict ``grader_error``: the exercise's fault, not the submission's) exits with 3 under ``failed`` and
``error``, so that a CI run tells the instructor rather than the student.
"""

from __future__ import annotations

from grader.errors import EXIT_FAILED, EXIT_GRADER_ERROR, EXIT_OK
from grader.results import Report

__all__ = ["POLICIES", "DEFAULT_POLICY", "fails", "exit_code"]

POLICIES = ("failed", "error", "never")
DEFAULT_POLICY = "failed"


def _cannot_be_graded(report: Report) -> bool:
    return any(exercise.status != "graded" or any(check.verdict == "grader_error" for check in exercise.checks)
               for exercise in report.exercises)


def fails(report: Report, policy: str = DEFAULT_POLICY) -> bool:
    """Whether ``report`` fails a job under ``policy`` (one of :data:`POLICIES`)."""
    if policy == "failed":
        return not report.passed
    if policy == "error":
        return _cannot_be_graded(report)
    if policy == "never":
        return False
    raise ValueError(f"unknown failure policy {policy!r}: use one of {', '.join(POLICIES)}")


def exit_code(report: Report, policy: str = DEFAULT_POLICY) -> int:
    """0, 1 (the policy fails ``report``) or 3 (it fails because a check of the exercise itself raised)."""
    if not fails(report, policy):
        return EXIT_OK
    broken = any(exercise.grader_errors for exercise in report.exercises)
    return EXIT_GRADER_ERROR if broken else EXIT_FAILED
