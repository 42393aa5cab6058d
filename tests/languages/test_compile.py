"""The confined compile step: builds shared libraries and executables, reports errors and warnings with
paths relative to the source, and cannot read outside the toolchain and the submission's folder."""

from __future__ import annotations

import ctypes
import subprocess
from pathlib import Path

import pytest

from grader.sandbox.compile import CompilerNotFound, compile_source, find_compiler

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
    source = _write(tmp_path, "k.c", "#define A(x) x x x x x x x x\n#define B(x) A(A(A(A(x))))\n"
                                     "#define C(x) A(A(A(B(x))))\nint f(void) { return 0 C(+1); }\n")
    result = compile_source(source, "c", tmp_path / "out", timeout=0.5)
    assert not result.ok and "did not finish within 0.5 s" in result.failure
    survivors = subprocess.run(["pgrep", "-f", "cc1 .*k.c"], capture_output=True, text=True).stdout.split()
    assert survivors == []


@needs_gfortran
def test_fortran_executable_and_warnings(tmp_path: Path) -> None:
    source = _write(tmp_path, "p.f90", "program p\n  integer :: i\n  print '(a)', 'hi'\nend program p\n")
    result = compile_source(source, "fortran", tmp_path, output="executable")
    assert result.ok and "p.f90:2" in result.warnings
    assert subprocess.run([str(result.artifact)], capture_output=True, text=True).stdout == "hi\n"


def test_missing_compiler_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _write(tmp_path, "k.c", "int f(void) { return 0; }\n")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    with pytest.raises(CompilerNotFound, match="C submissions need gcc"):
        compile_source(source, "c", tmp_path)
