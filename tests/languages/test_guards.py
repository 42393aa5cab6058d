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
#include <stdio.h>
int not_implemented = 0;
void says(int n, double *out) { printf("filling %d\n", n); for (int i = 0; i < n; i++) out[i] = i; }
void past_end(int n, int *out) { for (int i = 0; i <= n; i++) out[i] = 7; }
void before_start(int n, int *out) { for (int i = -1; i < n; i++) out[i] = 7; }
void in_bounds(int n, double *out) { for (int i = 0; i < n; i++) out[i] = 1.5 * i; }
void scale(int n, double *values) { for (int i = 0; i < n; i++) values[i] *= 2; }
int zeros_to_n(int n, const int *labels) { int z = 0; for (int i = 0; i <= n; i++) z += labels[i] == 0; return z; }
void largest_from_minus_1(int n, const double *values, double *out)
{ *out = values[0]; for (int i = -1; i < n; i++) if (values[i] > *out) *out = values[i]; }
void copy_to_n(int n, const int *labels, int *out) { for (int i = 0; i <= n; i++) if (labels[i] >= 0) out[0] = labels[i]; }
static int calls = 0;
void count_calls(int n, int *out) { calls++; for (int i = 0; i < n; i++) out[i] = calls; }
void draw(unsigned long long *state, int n, double *out) { for (int i = 0; i < n; i++) out[i] = (double)++*state; }
void all_but_last(int n, double *out) { for (int i = 0; i < n - 1; i++) out[i] = i; }
void count_without_reset(int n, int *counts) { for (int i = 0; i < n; i++) counts[i % 2]++; }
void sum_without_reset(int n, const double *values, double *out) { for (int i = 0; i < n; i++) *out += values[i]; }
static int flip = 0;
void alternate(int n, int *out) { flip = !flip; for (int i = 0; i < n; i++) out[i] = flip; }
void sum_b_to_n(int n, const double *a, const double *b, double *out)
{ *out = 0; for (int i = 0; i < n; i++) *out += a[i]; for (int i = 0; i <= n; i++) *out += b[i]; }
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


@needs("c")
@pytest.mark.parametrize("name, restype, pointer, values, where, kind", [
    ("zeros_to_n", ctypes.c_int, INT_P, [1, 2, 3], "past the end", "3 int values"),
    ("largest_from_minus_1", None, DOUBLE_P, [-3.0, -2.0], "before the start", "2 double values")])
def test_a_read_outside_an_array_is_an_index_error_saying_where(library, name, restype, pointer, values, where, kind):
    """The guards read as values change nothing here (no label is -1234567891, no value is below -7e307): the
    replay with plausible guards shows that the results (a returned value, an output) depend on them."""
    lib = Library(library, "c")
    given = lib.ints(np.array(values), "labels") if pointer is INT_P else lib.doubles(np.array(values))
    out = lib.output((1,))
    compiled = lib.function(name, restype, [ctypes.c_int, pointer] + ([DOUBLE_P] if restype is None else []))
    with pytest.raises(IndexError) as raised:
        lib.run(compiled, len(values), lib.pointer(given), *([lib.pointer(out)] if restype is None else []))
    assert f"{name} read {where} of an array of {kind} it was given" in str(raised.value)


@needs("c")
@pytest.mark.parametrize("language", ["c", "fortran"])
def test_a_read_past_a_matrix_is_caught_in_each_languages_order(library, language):
    """A Fortran matrix is column-major: it is replayed as well (and its int guards then hold 1, a valid index)."""
    lib = Library(library, language)
    compiled = lib.function("copy_to_n", None, [ctypes.c_int, INT_P, INT_P])
    labels, out = lib.ints(np.array([[5, 6], [7, 8]]), "labels"), lib.int_output((1,))
    with pytest.raises(IndexError, match=r"copy_to_n read past the end of an array of 4 int values \(2 x 2\)"):
        lib.run(compiled, 4, lib.pointer(labels), lib.pointer(out))


