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
- outputs are filled beforehand with values no correct function leaves (:data:`UNSET`, unless the
  binding gives its own): a call that leaves one of those, or only adds to it (a sum or a count never
  started at 0), raises ``RuntimeError`` naming the array and the first such value;
- a skeleton function that sets the global flag ``not_implemented`` (C ``int``,
  Fortran ``integer(c_int), bind(C)``) raises ``NotImplementedError``; a function the
  library does not define raises ``AttributeError`` from :meth:`Library.function`, and
  the binding leaves it out of what ``bind`` returns;
- scalars that do not fit in a C ``int`` raise ``ValueError`` (:func:`integer`);
- every array made here for the compiled code (:meth:`Library.doubles`, :meth:`Library.ints`,
  :meth:`Library.output`, :meth:`Library.int_output`) lies between two runs of :data:`GUARD` values
  of a known pattern, in the same allocation: an off-by-one write before its start or past its end
  lands there instead of corrupting the process's memory, and :meth:`Library.run` raises
  ``IndexError`` saying so;
- the message of such an ``IndexError`` names the array by the parameter it was passed as, when the binding
  declares the function's parameter names (:meth:`Library.function`: as many names as types, or none), and
  gives the slip that usually crosses that end in the student's language (C's ``i <= n``, Fortran's
  ``do i = 1, n + 1``);
- a *read* outside such an array is caught too, though the guard values, read, change nothing (no
  computation takes -7e307 for a nearest value or -1234567891 for a valid index): every call that takes
  at most :data:`REPLAY_BUDGET` of processor time is replayed from a snapshot of all the memory it was
  given (each guarded allocation whole, the arrays and the ctypes objects passed by reference), once with
  the guards holding plausible values (:data:`_PLAUSIBLE_FILL`) and once more with the guards as they
  were.  A call whose results (the arrays, the return value, bit for bit) are the same in the first and
  third runs but differ in the second is suspected; it read a guard if it gives the first run's results
  :data:`_SAME_RUNS` more times, and one end of one array, given plausible values alone, changes its results,
  and given back the values it held, the same way, does not:
  ``IndexError`` naming the array and its end.  Otherwise (a variable never initialised, whose value comes
  from whatever ran before; static state cycling back) it is run once more as first run and left to the
  checks.  Every
  call, not only the first ones, so that the same input always gets the same verdict (a check that
  shrinks a failing example calls again).  When the third run differs from the first, the function keeps
  state between calls and nothing is said here (the checks judge its results).  A call given no array
  made here, or memory of unknown extent (a pointer to neither an array nor a ctypes object), is not
  replayed.  A correct
  function reads only its arrays, so it gives the same results three times and is never accused; the
  caller sees what the third run returned and left, as after one call of a function without state.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import time
from typing import Any, Iterator, Literal, NamedTuple, Optional

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
#: What an output holds before a call, by default: values no computation of the contracts gives.  The double is a
#: NaN whose payload sits in the bits a float keeps (a NaN an operation is given comes out of it, payload and all;
#: 0/0 gives another NaN); the int is far from every count, index and class, so a count only added to stays near
#: it.  See :func:`_unset`.
UNSET = {np.dtype(np.float64): np.frombuffer((0x7FFBAD0000000000).to_bytes(8, "little"), dtype=np.float64)[0],
         np.dtype(np.intc): -1_500_000_000}
#: The bits of a double compared with :data:`UNSET`'s: all but the sign and those a float drops.
_UNSET_BITS = 0x7FFFFFFFE0000000
#: How far from :data:`UNSET` an int may be to have been only added to.
_UNSET_INTS = 2**24
#: The processor time (seconds) beyond which a call is not replayed to catch reads outside the arrays: replaying
#: triples the call's time, which the time limits judge (beyond a floor of a second); the checks' calls that
#: catch an off-by-one take microseconds.
REPLAY_BUDGET = 0.05
#: How many more times a call suspected of a read outside its arrays is run as first run, each giving its results
#: again, before its arrays' ends are tried one by one: a function keeping state between calls seldom gives the same
#: results so many times.
_SAME_RUNS = 8
#: What the guards hold in the replay that catches reads: plausible values, unlike :data:`_GUARD_FILL`; for ints
#: :attr:`Library.offset` is added (the first valid index, 0 in C and 1 in Fortran).  A double read past the end
#: as 0.0 is a point near the middle of the data or a sum's start, so it changes a nearest point or a mean.
_PLAUSIBLE_FILL = {np.dtype(np.float64): 0.0, np.dtype(np.intc): 0}


