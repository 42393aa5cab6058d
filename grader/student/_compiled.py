"""Calling a compiled library through its C ABI: what every exercise's C/Fortran binding builds on.

The contract a binding builds on.  A binding is trusted code that the worker imports
by file path *before* it is confined, where only the standard library, numpy and a
few bootstrapped grader modules (this one among them) can be imported; so this module
imports nothing else of the grader, and names no exercise.  A binding's
``bind(library, language)`` wraps the loaded library in a :class:`Library` and, for
each function of its contract, declares the compiled function's types with
:meth:`Library.function` and calls it with :meth:`Library.run`.

Invariants every binding keeps with these helpers:

- arrays are passed in the language's order (:attr:`Library.order`: row-major for C,
  column-major with the Python shapes for Fortran); a 0-based index becomes 1-based
  in Fortran by adding :attr:`Library.offset`;
- inputs are passed as copies the compiled code may (wrongly) write to, and
  :func:`copy_back` writes what it left into the caller's arrays, so checks that a
  function "leaves its inputs unchanged" see it;
- outputs are filled beforehand with values no correct function leaves (NaN, -1),
  so what is left unwritten shows;
- a skeleton function that sets the global flag ``not_implemented`` (C ``int``,
  Fortran ``integer(c_int), bind(C)``) raises ``NotImplementedError``; a function the
  library does not define raises ``AttributeError`` from :meth:`Library.function`, and
  the binding leaves it out of what ``bind`` returns;
- scalars that do not fit in a C ``int`` raise ``ValueError`` (:func:`integer`);
- every array made here for the compiled code (:meth:`Library.doubles`, :meth:`Library.ints`,
  :meth:`Library.output`, :meth:`Library.int_output`) lies between two runs of :data:`GUARD` values
  of a known pattern, in the same allocation: an off-by-one write before its start or past its end
  lands there instead of corrupting the process's memory, and :meth:`Library.run` raises
  ``IndexError`` saying so.
"""

from __future__ import annotations

import ctypes
from typing import Any, Literal

import numpy as np

__all__ = ["Library", "DOUBLE_P", "INT_P", "INT_MAX", "copy_back", "integer", "checked_array", "with_bias",
           "rows_match", "seed_from", "returned"]

DOUBLE_P = ctypes.POINTER(ctypes.c_double)
INT_P = ctypes.POINTER(ctypes.c_int)
#: The largest C ``int``.
INT_MAX = 2**31 - 1
#: Values after the end of each array given to the compiled code, to catch writes past its end.
GUARD = 16
#: What the guard values hold: numbers no computation of the contracts leaves by chance.
_GUARD_FILL = {np.dtype(np.float64): -7.0e307, np.dtype(np.intc): -1_234_567_891}