@needs("c")
def test_a_read_is_caught_on_every_call_so_that_the_same_input_gives_the_same_verdict(library):
    lib = Library(library, "c")
    compiled = lib.function("copy_to_n", None, [ctypes.c_int, INT_P, INT_P])
    for _ in range(20):
        labels, out = lib.ints(np.array([5, 6]), "labels"), lib.int_output((1,))
        with pytest.raises(IndexError, match="copy_to_n read past the end of an array of 2 int values"):
            lib.run(compiled, 2, lib.pointer(labels), lib.pointer(out))


@needs("c")
def test_state_kept_between_calls_is_no_read_outside_and_each_call_counts_once(library):
    lib = Library(library, "c")
    compiled = _function(lib, "count_calls", INT_P)
    first = lib.int_output((2,))
    lib.run(compiled, 2, lib.pointer(first))  # replayed: the function saw three calls, and the third one is kept
    second = lib.int_output((2,))
    lib.run(compiled, 2, lib.pointer(second))
    assert second[0] - first[0] == 3 and first[0] == first[1]


@needs("c")
def test_state_that_cycles_back_between_replays_is_no_read_outside(library):
    """A function whose answer alternates from call to call (a static flag; a generator state never initialised,
    whose value comes from what ran before) gives the first answer again in the third run: it is suspected, but
    no end of an array, given plausible values alone and then the values it held, changes its answer alone."""
    lib = Library(library, "c")
    compiled = _function(lib, "alternate", INT_P)
    for _ in range(4):
        out = lib.int_output((2,))
        lib.run(compiled, 2, lib.pointer(out))  # never an IndexError
        assert out[0] == out[1] and out[0] in (0, 1)


@needs("c")
@pytest.mark.parametrize("how", [ctypes.byref, ctypes.pointer])
def test_a_scalar_passed_by_reference_is_restored_before_each_replay(library, how):
    lib = Library(library, "c")
    compiled = lib.function("draw", None, [ctypes.c_void_p, ctypes.c_int, DOUBLE_P])
    state, out = ctypes.c_ulonglong(10), lib.output((3,))
    lib.run(compiled, how(state), 3, lib.pointer(out))
    assert state.value == 13 and out.tolist() == [11.0, 12.0, 13.0]


@needs("c")
def test_what_a_replayed_call_prints_is_shown_once(library, capfd):
    """A call is replayed to catch reads outside its arrays: what the replays print is dropped, what the call
    printed is kept, in order with what comes after."""
    lib = Library(library, "c")
    out = lib.output((3,))
    lib.run(_function(lib, "says", DOUBLE_P), 3, lib.pointer(out))
    ctypes.CDLL(None).fflush(None)
    print("after the call", flush=True)
    printed = capfd.readouterr().out
    assert printed == "filling 3\nafter the call\n", printed
    assert out.tolist() == [0.0, 1.0, 2.0]


@needs("c")
def test_what_a_replayed_call_prints_in_process_is_written_nowhere(library, tmp_path, monkeypatch):
    """In the grader's own process (trusted code, --no-sandbox) nothing is written where it runs; in a worker
    the replays' output goes to a file of the worker's folder, where a worker that dies leaves its last words."""
    monkeypatch.chdir(tmp_path)
    lib = Library(library, "c")
    lib.run(_function(lib, "says", DOUBLE_P), 3, lib.pointer(lib.output((3,))))
    assert list(tmp_path.iterdir()) == []


@needs("c")
@pytest.mark.parametrize("language, slip, not_said", [
    ("c", "i <= n instead of i < n, or a row length wrong in a[i * d + j]", "do i"),
    ("fortran", "do i = 1, n + 1 instead of do i = 1, n, or a(:, i) for a(i, :)", "i < n")])
