"""The seam checks use: ``student.run(files=...)`` runs a program once per input, in a fresh confined folder."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from grader.student._base import StudentLoadError
from grader.student._program import open_program
from tests.conftest import ROOT
from tests.program.conftest import needs_compilers

PROGRAM = r"""
#include <stdio.h>
int main(void) {
    FILE *in = fopen("in.dat", "r+");            /* read and write, as the course's C program */
    if (in == NULL) { printf("cannot open\n"); return 3; }
    int value = 0;
    fscanf(in, "%d", &value);
    fclose(in);
    FILE *mark = fopen("mark.txt", "r");          /* left by an earlier run? each run starts afresh */
    printf("value %d, earlier run seen: %s\n", value, mark ? "yes" : "no");
    FILE *out = fopen("mark.txt", "w");
    fprintf(out, "%d\n", 2 * value);
    fclose(out);
    return value == 7 ? 5 : 0;
}
"""


@pytest.fixture(scope="module")
def student(program_config, tmp_path_factory):
    needs_compilers("c")
    path = tmp_path_factory.mktemp("seam") / "kmeans_program.c"
    path.write_text(PROGRAM, encoding="utf-8")
    opened = open_program(path, program_config.exercise("kmeans_program"), program_config.limits)
    yield opened
    opened.close()


def test_a_run_reads_a_writable_copy_and_returns_what_it_wrote(student):
    run = student.run({"in.dat": b"21\n"})
    assert run.ok and run.ended == "exited"
    assert "value 21, earlier run seen: no" in run.printed
    assert run.files == {"mark.txt": b"42\n"}  # the input is left out: it did not change
    assert run.duration > 0 and not run.elsewhere


def test_every_run_starts_in_a_fresh_folder_and_the_same_input_runs_once(student):
    before = student.runs
    first = student.run({"in.dat": b"3\n"})
    again = student.run({"in.dat": b"3\n"})
    other = student.run({"in.dat": b"4\n"})
    assert again is first and student.runs == before + 2
    assert "earlier run seen: no" in other.printed and other.files == {"mark.txt": b"8\n"}


def test_exit_codes_are_kept(student):
    run = student.run({"in.dat": b"7\n"})
    assert run.ended == "exited" and run.exit_code == 5 and not run.ok


def test_a_missing_input_is_the_program_s_own_business(student):
    run = student.run({})
    assert run.exit_code == 3 and "cannot open" in run.tail()


def test_standard_input_must_stay_empty(student):
    with pytest.raises(ValueError):
        student.run({"in.dat": b"1\n"}, stdin=b"4\n")


def test_an_unknown_language_cannot_be_opened(program_config, tmp_path):
    path = tmp_path / "kmeans_program.rs"
    path.write_text("fn main() {}", encoding="utf-8")
    with pytest.raises(StudentLoadError, match="cannot tell its language"):
        open_program(path, program_config.exercise("kmeans_program"), program_config.limits)


RANDOM_C = r"""
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(void) { srand(time(NULL)); printf("%d %d\n", rand(), rand()); return 0; }
"""
RANDOM_F90 = """
program draws
  real :: r(3)
  call random_seed()
  call random_number(r)
  write(*,*) r
end program draws
"""


@pytest.mark.parametrize("suffix, source", [(".c", RANDOM_C), (".f90", RANDOM_F90)])
def test_random_starts_are_reproducible_across_gradings(program_config, tmp_path, suffix, source):
    needs_compilers("c" if suffix == ".c" else "fortran")
    path = tmp_path / f"kmeans_program{suffix}"
    path.write_text(source, encoding="utf-8")
    printed = []
    for _ in range(2):  # two gradings: two students, two workers, two builds
        student = open_program(path, program_config.exercise("kmeans_program"), program_config.limits)
        try:
            if not student.protections["random_start"].startswith("active"):
                pytest.skip(student.protections["random_start"])
            printed.append((student.run({"a.dat": b"1"}).printed, student.run({"a.dat": b"2"}).printed))
        finally:
            student.close()
    assert printed[0] == printed[1]  # the same input: the same random start
    assert printed[0][0] != printed[0][1]  # another input: another one


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the library of reproducible starts is Linux's")
def test_the_library_of_reproducible_starts_leaves_no_folder_behind(tmp_path):
    code = ("from grader.student._program import _replayable_library\n"
            "path, state = _replayable_library()\nassert path is not None and path.is_file(), state\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "TMPDIR": str(tmp_path)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert not list(tmp_path.glob("grader-replayable-*"))


#: A debugging line per point on stdout, the step on stderr (where Python's ``logging`` writes too): 36 KB in all,
#: far more than a buffer of stdout.
INTERLEAVED = {
    ".c": r"""
#include <stdio.h>
int main(void) {
    for (int step = 1; step <= 6; step++) {
        for (int i = 0; i < 300; i++)
            printf("point %d -> center %d\n", i, (i * step) % 4);
        fprintf(stderr, "Step : %d, error : %f , cent. move : %f \n", step, 1.0 / step, 0.5 / step);
    }
    return 0;
}
""",
    ".py": """
import sys
for step in range(1, 7):
    for i in range(300):
        print("point", i, "->", "center", (i * step) % 4)
    print("Step : %d, error : %f , cent. move : %f " % (step, 1.0 / step, 0.5 / step), file=sys.stderr)
""",
    ".f90": """
program interleaved
  integer :: step, i
  do step = 1, 6
    do i = 0, 299
      write(*, '(a, i0, a, i0)') 'point ', i, ' -> center ', mod(i * step, 4)
    end do
    write(0, '(a, i0, a, f8.6, a, f8.6, a)') 'Step : ', step, ', error : ', 1.0 / step, ' , cent. move : ', &
      0.5 / step, ' '
  end do
end program interleaved
""",
}


@pytest.mark.quick
@pytest.mark.parametrize("suffix", sorted(INTERLEAVED))
def test_stdout_and_stderr_are_read_as_a_terminal_shows_them(program_config, tmp_path, suffix):
    """Each stderr line stays whole, where the program printed it among its stdout lines (a stdout buffered by
    blocks would be written mid-line, the step landing inside a debugging line)."""
    needs_compilers({".c": "c", ".f90": "fortran"}.get(suffix, "python"))
    path = tmp_path / f"kmeans_program{suffix}"
    path.write_text(INTERLEAVED[suffix], encoding="utf-8")
    student = open_program(path, program_config.exercise("kmeans_program"), program_config.limits)
    try:
        if suffix == ".c" and not student.protections["random_start"].startswith("active"):
            pytest.skip(student.protections["random_start"])  # the preloaded library line-buffers C's stdout
        run = student.run({"a.dat": b"1"})
    finally:
        student.close()
    expected = []
    for step in range(1, 7):
        expected += [f"point {i} -> center {(i * step) % 4}" for i in range(300)]
        expected.append(f"Step : {step}, error : {1.0 / step:f} , cent. move : {0.5 / step:f}")
    assert run.ok, run.printed[-500:]
    assert [line.rstrip() for line in run.printed.splitlines()] == expected
