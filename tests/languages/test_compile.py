"""The confined compile step: builds shared libraries and executables, reports errors and warnings with
paths relative to the source, and cannot read outside the toolchain and the submission's folder."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.sandbox.compile import CompilerNotFound, compile_source, find_compiler, local_includes, one_file_hint
from grader.student._base import StudentLoadError
from grader.student._build import BuildFailed, build_program
from grader.student._runners import worker_runner

ROOT = Path(__file__).resolve().parents[2]

needs_gcc = pytest.mark.skipif(find_compiler("c") is None, reason="gcc is not installed")
needs_gfortran = pytest.mark.skipif(find_compiler("fortran") is None, reason="gfortran is not installed")


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.quick
@needs_gcc
def test_c_shared_library_builds_and_loads(tmp_path: Path) -> None:
    source = _write(tmp_path, "k.c", "int twice(int x) { int unused; return 2 * x; }\n")
    result = compile_source(source, "c", tmp_path)
    assert result.ok and result.artifact is not None and result.artifact.is_file()
    assert ctypes.CDLL(str(result.artifact)).twice(21) == 42
    assert "k.c:1:" in result.warnings and "unused" in result.warnings
    assert str(tmp_path) not in result.diagnostics


@needs_gcc
def test_c_compiles_as_a_plain_gcc_does(tmp_path: Path) -> None:
    # What the course's "gcc -O2 kmeans.c -o kmeans -lm" accepts (GNU C): typeof, M_PI, POSIX declarations.
    source = _write(tmp_path, "k.c", "#include <math.h>\n#include <stdlib.h>\n#include <string.h>\n"
                                     "double f(double x) { typeof(x) y = x * M_PI; return y; }\n"
                                     "char *g(const char *s) { return strdup(s); }\n")
    result = compile_source(source, "c", tmp_path)
    assert result.ok, result.diagnostics
    assert "implicit declaration" not in result.warnings
    f = ctypes.CDLL(str(result.artifact)).f
    f.restype, f.argtypes = ctypes.c_double, [ctypes.c_double]
    assert f(2.0) == 2.0 * 3.141592653589793


@needs_gcc
def test_c_executable_runs(tmp_path: Path) -> None:
    source = _write(tmp_path, "p.c", '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n')
    result = compile_source(source, "c", tmp_path, output="executable")
    assert result.ok and result.warnings == ""
    assert subprocess.run([str(result.artifact)], capture_output=True, text=True).stdout == "hi\n"


@pytest.mark.quick
@needs_gcc
def test_c_errors_are_relative_to_the_source(tmp_path: Path) -> None:
    source = _write(tmp_path, "k.c", "int f(void) { return x; }\n")
    result = compile_source(source, "c", tmp_path)
    assert not result.ok and result.artifact is None
    assert result.diagnostics.startswith("k.c:") and "'x' undeclared" in result.diagnostics
    assert str(tmp_path) not in result.diagnostics


@needs_gcc
@pytest.mark.parametrize("target", ["/etc/passwd", str(ROOT / "reference" / "kmeans.py")])
def test_include_outside_the_folder_fails(tmp_path: Path, target: str) -> None:
    source = _write(tmp_path, "k.c", f'#include "{target}"\nint f(void) {{ return 0; }}\n')
    result = compile_source(source, "c", tmp_path, protected=[ROOT])
    if not result.protections.get("filesystem", "").startswith("active"):
        pytest.skip("Landlock is not available here")
    assert not result.ok
    assert "Permission denied" in result.diagnostics
    assert "root:" not in result.diagnostics and "def " not in result.diagnostics


@needs_gcc
def test_a_compiler_that_never_ends_is_stopped(tmp_path: Path) -> None:
    # Two million tokens of macro expansion: seconds of work for the compiler.
    # A name of its own: a compiler of another test or grading on the machine is none of this one's.
    name = f"never_ends_{os.getpid()}_{time.monotonic_ns()}.c"
    source = _write(tmp_path, name, "#define A(x) x x x x x x x x\n#define B(x) A(A(A(A(x))))\n"
                                    "#define C(x) A(A(A(B(x))))\nint f(void) { return 0 C(+1); }\n")
    result = compile_source(source, "c", tmp_path / "out", timeout=0.5)
    assert not result.ok and "did not finish within 0.5 s" in result.failure
    survivors = subprocess.run(["pgrep", "-f", f"cc1 .*{name}"], capture_output=True, text=True).stdout.split()
    assert survivors == []


@needs_gfortran
def test_fortran_executable_and_warnings(tmp_path: Path) -> None:
    source = _write(tmp_path, "p.f90", "program p\n  integer :: i\n  print '(a)', 'hi'\nend program p\n")
    result = compile_source(source, "fortran", tmp_path, output="executable")
    assert result.ok and "p.f90:2" in result.warnings
    assert subprocess.run([str(result.artifact)], capture_output=True, text=True).stdout == "hi\n"


@pytest.mark.quick
@needs_gcc
def test_a_c_source_is_compiled_as_c_whatever_the_case_of_its_suffix(tmp_path: Path) -> None:
    # gcc compiles "p.C" as C++, where malloc's void * does not convert and "new" is a keyword: the course's
    # language is C.
    source = _write(tmp_path, "P.C", "#include <stdio.h>\n#include <stdlib.h>\nint main(void) {\n"
                                     "  int unused, *new = malloc(sizeof *new); *new = 7; printf(\"%d\\n\", *new);\n"
                                     "  free(new); return 0;\n}\n")
    built = build_program(source, "c", tmp_path / "out")
    assert subprocess.run([str(built.executable)], capture_output=True, text=True).stdout == "7\n"
    assert "P.C:" in built.warnings  # messages name the student's own file


@needs_gfortran
@pytest.mark.parametrize("name", ["old.f", "OLD.F", "old.for", "OLD.FTN"])
def test_a_fortran_suffix_keeps_its_meaning(tmp_path: Path, name: str) -> None:
    # As gfortran at home: .f, .for and .ftn are fixed form in either case (a C in column 1 is a comment, a
    # character in column 6 continues the line), and upper case (as .F90) is preprocessed first.
    directive = "#define THREE 3\n" if name.split(".")[1].isupper() else ""
    three = "THREE" if directive else "3"
    source = _write(tmp_path, name, f"{directive}C     FIXED FORM\n      PROGRAM P\n      INTEGER I\n"
                                    f"      I = 1 +\n     &    {three} - 1\n      PRINT '(I0)', I\n      END\n")
    built = build_program(source, "fortran", tmp_path / "out")
    assert subprocess.run([str(built.executable)], capture_output=True, text=True).stdout == "3\n"


def test_missing_compiler_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _write(tmp_path, "k.c", "int f(void) { return 0; }\n")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    with pytest.raises(CompilerNotFound, match="C submissions need gcc"):
        compile_source(source, "c", tmp_path)


@pytest.mark.quick
@needs_gcc
def test_headers_beside_the_source_are_compiled_with_it(tmp_path: Path) -> None:
    # kmeans.c includes util.h, which includes more.h, all three in the student's folder: gcc at home finds them.
    _write(tmp_path, "util.h", '#include "more.h"\nstatic int twice(int x) { return FACTOR * x; }\n')
    _write(tmp_path, "more.h", "#define FACTOR 2\n")
    source = _write(tmp_path, "kmeans.c", '#include <stdio.h>\n#include "util.h"\n'
                                          'int main(void) { printf("%d\\n", twice(21)); return 0; }\n')
    result = compile_source(source, "c", tmp_path / "out", output="executable")
    assert result.ok, result.diagnostics
    assert subprocess.run([str(result.artifact)], capture_output=True, text=True).stdout == "42\n"


@needs_gfortran
def test_fortran_include_files_beside_the_source_are_compiled_with_it(tmp_path: Path) -> None:
    _write(tmp_path, "util.inc", "  integer, parameter :: factor = 2\n")
    source = _write(tmp_path, "p.f90", "program p\n  implicit none\n  include 'util.inc'\n"
                                       "  print '(i0)', factor * 21\nend program p\n")
    result = compile_source(source, "fortran", tmp_path / "out", output="executable")
    assert result.ok, result.diagnostics
    assert subprocess.run([str(result.artifact)], capture_output=True, text=True).stdout == "42\n"


def test_only_files_of_the_source_s_own_folder_named_by_its_includes_are_copied(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = _write(outside, "secret.h", "int secret;\n")
    folder = tmp_path / "quinn"
    (folder / "sub").mkdir(parents=True)
    _write(folder / "sub", "deep.h", "int deep;\n")
    (folder / "link.h").symlink_to(secret)  # a link leads outside what was handed in: never followed
    _write(folder, "util.h", "int util;\n")
    _write(folder, "notes.h", "never included\n")
    _write(folder, "tmp", "the compiler's own temporary folder\n")
    source = _write(folder, "kmeans.c", '#include <stdio.h>\n#include "util.h"\n#include "link.h"\n'
                                        '#include "../outside/secret.h"\n#include "sub/deep.h"\n#include "tmp"\n'
                                        '#include "absent.h"\n#include "kmeans.c"\n// #include "notes.h"\n')
    assert local_includes(source) == {"util.h": b"int util;\n"}
    fortran = _write(folder, "p.f90", "program p\n  INCLUDE \"util.h\"\n  include 'sub/deep.h'\nend program p\n")
    assert local_includes(fortran) == {"util.h": b"int util;\n"}


@needs_gcc
def test_a_header_the_compiler_was_not_given_is_explained(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    _write(tmp_path / "lib", "util.h", "int util;\n")
    source = _write(tmp_path, "kmeans_program.c", '#include "lib/util.h"\nint main(void) { return 0; }\n')
    with pytest.raises(BuildFailed) as failed:
        build_program(source, "c", tmp_path / "out")
    assert "lib/util.h: No such file" in failed.value.details
    assert "Only your file is compiled, with the files of its own folder it includes" in failed.value.message


@pytest.mark.parametrize("diagnostics, hint", [
    ('k.c:1:10: fatal error: conio.h: No such file or directory\n    1 | #include <conio.h>\n', ""),
    ("k.c:1:10: fatal error: 'util.h' file not found\n#include \"util.h\"\n", "its own folder it includes"),
    ("p.f90:2:0:\nFatal Error: Cannot open included file 'util.inc'\n", "its own folder it includes"),
    ("p.f90:2:7:\nFatal Error: Cannot open module file 'util.mod' for reading at (1): No such file or directory\n",
     "a Fortran module it uses must be in the same file"),
    ("/usr/bin/ld: k.o: in function `main':\nk.c:3: undefined reference to `helper'\n", "another source file"),
    ("k.c:1:22: error: 'x' undeclared (first use in this function)\n", ""),
])
def test_one_file_hint_names_what_only_one_file_misses(diagnostics: str, hint: str) -> None:
    assert (hint in one_file_hint(diagnostics)) and bool(one_file_hint(diagnostics)) == bool(hint)


_NO_MODULE = ("p.f90:9:6:\nFatal Error: Cannot open module file 'stats.mod' for reading at (1): No such file or "
              "directory\n")


@pytest.mark.parametrize("source, hint", [
    ("program p\n  use stats\nend program p\n", "a Fortran module it uses must be in the same file"),
    ("program p\n  use stats\nend program p\nmodule stats\nend module stats\n", "before the code that uses it"),
    ("module other\ncontains\n  module procedure stats\nend module other\nprogram p\n  use stats\nend program p\n",
     "a Fortran module it uses must be in the same file"),
    ("MODULE Stats ! the file's own\nend module\nprogram p\n  use :: stats, only: mean\nend program p\n",
     "Your module stats did not compile"),
    ("module stats\r\nend module\r\nprogram p\r\n  use, non_intrinsic :: STATS\r\nend program p\r\n",
     "Your module stats did not compile"),
])
def test_a_missing_module_is_said_to_be_in_another_file_only_when_the_file_does_not_define_it_first(
        tmp_path: Path, source: str, hint: str) -> None:
    path = tmp_path / "p.f90"
    path.write_bytes(source.encode())
    assert hint in one_file_hint(_NO_MODULE, path)
    assert ("did not compile" in one_file_hint(_NO_MODULE, path)) != ("same file" in one_file_hint(_NO_MODULE, path))


@needs_gfortran
def test_a_module_of_the_file_that_does_not_compile_sends_the_student_to_its_first_error(graded) -> None:
    """The module is in the file, before the program that uses it: a typo in it makes gfortran add "Cannot open
    module file" to its error; the report opens on that first error, not on a module missing from the file."""
    source = ("module kmeans_mod\n  implicit none\ncontains\n  subroutine reset(counts)\n"
              "    integer, intent(out) :: counts(:)\n    count = 0\n  end subroutine reset\n"
              "end module kmeans_mod\n\nprogram main\n  use kmeans_mod\nend program main\n")
    error = graded(source, "fortran").exercises[0].error
    headline, _, details = error.partition("\n")
    assert "does not compile with gfortran: fix the errors below" in headline
    assert "Your module kmeans_mod did not compile" in headline and "fix the first error (line 6)" in headline
    assert "same file" not in error
    assert details.split("\n")[1] == "kmeans.f90:6:9:"  # after the command, the first error shown is the typo
    assert "Cannot open module file 'kmeans_mod.mod'" in details


