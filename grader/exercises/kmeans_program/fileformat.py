"""The course's file formats and printed steps, written and read the way a careful instructor would.

Input (what the grader writes): first line ``ndim npoints``, then ``ndim`` lines,
line i holding the i-th coordinate of every point.  Values are written with
``repr`` (shortest round-trip), so every language reads them as the same numbers.

Output (what the program writes), read leniently: a first line holding two whole
numbers ``ndim k`` (spaces around them, or a leading ``#`` as ``numpy.savetxt``'s
``header=`` writes, are accepted), then exactly ``k * ndim`` numbers, read in
order as k rows of ndim coordinates; how they are split into lines does not
matter (Fortran's list-directed output may wrap long rows).  Numbers may use
Fortran's ``D`` exponent.

Printed steps, read leniently from everything the program printed: a step is a
line that contains the word ``step`` (any case; ``iteration`` and ``iter`` are
accepted too) followed by at least three numbers: the first a whole number (the
step), then the error, then the move (the first two numbers after the step; any
text, commas or colons between them are ignored).  This accepts the C
``Step : 3, error : 0.012345 , cent. move : 0.000123``, the Fortran list-directed
``Step :           3  error :   9.19911861E-02  cent. move :   1.2E-04`` and
Python's ``Step : 3  error : 0.0123  cent. move : 0.000123``.  ``nan`` and
``inf`` (any case and sign) are numbers too.  Other lines are ignored.
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
_STEP_WORD = re.compile(r"\b(?:step|iteration|iter)\b", re.IGNORECASE)


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
    number: int
    error: float
    move: float
    line: str


def parse_steps(printed: str) -> list[Step]:
    """Every printed step, in order (see the module's docstring for what is accepted)."""
    steps = []
    for line in printed.splitlines():
        word = _STEP_WORD.search(line)
        if word is None:
            continue
        numbers = _NUMBER.findall(line[word.end():])
        if len(numbers) < 3:
            continue
        try:
            first = _number(numbers[0])
            error, move = _number(numbers[1]), _number(numbers[2])
        except ValueError:
            continue
        if not np.isfinite(first) or first != int(first):
            continue
        steps.append(Step(int(first), error, move, line.strip()[:200]))
    return steps