class _Region(NamedTuple):
    """Memory given to a compiled call: where it starts, its length in bytes, and the part (start and length)
    whose content the call's results are made of (all but the guards)."""

    address: int
    size: int
    seen: tuple[int, int]


class _Snapshot(NamedTuple):
    """The memory given to one call, as it was before the call."""

    regions: list[_Region]
    contents: list[bytes]


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
        #: The guarded allocations of the arrays made since the last call, each with its array's shape.
        self._guards: list[tuple[np.ndarray, tuple[int, ...]]] = []
        #: The outputs made since the last call with the default fill (:data:`UNSET`), each with its shape.
        self._outputs: list[tuple[np.ndarray, tuple[int, ...]]] = []
        #: Each compiled function's parameter names, as the skeleton names them (see :meth:`function`).
        self._parameters: dict[str, tuple[str, ...]] = {}

    def function(self, name: str, restype: Any, argtypes: list[Any], parameters: str = "") -> Any:
        """The compiled function ``name`` with its types declared; ``AttributeError`` if it is not defined.

        ``parameters``: the names of its parameters as the skeleton writes them, one per type, separated by spaces
        (``"data n d labels"``), so that a message names the array the student's code went outside of."""
        names = tuple(parameters.split())
        if names and len(names) != len(argtypes):
            raise ValueError(f"{name}: {len(names)} parameter names for {len(argtypes)} types")
        compiled = getattr(self._lib, name)  # AttributeError: not defined
        compiled.restype = restype
        compiled.argtypes = argtypes
        self._parameters[name] = names
        return compiled

    def run(self, compiled: Any, *args: Any) -> Any:
        """Call ``compiled``; ``NotImplementedError`` if it set the ``not_implemented`` flag, ``IndexError`` if it
        wrote outside an array it was given, or (in a call replayed: see the module) read outside one."""
        if self._flag is not None:
            self._flag.value = 0
        guards, self._guards = self._guards, []
        outputs, self._outputs = self._outputs, []
        snapshot = _snapshot(guards, args)
        start = time.process_time()
        result = compiled(*args)
        cost = time.process_time() - start
        self._check_writes(compiled, args, guards)
        if self._flag is not None and self._flag.value != 0:
            raise NotImplementedError(compiled.__name__)
        if snapshot is not None and cost <= REPLAY_BUDGET:
            result = self._replay(compiled, args, guards, snapshot, result)
        self._check_set(compiled, args, outputs)
        return result

    def _check_set(self, compiled: Any, args: tuple[Any, ...], outputs: list[tuple[np.ndarray, tuple[int, ...]]]) -> None:
        """``RuntimeError`` if the call left a value of an output as it was made (:data:`UNSET`), or only added to
        it: named by the parameter, with the first such value's position in the language's terms."""
        for array, shape in outputs:
            left = _unset(array)
            if not left.any():
                continue
            name = self._parameter(compiled, args, array) or "an output array"
            position = self._position(name, tuple(int(i) for i in np.argwhere(left)[0]), shape)
            count, total = int(left.sum()), _count(shape)
            raise RuntimeError(
                f"{compiled.__name__} left {count} of the {total} values of {name} as the array was when it was "
                f"called, or only added to them (the first: {position}): set every value of {name} (a sum or a "
                f"count starts at 0)")

    def _position(self, name: str, where: tuple[int, ...], shape: tuple[int, ...]) -> str:
        """The position ``where`` (0-based, in ``shape``) as the student's language writes it."""
        if self.fortran:
            return f"{name}({', '.join(str(i + 1) for i in where)})"
        if len(shape) == 1:
            return f"{name}[{where[0]}]"
        return f"row {where[0]}, column {where[1]} of {name}, counting from 0" if len(shape) == 2 else f"{name} at {where}"

    def _replay(self, compiled: Any, args: tuple[Any, ...], guards: list[tuple[np.ndarray, tuple[int, ...]]],
                snapshot: _Snapshot, result: Any) -> Any:
        """Run the call again with plausible guards, then as first run; ``IndexError`` if only the guards changed
        its results.  What the third run returns and leaves is the call's result."""
        first = _results(snapshot.regions, result)
        with self._silenced():  # the student sees what the call printed once, not three times
            plausible = self._rerun(compiled, args, snapshot, [(buffer, shape, side) for buffer, shape in guards
                                                               for side in ("before", "after")])
            _restore(snapshot)
            result = compiled(*args)
            if plausible != first and _results(snapshot.regions, result) == first:
                # Run again as first run: state kept between calls (a static generator state) shows there.
                stateless = all(self._rerun(compiled, args, snapshot, []) == first for _ in range(_SAME_RUNS))
                message = self._read_message(compiled, args, guards, snapshot, first) if stateless else None
                if message is not None:
                    raise IndexError(message)
                _restore(snapshot)  # results that change with how the call is made: left to the checks
                result = compiled(*args)
        return result

    @contextlib.contextmanager
    def _silenced(self) -> Iterator[None]:
        """What the compiled code prints meanwhile goes aside (:data:`PRINTED_ASIDE`): C's buffers and Fortran's units are
        flushed first (what the first run printed is kept) and last (what the replays printed is dropped).  Where
        the descriptors cannot be redirected, the replays print as the call did."""
        self._flush()
        saved = _redirect_aside()
        try:
            yield
        finally:
            if saved is not None:
                self._flush()
                for fd, saved_fd in zip((1, 2), saved):
                    os.dup2(saved_fd, fd)
                    os.close(saved_fd)
                if _aside_folder is not None:
                    with contextlib.suppress(OSError):  # dropped: only a death's last words are read there
                        os.truncate(os.path.join(_aside_folder, PRINTED_ASIDE), 0)

    def _flush(self) -> None:
        """Write out what C's stdio and (in a Fortran library) gfortran's units hold."""
        for flush in (_libc_fflush(), getattr(self._lib, "_gfortran_flush_i4", None) if self.fortran else None):
            if flush is not None:
                try:
                    flush(None)
                except (OSError, ctypes.ArgumentError):
                    pass

    def _rerun(self, compiled: Any, args: tuple[Any, ...], snapshot: _Snapshot,
               sides: list[tuple[np.ndarray, tuple[int, ...], str]], *, plausible: bool = True) -> list[bytes]:
        """What the call leaves from the snapshot's memory with the guards of ``sides`` holding plausible values
        (with ``plausible`` false, the values they held, written the same way)."""
        _restore(snapshot)
        for buffer, shape, side in sides:
            fill = (_PLAUSIBLE_FILL[buffer.dtype] + (self.offset if buffer.dtype == np.intc else 0) if plausible
                    else _GUARD_FILL[buffer.dtype])
            buffer[slice(None, GUARD) if side == "before" else slice(GUARD + _count(shape), None)] = fill
        return _results(snapshot.regions, compiled(*args))

    def _read_message(self, compiled: Any, args: tuple[Any, ...], guards: list[tuple[np.ndarray, tuple[int, ...]]],
                      snapshot: _Snapshot, first: list[bytes]) -> Optional[str]:
        """What the student is told of a read outside an array: which array and which end, found by changing its
        guards alone, and writing back the values they held the same way (only for a call already suspected, so
        the extra runs cost nothing to correct code).  ``None`` when no one end of one array changes the results
        alone: they change with how the call is made (a variable never initialised, state cycling back between
        calls), and the checks judge them."""
        for buffer, shape in guards:
            for side in _ENDS:
                one = [(buffer, shape, side)]
                # Plausible values change the results, the values it held do not, in an order no state that cycles
                # from call to call follows.
                if all((self._rerun(compiled, args, snapshot, one, plausible=plausible) == first) != plausible
                       for plausible in (True, False, False, True)):
                    return self._outside(compiled, args, "read", side, buffer, shape)
        return None

    def _check_writes(self, compiled: Any, args: tuple[Any, ...],
                      guards: list[tuple[np.ndarray, tuple[int, ...]]]) -> None:
        """``IndexError`` if the call changed a guard value: it wrote outside an array it was given."""
        for buffer, shape in guards:
            count = _count(shape)
            for guard, side in zip((buffer[:GUARD], buffer[GUARD + count:]), _ENDS):
                if np.any(guard != _GUARD_FILL[guard.dtype]):
                    raise IndexError(self._outside(compiled, args, "wrote", side, buffer, shape))

    def _outside(self, compiled: Any, args: tuple[Any, ...], did: str, side: str, buffer: np.ndarray,
                 shape: tuple[int, ...]) -> str:
        """The message for a call of ``compiled`` that ``did`` (read, wrote) outside ``side`` (before, after) of the
        array ``buffer`` holds: named by the parameter it was passed as, with the slip that usually crosses that end
        in the student's language."""
        return _outside(compiled.__name__, did, _ENDS[side], buffer.dtype, shape, self._idioms()[side],
                        self._parameter(compiled, args, buffer))

    def _idioms(self) -> dict[str, str]:
        return _FORTRAN_IDIOMS if self.fortran else _C_IDIOMS

    def _parameter(self, compiled: Any, args: tuple[Any, ...], buffer: np.ndarray) -> str:
        """The name of the parameter through which ``buffer`` was passed ("" if the binding declared none, or the
        array was passed as none of them): two arrays of one shape are then told apart."""
        names = self._parameters.get(compiled.__name__, ())
        start, end = buffer.ctypes.data, buffer.ctypes.data + buffer.nbytes
        for name, arg in zip(names, args):
            target = None if arg is None or isinstance(arg, (int, float, ctypes._SimpleCData)) else _target(arg)
            if target is not None and start <= target[0] < end:
                return name
        return ""

    def _guarded(self, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
        """An uninitialised array of ``shape`` in this language's order, between two runs of :data:`GUARD` guard
        values."""
        dtype = np.dtype(dtype)
        size = _count(shape)
        buffer = np.empty(size + 2 * GUARD, dtype=dtype)
        buffer[:GUARD] = buffer[GUARD + size:] = _GUARD_FILL[dtype]
        self._guards.append((buffer, tuple(shape)))
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

    def output(self, shape: tuple[int, ...], fill: Optional[float] = None) -> np.ndarray:
        """A double output of ``shape``, holding ``fill`` or, by default, :data:`UNSET` (a value the call must set:
        one it leaves, or only adds to, is an error saying so)."""
        result = self._guarded(tuple(shape), np.float64)
        result[...] = UNSET[result.dtype] if fill is None else fill
        if fill is None:
            self._outputs.append((result, tuple(shape)))
        return result

    def int_output(self, shape: tuple[int, ...], fill: Optional[int] = None) -> np.ndarray:
        """An int output of ``shape``: as :meth:`output`."""
        result = self._guarded(tuple(shape), np.intc)
        result[...] = UNSET[result.dtype] if fill is None else fill
        if fill is None:
            self._outputs.append((result, tuple(shape)))
        return result

    @staticmethod
    def pointer(array: np.ndarray) -> Any:
        """A pointer to ``array``'s data: ``int *`` for C ints, ``double *`` otherwise."""
        return array.ctypes.data_as(INT_P if array.dtype == np.intc else DOUBLE_P)


#: The file of the worker's folder where what a call prints while it runs again goes (and where the grader
#: reads the last words of a worker that died meanwhile: a runtime error's line, a crash's frames).
PRINTED_ASIDE = ".printed-aside"
#: The worker's folder, where :data:`PRINTED_ASIDE` is written; None in the grader's own process (code trusted
#: and run in process: what it prints again goes to the null device, and nothing is written where it runs).
_aside_folder: Optional[str] = None


def print_aside_in(folder: str) -> None:
    """Called by the worker: what compiled code prints while it runs again goes to ``folder``'s
    :data:`PRINTED_ASIDE`."""
    global _aside_folder
    _aside_folder = folder


def _redirect_aside() -> Optional[list[int]]:
    """Standard output and error sent to :data:`PRINTED_ASIDE` (emptied), else to the null device; their saved
    descriptors (``None``: nothing done)."""
    saved: list[int] = []
    try:
        saved = [os.dup(1), os.dup(2)]
        try:
            if _aside_folder is None:
                raise OSError("no worker folder")
            aside = os.open(os.path.join(_aside_folder, PRINTED_ASIDE), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError:  # in process, or a folder the code may not write to
            aside = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        for fd in saved:
            os.close(fd)
        return None
    try:
        os.dup2(aside, 1)
        os.dup2(aside, 2)
    except OSError:
        for fd, saved_fd in zip((1, 2), saved):
            os.dup2(saved_fd, fd)
            os.close(saved_fd)
        return None
    finally:
        os.close(aside)
    return saved


@functools.lru_cache(maxsize=1)
def _libc_fflush() -> Any:
    """C's ``fflush`` (``None`` where the C library cannot be loaded by name)."""
    try:
        fflush = ctypes.CDLL(None).fflush
    except (OSError, AttributeError, TypeError):
        return None
    fflush.argtypes = [ctypes.c_void_p]
    return fflush


#: Each end of an array as a message names it (the guards before its start, after its end).
_ENDS = {"before": "before the start", "after": "past the end"}
#: The slips that usually cross each end, as the student's language writes them: C counts from 0 and its matrices
#: are flat (a row's length wrong in ``a[i * d + j]``); Fortran counts from 1 (``do i = 0, n``, ``do i = 1, n + 1``)
#: and takes a row as ``a(i, :)``, a column as ``a(:, i)`` (one for the other reads past a non-square array).
_C_IDIOMS = {"before": "index -1", "after": "i <= n instead of i < n, or a row length wrong in a[i * d + j]"}
_FORTRAN_IDIOMS = {"before": "index 0, as in do i = 0, n instead of do i = 1, n",
                   "after": "do i = 1, n + 1 instead of do i = 1, n, or a(:, i) for a(i, :)"}


def _outside(name: str, did: str, where: str, dtype: np.dtype, shape: tuple[int, ...], example: str,
             parameter: str = "") -> str:
    """The message for a function that ``did`` (read, wrote) ``where`` (past the end...) of an array of ``shape``,
    passed as ``parameter`` (when known)."""
    count, kind = _count(shape), "int" if dtype == np.intc else "double"
    extents = " x ".join(str(extent) for extent in shape)
    values = f"{count} {kind} value{'s' if count != 1 else ''}"
    if parameter:
        array = f"the array {parameter} ({values}{f', {extents}' if len(shape) > 1 else ''})"
    else:
        array = f"an array of {values}{f' ({extents})' if len(shape) > 1 else ''}"
    return (f"{name} {did} {where} of {array} it was given: an index out of bounds ({example}?): check the loop "
            "bounds and the indices")


def _unset(array: np.ndarray) -> np.ndarray:
    """Where ``array`` (an output made by :class:`Library`) still holds :data:`UNSET`, or a value computed from it
    alone by adding (an int) or by any arithmetic (a double: the NaN's payload goes through)."""
    if array.dtype == np.float64:
        bits = np.ascontiguousarray(array).view(np.uint64) & np.uint64(_UNSET_BITS)
        expected = np.asarray(UNSET[array.dtype]).view(np.uint64) & np.uint64(_UNSET_BITS)
        return np.asarray(bits == expected).reshape(array.shape)
    return np.abs(array.astype(np.int64) - UNSET[array.dtype]) < _UNSET_INTS


def _snapshot(guards: list[tuple[np.ndarray, tuple[int, ...]]], args: tuple[Any, ...]) -> Optional[_Snapshot]:
    """The memory given to a call, before the call; ``None`` if the call cannot be replayed (no array of its own,
    or memory of unknown extent)."""
    regions = _regions(guards, args) if guards else None
    if regions is None:
        return None
    return _Snapshot(regions, [ctypes.string_at(region.address, region.size) for region in regions])


def _regions(guards: list[tuple[np.ndarray, tuple[int, ...]]], args: tuple[Any, ...]) -> Optional[list[_Region]]:
    """All the memory a call may change: the guarded allocations and what the arguments point to; ``None`` if an
    argument points to memory of unknown extent (replaying the call could not undo its changes)."""
    regions = [_Region(buffer.ctypes.data, buffer.nbytes, (GUARD * buffer.itemsize, _count(shape) * buffer.itemsize))
               for buffer, shape in guards]
    for arg in args:
        if arg is None or isinstance(arg, (int, float, ctypes._SimpleCData)):
            continue  # passed by value
        target = _target(arg)
        if target is None:
            return None
        if not any(region.address <= target[0] and target[0] + target[1] <= region.address + region.size
                   for region in regions):
            regions.append(_Region(target[0], target[1], (0, target[1])))
    return regions


def _target(arg: Any) -> Optional[tuple[int, int]]:
    """The address and length of the memory ``arg`` points to, if known: a numpy array's data (``data_as``), a
    ctypes pointer's object or a ``byref``'s."""
    array = getattr(arg, "_arr", None)
    if isinstance(array, np.ndarray):
        contiguous = array.flags.c_contiguous or array.flags.f_contiguous  # C's order or Fortran's
        return (array.ctypes.data, array.nbytes) if contiguous else None
    if isinstance(arg, ctypes._Pointer) and arg:
        return ctypes.addressof(arg.contents), ctypes.sizeof(arg.contents)
    if type(arg).__name__ == "CArgObject":  # ctypes.byref(obj): the type is not public
        try:
            return ctypes.addressof(arg._obj), ctypes.sizeof(arg._obj)
        except (AttributeError, TypeError):  # not a ctypes object
            return None
    return None


def _results(regions: list[_Region], result: Any) -> list[bytes]:
    """What a call left, bit for bit (a NaN equals itself): the contents of its arrays, and what it returned."""
    left = [ctypes.string_at(region.address + region.seen[0], region.seen[1]) for region in regions]
    return left + [np.asarray(result).tobytes() if result is not None else b""]


def _restore(snapshot: _Snapshot) -> None:
    for region, content in zip(snapshot.regions, snapshot.contents):
        ctypes.memmove(region.address, content, region.size)


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