@needs_gcc
def test_a_function_defined_in_another_source_file_is_explained_when_the_library_is_loaded(tmp_path: Path) -> None:
    # util.h declares helper, util.c defines it: only kmeans.c is compiled, the library misses helper.
    _write(tmp_path, "util.h", "int helper(int x);\n")
    _write(tmp_path, "util.c", '#include "util.h"\nint helper(int x) { return x; }\n')
    source = _write(tmp_path, "kmeans.c", '#include "util.h"\nint twice(int x) { return 2 * helper(x); }\n')
    result = compile_source(source, "c", tmp_path / "out")
    assert result.ok and result.artifact is not None, result.diagnostics
    with pytest.raises(StudentLoadError) as failed:
        worker_runner("c").load({"folder": str(result.artifact.parent), "library": result.artifact.name,
                                 "module": "kmeans.c"})
    assert failed.value.args[0].startswith("the compiled kmeans.c cannot be loaded: it uses helper, which it does "
                                           "not define. Only your file is compiled")
    assert str(tmp_path) not in failed.value.args[0]


@needs_gcc
def test_a_source_is_compiled_once_and_its_build_reused_with_its_messages(tmp_path: Path, monkeypatch) -> None:
    """The same source, header and compiler: the build and its warnings come from the cache; any change compiles."""
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GRADER_NO_CACHE", raising=False)
    folder = tmp_path / "src"
    folder.mkdir()
    header = _write(folder, "scale.h", "#define SCALE 2\n")
    source = _write(folder, "k.c", '#include "scale.h"\nint twice(int x) { int unused; return SCALE * x; }\n')
    first = compile_source(source, "c", tmp_path / "a")
    again = compile_source(source, "c", tmp_path / "b")
    assert first.seconds > 0 and again.seconds == 0.0  # not compiled again
    assert again.ok and again.artifact == tmp_path / "b" / first.artifact.name
    assert (again.warnings, again.diagnostics, again.command) == (first.warnings, first.diagnostics, first.command)
    assert "unused" in again.warnings and ctypes.CDLL(str(again.artifact)).twice(21) == 42
    header.write_text("#define SCALE 3\n", encoding="utf-8")  # what the source includes changed
    changed = compile_source(source, "c", tmp_path / "c")
    assert changed.seconds > 0 and ctypes.CDLL(str(changed.artifact)).twice(21) == 63
    for entry in (tmp_path / "cache" / "builds").iterdir():  # a damaged entry is compiled again, never used
        (entry / "result.json").write_text("{", encoding="utf-8")
    assert compile_source(source, "c", tmp_path / "d").seconds > 0
    monkeypatch.setenv("GRADER_NO_CACHE", "1")
    assert compile_source(source, "c", tmp_path / "e").seconds > 0
    broken = _write(folder, "bad.c", "int f( { return 1; }\n")  # what does not build is compiled every time
    assert not compile_source(broken, "c", tmp_path / "f").ok
    monkeypatch.delenv("GRADER_NO_CACHE")
    assert compile_source(broken, "c", tmp_path / "g").seconds > 0 and compile_source(broken, "c", tmp_path / "h").seconds > 0


