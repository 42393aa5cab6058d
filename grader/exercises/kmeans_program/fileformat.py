"""The course's file formats and printed steps, written and read the way a careful instructor would.

Input (what the grader writes): first line ``ndim npoints``, then ``ndim`` lines,
line i holding the i-th coordinate of every point.  Values are written with
``repr`` (shortest round-trip), so every language reads them as the same numbers.

Output (what the program writes), read leniently: a first line holding two whole
numbers ``ndim k`` (spaces around them, or a leading ``#`` as ``numpy.savetxt``'s
``header=`` writes, are accepted), then exactly ``k * ndim`` numbers, read in
order as k rows of ndim coordinates; how they are split into lines does not
matter (Fortran's list-directed output may wrap long rows), except for ndim
lines of k values where no wrapping can give that (ndim not a multiple of k):
the centers written coordinate by coordinate, like the input, are refused.  Numbers may use
Fortran's ``D`` exponent.

Printed steps, read leniently from everything the program printed: a step is a
line that contains the word ``step`` (any case; ``iteration`` and ``iter`` are
accepted too) followed by at least three numbers: the first a whole number (the
step), then the error, then the move (the first two numbers after the step; any
text, commas or colons between them are ignored).  This accepts the C
``Step : 3, error : 0.012345 , cent. move : 0.000123``, the Fortran list-directed
``Step :           3  error :   9.19911861E-02  cent. move :   1.2E-04`` and
Python's ``Step : 3  error : 0.0123  cent. move : 0.000123``.  ``nan`` and
``inf`` (any case and sign) are numbers too.  The course is taught in French, so
``étape`` and ``itération`` (with or without accents) are words for a step too.
numpy 2 scalars printed by their repr (``np.float64(0.0123)``, as in a printed
tuple or ``{x!r}``) are read as their numbers.  A line that only repeats the
step before it (same number and values, as a closing summary line) is not a
new step.  Other lines are ignored.

Every printed value keeps its resolution: half a unit of its last printed digit,
that digit being the finest the column (errors, moves) shows in the whole run
(``%.3f`` prints 0.000 for a move of 0.0004; Python's repr prints 0.0 for an
exact 0, while its other moves show 17 digits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

import numpy as np

__all__ = ["INPUT_NAMES", "OUTPUT_NAMES", "Step", "OutputFile", "input_file", "parse_output", "parse_steps"]

#: The names the course's programs read (the _3d one after a hand edit): both are written.
INPUT_NAMES = ("kmeans_input_file_2d.dat", "kmeans_input_file_3d.dat")
#: The names they write, the first found is read.
OUTPUT_NAMES = ("kmeans_output_2d.dat", "kmeans_output_3d.dat")

_NUMBER = re.compile(r"[-+]?(?:nan|inf(?:inity)?|(?:\d+\.?\d*|\.\d+)(?:[eEdD][-+]?\d+)?)", re.IGNORECASE)
_STEP_WORD = re.compile(r"\b(?:step|iteration|iter|it[ée]ration|[ée]tape)\b", re.IGNORECASE)
#: numpy 2's repr of a scalar, ``np.float64(0.5)``: the number inside counts, not the 64 of its type.
_NUMPY_SCALAR = re.compile(r"\b(?:np|numpy)\.(?:float|int|uint|double|single|longdouble)\d*\(\s*([^()]*?)\s*\)")
#: The parts of a printed number that tell its resolution: digits after the point, exponent.
_PARTS = re.compile(r"[-+]?\d*\.?(\d*)(?:[eEdD]([-+]?\d+))?")


def input_file(data: np.ndarray) -> bytes:
    """The course's input file for ``data`` of shape (npoints, ndim)."""
    n, d = data.shape
    lines = [f"{d} {n}"] + [" ".join(repr(float(value)) for value in data[:, axis]) for axis in range(d)]
    return ("\n".join(lines) + "\n").encode("ascii")


def _number(text: str) -> float:
    return float(text.replace("d", "e").replace("D", "e"))


@dataclass(frozen=True)
class OutputFile:
    """An output file read back: ``centers`` (k, ndim), or ``problem`` saying why it cannot be read."""

    ndim: int = 0
    k: int = 0
    centers: Optional[np.ndarray] = None
    problem: str = ""


