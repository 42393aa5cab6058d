"""Hostile Fortran code, one test per attack: each gets its verdict, changes nothing outside the worker's
folder, and leaves no process behind (see :func:`tests.languages.hostile.grade_attack`)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.languages.conftest import needs
from tests.languages.hostile import fortran_attack, grade_attack
from tests.sandbox.helpers import LIMITS, check, full_marks, landlock_active, make_course

pytestmark = [needs("fortran"), pytest.mark.slow]

OK = "    call assign_ok(data, n, d, centers, k, labels)"
C_FUNCTIONS = """
    interface
      function c_fork() bind(C, name="fork")
        import :: c_int
        integer(c_int) :: c_fork
      end function c_fork
      function c_socket(domain, kind, protocol) bind(C, name="socket")
        import :: c_int
        integer(c_int), value :: domain, kind, protocol
        integer(c_int) :: c_socket
      end function c_socket
    end interface
"""


def _quoted(path: Path) -> str:
    """A Fortran string constant for ``path``, split over continuation lines (a line holds 132 characters)."""
    text = str(path)
    return " // &\n      ".join(f'"{text[i:i + 60]}"' for i in range(0, len(text), 60))


def _crashed(report, signal: str) -> None:
    result = check(report, "assign.nearest_center")
    assert result.verdict == "crashed", result.message
    # The line of the student's file it happened at (the grader's crash handler, on Linux).
    where = r" at line \d+ of student\.f90" if sys.platform.startswith("linux") else ""
    assert re.match(rf"crashed with {signal}{where} \(", result.message), result.message
    assert full_marks(report, but=("assign",))


def test_infinite_loop(course):
    code = "    spin = 1\n    do while (spin > 0)\n      spin = modulo(spin * 3, 7) + 1\n    end do"
    report = grade_attack(course, fortran_attack(code, declarations="    integer :: spin"), "fortran")
    result = check(report, "assign.nearest_center")
    assert result.verdict == "timeout"
    assert result.message.startswith("timed out after 2 s in assign")
    assert full_marks(report, but=("assign",))


def test_segfault(course):
    memset = ("    interface\n      subroutine c_memset(target, value, size) bind(C, name=\"memset\")\n"
              "        import :: c_ptr, c_int, c_size_t\n        type(c_ptr), value :: target\n"
              "        integer(c_int), value :: value\n        integer(c_size_t), value :: size\n"
              "      end subroutine c_memset\n    end interface\n")
    source = fortran_attack("    call c_memset(c_null_ptr, 0, 4096_c_size_t)", declarations=memset)
    _crashed(grade_attack(course, source, "fortran"), "SIGSEGV")


def test_stack_overflow(course):
    procedures = ("  recursive function deep(n) result(r)\n    integer, intent(in) :: n\n    integer :: r\n"
                  "    real(8) :: pad(16384)\n    pad = n\n    r = deep(n + 1) + int(pad(modulo(n, 16384) + 1))\n"
                  "  end function deep\n")
    source = fortran_attack("    labels(1) = deep(0)", procedures=procedures)
    _crashed(grade_attack(course, source, "fortran"), "SIGSEGV")


def test_abort(course):
    _crashed(grade_attack(course, fortran_attack("    call abort()"), "fortran"), "SIGABRT")


def test_stop_in_a_procedure(course):
    report = grade_attack(course, fortran_attack("    stop"), "fortran")
    result = check(report, "assign.nearest_center")
    assert result.verdict == "crashed"
    assert result.message == "your code ended the process (exit code 0) during assign"
    assert full_marks(report, but=("assign",))


def test_an_error_stop_in_a_procedure_is_told_with_what_it_said(course):
    report = grade_attack(course, fortran_attack('    error stop "assign gave up"'), "fortran")
    result = check(report, "assign.nearest_center")
    assert result.verdict == "crashed"
    assert result.message == ("crashed: ERROR STOP (assign gave up): an error stop statement of your code ended the "
                              "program in assign"), result.message
    assert full_marks(report, but=("assign",))


def test_bounds_error_names_the_line(course):
    report = grade_attack(course, fortran_attack(OK + "\n    labels(n + 1) = 1"), "fortran")
    result = check(report, "assign.nearest_center")
    assert result.verdict == "crashed"
    assert re.fullmatch(r"crashed: Fortran runtime error at line \d+ of student\.f90: Index '\d+' of dimension 1 "
                        r"of array 'labels' above upper bound of \d+ in assign", result.message), result.message
    assert full_marks(report, but=("assign",))


def test_fork_loop(course):
    source = fortran_attack("    do\n      pid = c_fork()\n    end do",
                            declarations=C_FUNCTIONS + "    integer(c_int) :: pid")
    report = grade_attack(course, source, "fortran")
    assert check(report, "assign.nearest_center").verdict == "timeout"
    assert full_marks(report, but=("assign",))


def test_execute_command_line(course, tmp_path):
    target = Path("/tmp") / f"grader-f-system-{tmp_path.name}"
    code = (f'    call execute_command_line("echo owned > " // &\n      {_quoted(target)}, &\n'
            f'      exitstat=status, cmdstat=command)\n'
            f'    write(*, *) "SYSTEM", status, command\n{OK}')
    report = grade_attack(course, fortran_attack(code, declarations="    integer :: status, command"), "fortran")
    assert not target.exists()
    assert "SYSTEM" in report.output, report.exercises[0].error
    assert full_marks(report)


def test_writing_outside_its_folder(course, tmp_path):
    targets = [Path("/tmp") / f"grader-f-write-{tmp_path.name}", course.root / "config.yaml"]
    code = "".join(f'    open(newunit=unit, file={_quoted(t)}, position="append", iostat=status)\n'
                   f'    if (status == 0) then\n      write(unit, *) "owned"\n      close(unit)\n'
                   f'      write(*, *) "WRITE opened"\n    else\n      write(*, *) "WRITE denied"\n    end if\n'
                   for t in targets) + OK
    report = grade_attack(course, fortran_attack(code, declarations="    integer :: unit, status"), "fortran")
    assert landlock_active(report), report.sandbox
    assert "WRITE opened" not in report.output and "WRITE denied" in report.output
    assert not targets[0].exists()
    assert full_marks(report)


def test_opening_a_socket(course):
    code = f'    s = c_socket(2, 1, 0)\n    write(*, "(a,i0)") "SOCKET=", s\n{OK}'
    report = grade_attack(course, fortran_attack(code, declarations=C_FUNCTIONS + "    integer(c_int) :: s"),
                          "fortran")
    assert "SOCKET=-1" in report.output
    assert full_marks(report)


def test_reading_the_reference(course):
    targets = [course.root / "reference" / "kmeans.f90", course.root / "reference" / "kmeans.py"]
    code = "".join(f'    open(newunit=unit, file={_quoted(t)}, status="old", action="read", iostat=status)\n'
                   f'    if (status == 0) then\n      read(unit, "(a)") line\n      write(*, *) "LEAK ", trim(line)\n'
                   f'      close(unit)\n    else\n      write(*, *) "DENIED"\n    end if\n' for t in targets) + OK
    source = fortran_attack(code, declarations="    integer :: unit, status\n    character(len=80) :: line")
    report = grade_attack(course, source, "fortran")
    assert landlock_active(report), report.sandbox
    assert "LEAK" not in report.output and report.output.count("DENIED") >= len(targets)
    assert full_marks(report)


def test_include_outside_the_submission(course):
    top = f"include '{course.root / 'reference' / 'kmeans.f90'}'\n"  # a long line is fine in an include
    report = grade_attack(course, fortran_attack(OK, top=top), "fortran")
    exercise = report.exercises[0]
    assert exercise.status == "error" and report.score == 0
    assert "does not compile" in exercise.error and "Cannot open included file" in exercise.error, exercise.error
    assert "Reference solution" not in exercise.error and "splitmix64" not in exercise.error


def test_huge_write_loop(tmp_path):
    course = make_course(tmp_path / "course", limits={**LIMITS, "output_kb": 1})
    code = '    do\n      write(*, *) "spam spam spam spam spam spam spam"\n    end do'
    report = grade_attack(course, fortran_attack(code), "fortran")
    result = check(report, "assign.nearest_center")
    assert result.verdict == "crashed"
    assert result.message == "stopped: your code printed more than 1 MiB in assign"
    assert full_marks(report, but=("assign",))


def test_multi_gigabyte_allocate(course):
    code = f"    allocate(big(2000000000_8))\n    big(1) = 1\n    big(2000000000_8) = big(1)\n{OK}"
    report = grade_attack(course, fortran_attack(code, declarations="    real(8), allocatable :: big(:)"),
                          "fortran")
    result = check(report, "assign.nearest_center")
    assert result.verdict == "crashed"
    assert "Error allocating 16000000000 bytes" in result.message and "memory limit" in result.message, \
        result.message
    assert full_marks(report, but=("assign",))
