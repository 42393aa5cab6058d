"""A C or Fortran call that crashes (a signal: SIGSEGV, SIGFPE, abort()) is told with the line of the student's
source where it happened, from the grader's crash handler in the worker (``grader/student/_crash_lines.py``);
the handler's own line never shows in the output the report gives the student."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from grader.student._crash_lines import MARK, crash_line
from tests.languages.conftest import ROOT, needs

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the crash handler needs Linux")


def _insert_after(source: str, anchor: str, lines: str) -> str:
    assert anchor in source
    return source.replace(anchor, anchor + lines, 1)


def _line_of(source: str, text: str) -> int:
    return next(number for number, line in enumerate(source.splitlines(), 1) if text in line)


def _checks(report):
    return {c.id: c for e in report.exercises for c in e.checks}


@pytest.mark.slow
@needs("c")
def test_each_c_crash_names_the_line_it_happened_on(graded):
    source = (ROOT / "reference" / "kmeans.c").read_text(encoding="utf-8")
    source = _insert_after(source, "int *labels)\n{\n",
                           "    int *nowhere = NULL;\n    if (k > 1) nowhere[n] = 1; /* NULL */\n")
    source = _insert_after(source, "int k, double *new_centers)\n{\n",
                           "    volatile int zero = 0;\n    if (k > 1) k = n / zero; /* FPE */\n")
    source = _insert_after(source, "uint64_t seed, double *centers)\n{\n",
                           "    double *volatile twice = malloc(8);\n    if (k > 1) { free(twice); } free(twice); "
                           "/* ABRT */\n")
    report = graded(source, "c")
    checks = _checks(report)
    expected = {"assign.nearest_center": ("SIGSEGV", _line_of(source, "/* NULL */")),
                "update.centroids": ("SIGFPE", _line_of(source, "/* FPE */")),
                "init_centers.distinct_data_points": ("SIGABRT", _line_of(source, "/* ABRT */"))}
    for check_id, (signal, line) in expected.items():
        check = checks[check_id]
        assert check.verdict == "crashed", (check_id, check.verdict, check.message)
        assert f"{signal} at line {line} of kmeans.c (" in check.message, (check_id, check.message)
    assert "grader-crash" not in report.output and "\x1e" not in report.output


@pytest.mark.slow
@needs("fortran")
def test_a_fortran_stack_overflow_names_the_line_of_the_recursion(graded):
    source = (ROOT / "reference" / "kmeans.f90").read_text(encoding="utf-8")
    source = _insert_after(source, "    real(c_double) :: dist, best\n", "    if (k > 3) labels(1) = deep(n)\n")
    source = source.replace("  subroutine assign(data", "  recursive integer function deep(m) result(r)\n"
                            "    integer, intent(in) :: m\n    integer :: pad(64)\n    pad = m\n"
                            "    r = deep(m + pad(3)) + pad(5)  ! recursion without end\n"
                            "  end function deep\n\n  subroutine assign(data", 1)
    check = _checks(graded(source, "fortran"))["assign.nearest_center"]
    assert check.verdict == "crashed", check.message
    recursion = _line_of(source, "! recursion without end")
    assert any(f"SIGSEGV at line {line} of kmeans.f90 (" in check.message for line in (recursion - 1, recursion)), \
        check.message
    assert "recursion without end" in check.message and "malloc" not in check.message  # in Fortran's terms


def test_only_a_frame_in_the_students_library_names_a_line(tmp_path: Path):
    library = tmp_path / "kmeans.so"
    library.write_bytes(b"not a library")
    printed = "\n\x1egrader-crash SIGSEGV libc.so.6+0x1234 other.so+0x10\n"
    assert crash_line(printed, library) is None  # no frame in the student's library
    assert crash_line("Segmentation fault\n", library) is None
    assert MARK.sub("", "before" + printed + "after\n") == "beforeafter\n"


@pytest.mark.slow
@needs("fortran")
def test_a_fortran_runtime_error_names_its_line_in_every_check_whichever_way_the_worker_ended(graded):
    # The runtime error ends the process by exit(): the worker says so before it ends, or dies first; either way
    # the verdict is the crash at its line, never "your code ended the process".
    source = (ROOT / "reference" / "kmeans.f90").read_text(encoding="utf-8")
    assert source.count("      do c = 2, k\n") == 1
    source = source.replace("      do c = 2, k\n", "      do c = 2, k + 1  ! one center too many\n")
    line = _line_of(source, "! one center too many") + 1  # the line that reads centers(c, :)
    crashed = [c for c in _checks(graded(source, "fortran")).values() if c.verdict == "crashed"]
    assert len(crashed) >= 5
    for check in crashed:  # with k = 1 the label it left (2) may stop the update phase first, at its own line
        assert re.search(r"crashed: Fortran runtime error at line \d+ of kmeans.f90: Index", check.message), \
            (check.id, check.message)
    assert any(f"at line {line} of kmeans.f90" in check.message for check in crashed)


def test_the_output_set_aside_is_read_only_from_a_file_of_the_workers_folder(tmp_path: Path):
    import os

    from grader.student._compiled import PRINTED_ASIDE
    from grader.student._worker import _printed_aside

    (tmp_path / "secret").write_text("Fortran runtime error: the grader's own file\n")
    (tmp_path / PRINTED_ASIDE).symlink_to(tmp_path / "secret")  # the student's code may put a link there
    assert _printed_aside(tmp_path) == ""
    (tmp_path / PRINTED_ASIDE).unlink()
    os.mkfifo(tmp_path / PRINTED_ASIDE)  # or a pipe, which must not be waited on
    assert _printed_aside(tmp_path) == ""
    (tmp_path / PRINTED_ASIDE).unlink()
    (tmp_path / PRINTED_ASIDE).write_text("x" * 20000 + "At line 3 of file f.f90\n")
    assert _printed_aside(tmp_path).endswith("At line 3 of file f.f90\n")
