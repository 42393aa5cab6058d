"""What the instructor hands out: the student starter repository and the Gradescope autograder bundle.

``build_student_repo(config, out)`` writes the repository students work in (with its
CI workflow); ``build_gradescope_bundle(config, out_zip)`` writes the zip Gradescope
runs.  :mod:`grader.dist.policy` decides when ``grader check`` fails a CI job.
"""

from typing import TYPE_CHECKING

from grader import _lazy

if TYPE_CHECKING:
    from grader.dist.gradescope import GradescopeBundle, build_gradescope_bundle
    from grader.dist.policy import DEFAULT_POLICY, POLICIES, exit_code, fails
    from grader.dist.student import WORKFLOW_PATH, StudentRepo, build_student_repo

__getattr__ = _lazy.exports(__name__, {
    **dict.fromkeys(("GradescopeBundle", "build_gradescope_bundle"), "grader.dist.gradescope"),
    **dict.fromkeys(("DEFAULT_POLICY", "POLICIES", "exit_code", "fails"), "grader.dist.policy"),
    **dict.fromkeys(("WORKFLOW_PATH", "StudentRepo", "build_student_repo"), "grader.dist.student"),
})

__all__ = [
    "build_student_repo",
    "StudentRepo",
    "WORKFLOW_PATH",
    "build_gradescope_bundle",
    "GradescopeBundle",
    "POLICIES",
    "DEFAULT_POLICY",
    "fails",
    "exit_code",
]
