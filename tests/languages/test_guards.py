"""Arrays given to compiled code sit between guard values: a write before their start or past their end is
reported as an ``IndexError`` saying so, never left to corrupt the worker's memory (see grader.student._compiled)."""

from __future__ import annotations

import ctypes
import subprocess

import numpy as np
import pytest

from grader.student._compiled import INT_P, DOUBLE_P, Library
from tests.languages.conftest import needs

SOURCE = r"""
int not_implemented = 0;
void past_end(int n, int *out) { for (int i = 0; i <= n; i++) out[i] = 7; }
void before_start(int n, int *out) { for (int i = -1; i < n; i++) out[i] = 7; }
void in_bounds(int n, double *out) { for (int i = 0; i < n; i++) out[i] = 1.5 * i; }
void scale(int n, double *values) { for (int i = 0; i < n; i++) values[i] *= 2; }
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    folder = tmp_path_factory.mktemp("guards")
    (folder / "guards.c").write_text(SOURCE, encoding="utf-8")
    subprocess.run(["gcc", "-shared", "-fPIC", "-O0", "guards.c", "-o", "libguards.so"], cwd=folder, check=True)
    return ctypes.CDLL(str(folder / "libguards.so"))


def _function(lib: Library, name: str, pointer) -> object:
    return lib.function(name, None, [ctypes.c_int, pointer])


@needs("c")
@pytest.mark.parametrize("name, where", [("past_end", "past the end"), ("before_start", "before the start")])
def test_a_write_outside_an_output_array_is_an_index_error_saying_where(library, name, where):
    lib = Library(library, "c")
    out = lib.int_output((3,))
    with pytest.raises(IndexError) as raised:
        lib.run(_function(lib, name, INT_P), 3, lib.pointer(out))
    assert f"{name} wrote {where} of an array of 3 int values it was given" in str(raised.value)
    assert "shape" not in str(raised.value)  # said in C's terms, not numpy's


@needs("c")
def test_a_write_within_bounds_is_untouched_by_the_guards(library):
    lib = Library(library, "c")
    out = lib.output((4,))
    lib.run(_function(lib, "in_bounds", DOUBLE_P), 4, lib.pointer(out))
    assert out.tolist() == [0.0, 1.5, 3.0, 4.5]
    values = lib.doubles(np.array([[1.0, 2.0], [3.0, 4.0]]))
    lib.run(_function(lib, "scale", DOUBLE_P), 4, lib.pointer(values))
    assert values.tolist() == [[2.0, 4.0], [6.0, 8.0]]


@needs("c")
def test_guarded_arrays_keep_each_languages_order(library):
    c_order, fortran_order = Library(library, "c"), Library(library, "fortran")
    source = np.arange(6.0).reshape(2, 3)
    assert c_order.doubles(source).flags.c_contiguous and fortran_order.doubles(source).flags.f_contiguous
    assert fortran_order.doubles(source).tolist() == source.tolist()
    assert fortran_order.int_output((2, 3)).flags.f_contiguous
    assert fortran_order.ints(np.array([[1, 0], [0, 1]]), "cm").tolist() == [[1, 0], [0, 1]]