class Library:
    """One loaded library in one language: typed functions, the ``not_implemented`` flag, array conversions."""

    def __init__(self, library: ctypes.CDLL, language: str) -> None:
        if language not in ("c", "fortran"):
            raise ValueError(f"no binding for {language!r} (known: c, fortran)")
        self._lib = library
        self.fortran = language == "fortran"
        self.order: Literal["C", "F"] = "F" if self.fortran else "C"
        #: What Fortran adds to a 0-based index.
        self.offset = 1 if self.fortran else 0
        try:
            self._flag: Any = ctypes.c_int.in_dll(library, "not_implemented")
        except ValueError:
            self._flag = None
        #: The guards of the arrays made since the last call: (values before, values after, the array's shape).
        self._guards: list[tuple[np.ndarray, np.ndarray, tuple[int, ...]]] = []

    def function(self, name: str, restype: Any, argtypes: list[Any]) -> Any:
        """The compiled function ``name`` with its types declared; ``AttributeError`` if it is not defined."""
        compiled = getattr(self._lib, name)  # AttributeError: not defined
        compiled.restype = restype
        compiled.argtypes = argtypes
        return compiled

    def run(self, compiled: Any, *args: Any) -> Any:
        """Call ``compiled``; ``NotImplementedError`` if it set the ``not_implemented`` flag."""
        if self._flag is not None:
            self._flag.value = 0
        guards, self._guards = self._guards, []
        result = compiled(*args)
        for before, after, shape in guards:
            for guard, where, example in ((before, "before the start", "index -1, or 0 in Fortran"),
                                          (after, "past the end", "i <= n instead of i < n")):
                if np.any(guard != _GUARD_FILL[guard.dtype]):
                    count, kind = _count(shape), "int" if guard.dtype == np.intc else "double"
                    size = f" ({' x '.join(str(extent) for extent in shape)})" if len(shape) > 1 else ""
                    raise IndexError(f"{compiled.__name__} wrote {where} of an array of {count} {kind} "
                                     f"value{'s' if count != 1 else ''}{size} it was given: an index out "
                                     f"of bounds ({example}?): check the loop bounds and the indices")
        if self._flag is not None and self._flag.value != 0:
            raise NotImplementedError(compiled.__name__)
        return result

    def _guarded(self, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
        """An uninitialised array of ``shape`` in this language's order, between two runs of :data:`GUARD` guard
        values."""
        dtype = np.dtype(dtype)
        size = _count(shape)
        buffer = np.empty(size + 2 * GUARD, dtype=dtype)
        buffer[:GUARD] = buffer[GUARD + size:] = _GUARD_FILL[dtype]
        self._guards.append((buffer[:GUARD], buffer[GUARD + size:], tuple(shape)))
        return buffer[GUARD:GUARD + size].reshape(shape, order=self.order)

    # --- conversions ----------------------------------------------------------------------------------------

    def doubles(self, array: np.ndarray) -> np.ndarray:
        """A copy in this language's order, for the compiled code to read (and perhaps wrongly write)."""
        values = np.asarray(array, dtype=np.float64)
        copy = self._guarded(values.shape, np.float64)
        copy[...] = values
        return copy

    def ints(self, value: Any, name: str) -> np.ndarray:
        """Integer values (0 and 1, or counts) as C ints in this language's order; ``ValueError`` otherwise."""
        array = np.asarray(value)
        if array.dtype == bool:
            array = array.astype(np.int64)
        if not np.issubdtype(array.dtype, np.number) or (array.size and not np.all(np.isfinite(array))):
            raise ValueError(f"{name} must hold integers")
        if array.size and (np.any(array != np.round(array)) or np.abs(array).max() > INT_MAX):
            raise ValueError(f"{name} must hold integers that fit in a C int")
        copy = self._guarded(array.shape, np.intc)
        copy[...] = array
        return copy

    def output(self, shape: tuple[int, ...], fill: float = np.nan) -> np.ndarray:
        result = self._guarded(tuple(shape), np.float64)
        result[...] = fill
        return result

    def int_output(self, shape: tuple[int, ...], fill: int = -1) -> np.ndarray:
        result = self._guarded(tuple(shape), np.intc)
        result[...] = fill
        return result

    @staticmethod
    def pointer(array: np.ndarray) -> Any:
        """A pointer to ``array``'s data: ``int *`` for C ints, ``double *`` otherwise."""
        return array.ctypes.data_as(INT_P if array.dtype == np.intc else DOUBLE_P)


def _count(shape: tuple[int, ...]) -> int:
    count = 1
    for size in shape:
        count *= int(size)
    return count


def copy_back(original: Any, passed: np.ndarray, offset: float = 0) -> None:
    """Write what the compiled code left in ``passed`` (less ``offset``) back into the caller's ``original``."""
    if isinstance(original, np.ndarray) and original.shape == passed.shape and original.flags.writeable:
        changed = passed - offset if offset else passed
        try:
            np.copyto(original, changed, casting="unsafe")
        except (TypeError, ValueError):
            pass


def integer(value: Any, name: str) -> int:
    """``value`` as a Python int; ``ValueError`` if it does not fit in a C int."""
    number = int(value)
    if not -INT_MAX <= number <= INT_MAX:
        raise ValueError(f"{name} = {number} does not fit in a C int")
    return number


def checked_array(value: Any, name: str, ndim: int) -> np.ndarray:
    """``value`` as a float64 array with ``ndim`` dimensions; ``ValueError`` saying what is wrong otherwise."""
    result = np.asarray(value, dtype=np.float64)
    if result.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {result.shape}")
    return result


def with_bias(x: np.ndarray, name: str = "x") -> int:
    """The number of inputs of ``x`` before its last entry (column), the bias input."""
    if x.shape[-1] < 1:
        raise ValueError(f"{name} must hold at least the bias column, got shape {x.shape}")
    return int(x.shape[-1]) - 1


def rows_match(first: np.ndarray, second: np.ndarray, what: str) -> None:
    """``ValueError`` unless ``first``'s last dimension is ``second``'s first (a matrix product)."""
    if first.shape[-1] != second.shape[0]:
        raise ValueError(f"{what}: shapes {first.shape} and {second.shape} do not match")


def seed_from(rng: Any) -> int:
    """A seed for the compiled generator, drawn from the numpy ``Generator`` the Python contract takes."""
    return int(rng.integers(0, 2**63, dtype=np.int64))


def returned(array_: np.ndarray) -> np.ndarray:
    """What the compiled code wrote, as the Python contract returns it: contiguous int64 or float64."""
    return np.ascontiguousarray(array_, dtype=np.int64 if array_.dtype == np.intc else np.float64)