def parse_output(content: bytes, name: str) -> OutputFile:
    text = content.decode("latin-1")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return OutputFile(problem=f"{name} is empty: it must start with a line 'ndim k'")
    header = lines[0].strip().lstrip("#").split()
    if len(header) != 2 or not all(re.fullmatch(r"[-+]?\d+", item) for item in header):
        return OutputFile(problem=f"the first line of {name} is {lines[0].strip()[:60]!r}: it must hold two whole "
                                  "numbers, 'ndim k' (the dimension, then the number of centers)")
    ndim, k = (int(item) for item in header)
    if ndim < 1 or k < 1:
        return OutputFile(ndim, k, problem=f"the first line of {name} says ndim={ndim}, k={k}: both must be >= 1")
    rows = [line.replace(",", " ").split() for line in lines[1:]]
    if ndim > 1 and ndim % k and len(rows) == ndim and all(len(row) == k for row in rows):
        # ndim lines of k values, which no wrapping of k rows of ndim values can give (ndim is not a multiple
        # of k): the centers written coordinate by coordinate, like the input file (in 1-D, the same numbers).
        return OutputFile(ndim, k, problem=f"{name} holds {ndim} lines of {k} values after its first line: one line "
                                           f"per coordinate, like the input file; it must hold one line per center "
                                           f"({k} lines of {ndim} coordinates: write the transpose)")
    values = []
    for number, line in enumerate(lines[1:], start=2):
        for token in line.replace(",", " ").split():
            if not _NUMBER.fullmatch(token):
                return OutputFile(ndim, k, problem=f"line {number} of {name} holds {token[:30]!r}, which is not a "
                                                   "number")
            values.append(_number(token))
    if len(values) != ndim * k:
        return OutputFile(ndim, k, problem=f"{name} says ndim={ndim}, k={k} on its first line, so k*ndim = "
                                           f"{ndim * k} coordinates must follow, but it holds {len(values)}")
    return OutputFile(ndim, k, np.array(values, dtype=np.float64).reshape(k, ndim))


@dataclass(frozen=True)
class Step:
    """One printed step; ``error_resolution`` and ``move_resolution``: how far the printed values may be from
    the computed ones (half a unit of the last digit the program prints, see the module's docstring)."""

    number: int
    error: float
    move: float
    line: str
    error_resolution: float = 0.0
    move_resolution: float = 0.0


def _decimals(token: str) -> tuple[int, int]:
    """(digits after the point, exponent) of a printed number; (0, 0) for nan and inf."""
    parts = _PARTS.fullmatch(token)
    if parts is None:
        return 0, 0
    return len(parts.group(1)), int(parts.group(2) or 0)


def _resolution(token: str, decimals: int) -> float:
    """Half a unit of the ``decimals``-th digit after the point of ``token`` (in its exponent's scale)."""
    if not np.isfinite(_number(token)):
        return 0.0
    return 0.5 * 10.0 ** (_decimals(token)[1] - decimals)


def _same(a: str, b: str) -> bool:
    """Two printed values that may be the same number (each within its own printed resolution)."""
    x, y = _number(a), _number(b)
    if not (np.isfinite(x) and np.isfinite(y)):
        return bool(np.isnan(x) and np.isnan(y) or x == y)
    return abs(x - y) <= _resolution(a, _decimals(a)[0]) + _resolution(b, _decimals(b)[0]) + 1e-12 * abs(x)


def parse_steps(printed: str) -> list[Step]:
    """Every printed step, in order (see the module's docstring for what is accepted)."""
    found: list[tuple[int, str, str, str]] = []
    for line in printed.splitlines():
        word = _STEP_WORD.search(line)
        if word is None:
            continue
        numbers = _NUMBER.findall(_NUMPY_SCALAR.sub(r" \1 ", line[word.end():]))
        if len(numbers) < 3:
            continue
        try:
            first = _number(numbers[0])
            _number(numbers[1]), _number(numbers[2])
        except ValueError:
            continue
        if not np.isfinite(first) or first != int(first):
            continue
        if found and found[-1][0] == int(first) and _same(found[-1][1], numbers[1]) \
                and _same(found[-1][2], numbers[2]):
            continue  # the same step again (a summary line)
        found.append((int(first), numbers[1], numbers[2], line.strip()[:200]))
    # The finest digit each column shows (fixed formats show the same number of decimals on every line).
    error_decimals = max((_decimals(error)[0] for _, error, _, _ in found), default=0)
    move_decimals = max((_decimals(move)[0] for _, _, move, _ in found), default=0)
    return [Step(number, _number(error), _number(move), line, _resolution(error, error_decimals),
                 _resolution(move, move_decimals)) for number, error, move, line in found]
