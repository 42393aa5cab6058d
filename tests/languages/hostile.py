"""Hostile C and Fortran submissions: a correct solution whose ``assign`` is replaced by an attack.

``c_attack(body)`` / ``fortran_attack(body)`` build the source; the correct ``assign`` stays available as
``assign_ok``.  Every attack prints the worker's token first (``TOKEN=...``), so the tests can prove that no
process it started survives (see :func:`tests.sandbox.helpers.survivors`).
"""

from __future__ import annotations

from pathlib import Path

from grader import grade_submission
from grader.results import Report
from tests.sandbox.helpers import Course, survivors

VARIANTS = Path(__file__).parent / "variants"

_C_TOKEN = """
__attribute__((constructor)) static void print_token(void)
{
    const char *token = getenv("GRADER_WORKER");
    printf("TOKEN=%s\\n", token ? token : "none");
    fflush(stdout);
}
"""


def c_attack(body: str, *, prelude: str = "") -> str:
    base = (VARIANTS / "loops.c").read_text(encoding="utf-8").replace("assign(", "assign_ok(")
    return ("#define _GNU_SOURCE\n" + base + "\n#include <unistd.h>\n#include <sys/socket.h>\n" + _C_TOKEN
            + prelude + "\nvoid assign(const double *data, int n, int d, const double *centers, int k, int *labels)"
            "\n{\n" + body + "\n}\n")


def fortran_attack(code: str, *, declarations: str = "", procedures: str = "", top: str = "") -> str:
    base = (VARIANTS / "loops.f90").read_text(encoding="utf-8")
    base = base.replace("assign(", "assign_ok(").replace('name="assign"', 'name="assign_ok"')
    base = base.replace("end subroutine assign", "end subroutine assign_ok")
    attack = f"""
  subroutine assign(data, n, d, centers, k, labels) bind(C, name="assign")
    integer(c_int), value :: n, d, k
    real(c_double), intent(in) :: data(n, d), centers(k, d)
    integer(c_int), intent(inout) :: labels(n)
    character(len=200) :: token
{declarations}
    call get_environment_variable("GRADER_WORKER", token)
    write(*, '(a,a)') "TOKEN=", trim(token)
{code}
  end subroutine assign
{procedures}
end module kmeans_mod
"""
    return top + base.replace("end module kmeans_mod\n", attack)


def grade_attack(course: Course, source: str, language: str) -> Report:
    """Grade ``source``; prove that no file of the course copy changed and no process of the worker survives."""
    path = course.submissions / ("student.c" if language == "c" else "student.f90")
    path.write_text(source, encoding="utf-8")
    before = course.fingerprint()
    report = grade_submission(course.config, {"kmeans": path}, student="student")
    assert course.fingerprint() == before, "a file outside the worker's folder changed"
    assert survivors(report.output) == [], "a process started by the student's code survived"
    return report