@needs_gcc
@pytest.mark.parametrize("language, text", [
    ("c", "#include <omp.h>\nint threads(void) { int n = 0;\n#pragma omp parallel reduction(+:n)\n n += 1;\n"
          " return n + 0 * omp_get_max_threads(); }\n"),
    pytest.param("fortran", "function threads() result(n) bind(C, name='threads')\n  use omp_lib\n"
                            "  use iso_c_binding\n  integer(c_int) :: n\n  n = omp_get_max_threads()\n"
                            "end function threads\n", marks=needs_gfortran),
    # Fortran is written in any case.
    pytest.param("fortran", "FUNCTION THREADS() RESULT(N) BIND(C, NAME='threads')\n  USE OMP_LIB\n"
                            "  USE ISO_C_BINDING\n  INTEGER(C_INT) :: N\n  N = OMP_GET_MAX_THREADS()\n"
                            "END FUNCTION THREADS\n", marks=needs_gfortran)])
def test_openmp_builds_as_with_fopenmp(tmp_path: Path, language: str, text: str) -> None:
    # The course allows OpenMP: its runtime's functions link, as "gcc -fopenmp" / "gfortran -fopenmp" build them.
    source = _write(tmp_path, "k.c" if language == "c" else "k.f90", text)
    result = compile_source(source, language, tmp_path)
    assert result.ok, result.diagnostics
    assert ctypes.CDLL(str(result.artifact)).threads() >= 1