def test_a_read_outside_names_the_parameter_and_the_slip_of_the_students_language(library, language, slip, not_said):
    """Two arrays of one shape are told apart by the name the binding declares for each parameter; the usual slip
    is said as the student's language writes its loops (Fortran's run from 1 to n, and take rows as a(i, :))."""
    lib = Library(library, language)
    compiled = lib.function("sum_b_to_n", None, [ctypes.c_int, DOUBLE_P, DOUBLE_P, DOUBLE_P], "n a b out")
    a, b, out = lib.doubles(np.ones((2, 3))), lib.doubles(np.ones((2, 3))), lib.output((1,))
    with pytest.raises(IndexError) as raised:
        lib.run(compiled, 6, lib.pointer(a), lib.pointer(b), lib.pointer(out))
    said = str(raised.value)
    assert said.startswith("sum_b_to_n read past the end of the array b (6 double values, 2 x 3) it was given"), said
    assert f"({slip}?)" in said and not_said not in said, said


@needs("c")
@pytest.mark.parametrize("language, slip", [("c", "index -1"), ("fortran", "index 0, as in do i = 0, n")])
def test_a_write_outside_names_the_parameter_and_the_slip_of_the_students_language(library, language, slip):
    lib = Library(library, language)
    out = lib.int_output((3,))
    with pytest.raises(IndexError) as raised:
        lib.run(lib.function("before_start", None, [ctypes.c_int, INT_P], "n out"), 3, lib.pointer(out))
    said = str(raised.value)
    assert said.startswith("before_start wrote before the start of the array out (3 int values) it was given"), said
    assert f"({slip}" in said, said


@needs("c")
def test_parameter_names_must_match_the_types_declared(library):
    """A binding naming a parameter too many or too few would name the wrong array: refused when declared."""
    with pytest.raises(ValueError, match="2 parameter names for 3 types"):
        Library(library, "c").function("copy_to_n", None, [ctypes.c_int, INT_P, INT_P], "n labels")


@needs("c")
@pytest.mark.parametrize("language, first", [("c", "out[2]"), ("fortran", "out(3)")])
def test_an_output_value_left_unset_is_an_error_naming_it(library, language, first):
    lib = Library(library, language)
    compiled = lib.function("all_but_last", None, [ctypes.c_int, DOUBLE_P], "n out")
    out = lib.output((3,))
    with pytest.raises(RuntimeError) as raised:
        lib.run(compiled, 3, lib.pointer(out))
    assert str(raised.value) == (f"all_but_last left 1 of the 3 values of out as the array was when it was called, or "
                                 f"only added to them (the first: {first}): set every value of out (a sum or a count "
                                 "starts at 0)")


@needs("c")
def test_an_output_only_added_to_is_an_error_naming_it(library):
    """A count or a sum never started at 0: what it adds to is what the array held, and stays recognisable."""
    lib = Library(library, "c")
    counts = lib.int_output((2,))
    with pytest.raises(RuntimeError, match=r"count_without_reset left 2 of the 2 values of counts .* \(the first: "
                                           r"counts\[0\]\)"):
        lib.run(lib.function("count_without_reset", None, [ctypes.c_int, INT_P], "n counts"), 5, lib.pointer(counts))
    values, out = lib.doubles(np.array([1.0, 2.0])), lib.output((1,))
    compiled = lib.function("sum_without_reset", None, [ctypes.c_int, DOUBLE_P, DOUBLE_P], "n values out")
    with pytest.raises(RuntimeError, match=r"sum_without_reset left 1 of the 1 values of out"):
        lib.run(compiled, 2, lib.pointer(values), lib.pointer(out))


@needs("c")
def test_an_output_given_its_own_fill_or_set_whole_is_no_error(library):
    lib = Library(library, "c")
    out = lib.output((3,), fill=np.nan)  # the binding's own fill: what is left is the binding's to judge
    lib.run(lib.function("all_but_last", None, [ctypes.c_int, DOUBLE_P]), 3, lib.pointer(out))
    assert np.isnan(out[2])
    out = lib.output((3,))
    lib.run(lib.function("all_but_last", None, [ctypes.c_int, DOUBLE_P]), 4, lib.pointer(out))  # sets all 3