@needs_gfortran
def test_a_large_local_array_of_code_without_openmp_is_not_put_on_the_stack(tmp_path: Path) -> None:
    # gfortran -fopenmp implies -frecursive (every local array on the stack): a 12 MB scratch array, which a plain
    # "gfortran -O2" build keeps in static memory, overflowed the 8 MB stack of a program that uses no OpenMP.
    source = _write(tmp_path, "big.f90", "function big() result(s) bind(C, name='big')\n  use iso_c_binding\n"
                    "  real(c_double) :: s\n  real(c_double) :: scratch(1500000)\n  integer :: i\n"
                    "  do i = 1, size(scratch)\n    scratch(i) = i\n  end do\n  s = sum(scratch)\n"
                    "end function big\n")
    result = compile_source(source, "fortran", tmp_path / "out")
    assert result.ok, result.diagnostics
    # Called in a process of its own: a stack overflow would end it, not the test run.
    call = ("import ctypes, sys; lib = ctypes.CDLL(sys.argv[1]); lib.big.restype = ctypes.c_double; "
            "print(lib.big())")
    done = subprocess.run([sys.executable, "-c", call, str(result.artifact)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) == 1500000 * 1500001 / 2


@needs_gcc
@pytest.mark.parametrize("name, output", [("-kmeans.c", "shared"), (b"kmeans_\xe9l\xe8ve.c", "shared"),
                                          ("tmp.c", "executable"), (b"prog_\xe9l\xe8ve.c", "executable")])
def test_any_file_name_builds_into_an_artifact_named_as_text(tmp_path: Path, name, output: str) -> None:
    # A name read as an option, a Latin-1 name unpacked from an archive (the worker is told the artifact's name
    # as text), the name of the compiler's temporary folder.
    name = os.fsdecode(name)
    main = "int main(void) { return 0; }\n" if output == "executable" else ""
    source = _write(tmp_path, name, f"int twice(int x) {{ return 2 * x; }}\n{main}")
    result = compile_source(source, "c", tmp_path / "out", output=output)
    assert result.ok, result.diagnostics
    assert result.artifact is not None and result.artifact.is_file()
    result.artifact.name.encode("utf-8")
    assert not result.artifact.name.startswith("-")


def test_visual_studios_own_functions_are_named_with_the_standard_ones_to_use():
    diagnostics = ("kmeans.c:12:5: warning: implicit declaration of function 'fopen_s' [-Wimplicit-function-declaration]\n"
                   "/usr/bin/ld: kmeans.o: in function `main': undefined reference to `fopen_s'\n"
                   "/usr/bin/ld: undefined reference to `fscanf_s'\n")
    hint = one_file_hint(diagnostics)
    assert hint.startswith("fopen_s, fscanf_s: Microsoft's (Visual Studio's) own versions"), hint
    assert "use fopen, fscanf" in hint
    assert "another source file" not in hint
