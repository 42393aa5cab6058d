"""The course's file formats and printed steps, written and read the way a careful instructor would.

Input (what the grader writes): first line ``ndim npoints``, then ``ndim`` lines,
line i holding the i-th coordinate of every point.  Values are written with
``repr`` (shortest round-trip), so every language reads them as the same numbers.

Output (what the program writes), read leniently: a first line holding two whole
numbers ``ndim k`` (spaces around them, or a leading ``#`` as ``numpy.savetxt``'s
``header=`` writes, are accepted), then exactly ``k * ndim`` numbers, read in
order as k rows of ndim coordinates; how they are split into lines does not
matter (Fortran's list-directed output may wrap long rows; how many numbers
each line holds is kept, for the checks to recognise centers written coordinate
by coordinate, like the input file).  Numbers may use
Fortran's ``D`` exponent.

Printed steps, read leniently from everything the program printed: a step is a
line that contains the word ``step`` (any case; ``iteration`` and ``iter`` are accepted too, also
ending a name, ``n_iter``; it may touch its number, ``Step1``, but a cap named with it, ``max iter = 100``,
is a setting, not a step) followed by at least three numbers: the first a whole number (the
step), then the error, then the move (the first two numbers after the step; any
text, commas or colons between them are ignored).  This accepts the C
``Step : 3, error : 0.012345 , cent. move : 0.000123``, the Fortran list-directed
``Step :           3  error :   9.19911861E-02  cent. move :   1.2E-04`` and
Python's ``Step : 3  error : 0.0123  cent. move : 0.000123``.  ``nan`` and
``inf`` (any case and sign) are numbers too.  The course is taught in French, so
``étape`` and ``itération`` (with or without accents) are words for a step too.
numpy 2 scalars printed by their repr (``np.float64(0.0123)``, as in a printed
tuple or ``{x!r}``) are read as their numbers, a count out of the cap
(``Step 3/100``, ``step 3 of 100``) as the step, and digits in a name (``L2``,
``x1``) are no number, while a number with a decimal point may touch its label (``error.230367``,
``error1.500000``: Fortran's ``F0.6``).  A line holding more than three numbers has labels holding digits:
those read as label text are dropped, from the left, until three remain (a line of three is read as printed):
first exponents and digits glued to the letters after them (``||dC||^2``, ``dx**2``, ``2D``, ``t=0.53s``), then
whole numbers printed the same at the same rank in every step line (``(k=4)``, ``(for 200 points)``): values
change from step to step, labels repeat.  Terminal colour codes are ignored.  A line that repeats the
step before it (same number and values) is not a new step, nor is a closing line that repeats the last step's
number and move (a summary, whose error may be measured after the last update).  Other lines are ignored.

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

__all__ = ["INPUT_NAMES", "OUTPUT_NAMES", "Step", "OutputFile", "input_file", "parse_output", "parse_steps",
           "resolutions"]

#: The names the course's programs read (the _3d one after a hand edit): both are written.
INPUT_NAMES = ("kmeans_input_file_2d.dat", "kmeans_input_file_3d.dat")
#: The names they write, the first found is read.
OUTPUT_NAMES = ("kmeans_output_2d.dat", "kmeans_output_3d.dat")

#: A number; digits right after a letter are part of a name (L2, x1, float64), not a number.
#: A number with a decimal point may follow a label's last letter, as Fortran's F0.d writes it right after
#: the text ("error.230367", "error1.500000", "move-.25"); digits without a point there are part of a name;
#: nan and inf are words of their own ("information" holds none).
_NUMBER = re.compile(r"(?<![A-Za-z_\d.])[-+]?(?:(?:nan|inf(?:inity)?)(?![A-Za-z])|\d+\.?\d*(?:[eEdD][-+]?\d+)?)"
                     r"|(?<![\d.])[-+]?\.\d+(?:[eEdD][-+]?\d+)?"
                     r"|(?<=[A-Za-z])[-+]?\d+\.\d*(?:[eEdD][-+]?\d+)?", re.IGNORECASE)
#: The step's count out of the cap, right after the word ("Step 3/100", "step 3 of 100", "étape 3 sur 100").
_OUT_OF = re.compile(r"^(\W*\d+)\s*(?:/|of|sur)\s*\d+", re.IGNORECASE)
#: The word may touch its number ("Step1", "Step_1"), not another letter ("steps", "stepping").
# After a letter or a digit it is part of another word; after "_" it ends a name (n_iter, nb_step).
_STEP_WORD = re.compile(r"(?<![A-Za-zÀ-ÿ\d])(?:step|iteration|iter|it[ée]ration|[ée]tape)(?![A-Za-zÀ-ÿ])",
                        re.IGNORECASE)
#: A cap named around the word ("max iter = 100", "iter max : 100"): a setting, not a step.  Each is tried
#: where the word is (before it within ``_CAP_REACH`` characters, right after it), never on the rest of the line:
#: a line holding the word thousands of times costs the grader time in proportion to its length, not its square.
_CAP_BEFORE = re.compile(r"\bmax(?:imum|\.)?[\s_:=-]*$", re.IGNORECASE)
_CAP_AFTER = re.compile(r"[\s_:=-]*max\b", re.IGNORECASE)
_CAP_REACH = 64
#: Terminal colour and style codes (ESC [ ... m) around a label or a number.
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
#: numpy 2's repr of a scalar, ``np.float64(0.5)``: the number inside counts, not the 64 of its type.
_NUMPY_SCALAR = re.compile(r"\b(?:np|numpy)\.(?:float|int|uint|double|single|longdouble)\d*\(\s*([^()]*?)\s*\)")
#: The parts of a printed number that tell its resolution: digits after the point, exponent.
_PARTS = re.compile(r"[-+]?(\d*)\.?(\d*)(?:[eEdD]([-+]?\d+))?")


def input_file(data: np.ndarray) -> bytes:
    """The course's input file for ``data`` of shape (npoints, ndim)."""
    n, d = data.shape
    lines = [f"{d} {n}"] + [" ".join(repr(float(value)) for value in data[:, axis]) for axis in range(d)]
    return ("\n".join(lines) + "\n").encode("ascii")


#: The largest power of ten a double reaches (1.8e308): a printed number whose last digit stands for a larger one
#: (``0e500``) has no resolution a double holds (see :func:`_half_unit`).
_LARGEST_PLACE = 308
#: The most digits of an exponent read as they are: int() refuses more than 4300, and past 10 ** 999 (or below
#: 10 ** -999) every place is beyond a double's alike.
_EXPONENT_DIGITS = 3
#: The most digits a whole number of the output's first line may have (a dimension, a number of centers): Python
#: will not read an int of more than 4300 digits.
_WHOLE_DIGITS = 9


def _number(text: str) -> float:
    return float(text.replace("d", "e").replace("D", "e"))


def _digits(token: str) -> tuple[int, int, int]:
    """(digits after the point, exponent, significant digits) of a printed number; zeros for nan and inf."""
    parts = _PARTS.fullmatch(token)
    if parts is None:
        return 0, 0, 0
    whole, fraction, exponent = parts.groups()
    if exponent and len(exponent.lstrip("+-").lstrip("0")) > _EXPONENT_DIGITS:
        exponent = "-999" if exponent.startswith("-") else "999"
    return len(fraction), int(exponent or 0), len((whole + fraction).lstrip("0"))


def _half_unit(place: int) -> float:
    """Half of ``10 ** place``, the resolution of a last digit there; 0 (the value as printed, exact) past a
    double's largest place (``0e500``): no format of a double prints so coarse a digit, and 10.0 ** place would
    overflow."""
    return 0.5 * 10.0 ** place if place <= _LARGEST_PLACE else 0.0


def resolutions(tokens: list[str]) -> list[float]:
    """How far each printed number may be from the value it prints: half a unit of its last digit.

    The numbers are printed by one format (a column of steps, an output file), whose precision is the finest
    one they show: the most digits after the point (``%.3f``, ``%e``), or the most significant digits
    (``%g``); a short number (Python's repr prints 0.5 or 0.0) is as precise as its column.  A whole number
    (no point, no exponent) is taken as exact: no format of the course prints a real number that way, an
    integer variable does (an error summed in an int prints 0, exactly what it holds).
    """
    digits = [_digits(token) for token in tokens]
    decimals = max((d for d, _, _ in digits), default=0)
    significant = max((s for _, _, s in digits), default=0)
    found = []
    for token, (_, exponent, _) in zip(tokens, digits):
        value = _number(token)
        if not np.isfinite(value) or not re.search(r"[.eEdD]", token):
            found.append(0.0)
            continue
        res = _half_unit(exponent - decimals)
        if value != 0 and significant:
            res = max(res, _half_unit(int(np.floor(np.log10(abs(value)))) - significant + 1))
        found.append(float(res))
    return found


def _own_resolution(token: str) -> float:
    return resolutions([token])[0]


@dataclass(frozen=True)
class OutputFile:
    """An output file read back: ``centers`` (k, ndim), or ``problem`` saying why it cannot be read."""

    ndim: int = 0
    k: int = 0
    centers: Optional[np.ndarray] = None
    problem: str = ""
    #: The coarsest resolution of its numbers (see :func:`resolutions`): ``%.4f`` centers are known to 5e-5.
    resolution: float = 0.0
    #: How many numbers each line after the first holds.
    per_line: tuple[int, ...] = ()
    #: What is wrong with a first line that is read all the same: whole values written as real numbers
    #: (``2.0 4.0``, ``numpy.savetxt`` of the whole table); only the output format's check judges it.
    header_problem: str = ""


def parse_output(content: bytes, name: str) -> OutputFile:
    text = content.decode("latin-1")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return OutputFile(problem=f"{name} is empty: it must start with a line 'ndim k'")
    header = lines[0].strip().lstrip("#").split()
    whole = _whole_values(header)
    if len(header) != 2 or whole is None:
        return OutputFile(problem=f"the first line of {name} is {lines[0].strip()[:60]!r}: it must hold two whole "
                                  "numbers, 'ndim k' (the dimension, then the number of centers)")
    ndim, k = whole
    header_problem = "" if all(re.fullmatch(r"[-+]?\d+", item) for item in header) else (
        f"the first line of {name} is {lines[0].strip()[:60]!r}: write ndim and k as whole numbers, "
        f"'{ndim} {k}' (a program reading the file as the course does, with %d or int(), cannot read "
        f"{header[0]!r})")
    if ndim < 1 or k < 1:
        return OutputFile(ndim, k, problem=f"the first line of {name} says ndim={ndim}, k={k}: both must be >= 1")
    values, tokens, per_line = [], [], []
    for number, line in enumerate(lines[1:], start=2):
        per_line.append(len(line.replace(",", " ").split()))
        for token in line.replace(",", " ").split():
            if not _NUMBER.fullmatch(token):
                brackets = (" (brackets: str() or print() of a numpy array or a list writes them; write the numbers "
                            "only, e.g. with numpy.savetxt or ' '.join)") if re.search(r"[\[\]()]", token) else ""
                return OutputFile(ndim, k, problem=f"line {number} of {name} holds {token[:30]!r}, which is not a "
                                                   f"number{brackets}")
            values.append(_number(token))
            tokens.append(token)
    if len(values) != ndim * k:
        return OutputFile(ndim, k, problem=f"{name} says ndim={ndim}, k={k} on its first line, so k*ndim = "
                                           f"{ndim * k} coordinates must follow, but it holds {len(values)}")
    return OutputFile(ndim, k, np.array(values, dtype=np.float64).reshape(k, ndim),
                      resolution=max(resolutions(tokens), default=0.0), per_line=tuple(per_line),
                      header_problem=header_problem)


def _whole_values(tokens: list[str]) -> Optional[tuple[int, ...]]:
    """The values of ``tokens`` when each is a whole number, written as one (``4``) or as a real (``4.0``,
    ``4.000000e+00``); None otherwise."""
    values = []
    for token in tokens:
        if re.fullmatch(r"[-+]?\d+", token):
            if len(token.lstrip("+-").lstrip("0")) > _WHOLE_DIGITS:
                return None  # no dimension nor number of centers is that large
            values.append(int(token))
            continue
        if not _NUMBER.fullmatch(token) or not re.fullmatch(r"[-+]?[\d.]+(?:[eEdD][-+]?\d+)?", token):
            return None
        value = _number(token)
        if not np.isfinite(value) or value != round(value) or abs(value) > 1e9:
            return None
        values.append(int(value))
    return tuple(values)


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


def _same(a: str, b: str) -> bool:
    """Two printed values that may be the same number (each within its own printed resolution)."""
    x, y = _number(a), _number(b)
    if not (np.isfinite(x) and np.isfinite(y)):
        return bool(np.isnan(x) and np.isnan(y) or x == y)
    return abs(x - y) <= _own_resolution(a) + _own_resolution(b) + 1e-12 * abs(x)


def _capped(line: str, word: re.Match) -> bool:
    """Whether the step word ``word`` of ``line`` is part of a cap's name ("max iter", "iter max")."""
    return bool(_CAP_BEFORE.search(line, max(0, word.start() - _CAP_REACH), word.start())
                or _CAP_AFTER.match(line, word.end()))


def _in_label(text: str, number: re.Match) -> bool:
    """Whether ``number`` of ``text`` reads as part of a label: an exponent (``d^2``, ``dx**2``, ``||dC||^2``)
    or digits glued to the letters after them (``2D error``, a unit: ``t=0.53s``)."""
    before = text[:number.start()].rstrip()
    glued = text[number.end():number.end() + 1]
    return before.endswith(("^", "**")) or glued.isalpha() or glued == "_"


def _labelled(numbers: list[tuple[str, bool]]) -> list[str]:
    """The numbers of one step line without those that read as part of a label, dropped from the left while
    more than three numbers remain: a line of exactly three numbers is read as it is printed."""
    extra = len(numbers) - 3
    kept = []
    for token, label in numbers:
        if label and extra > 0:
            extra -= 1
            continue
        kept.append(token)
    return kept


def _without_repeated_labels(read: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """Each step line's numbers without the whole numbers of its labels: a whole number printed at the same
    place (the same rank among the line's numbers) in every step line of that many numbers, ``(k=4)``,
    ``(for 200 points)``, ``(norme 2 au carré)``.  Values change from step to step, labels repeat; a run of
    one step tells nothing, so its step number (the first) is kept.  Only lines holding more than three
    numbers lose any, from the left, until three remain: a line of three is read as printed."""
    by_count: dict[int, list[list[str]]] = {}
    for _, numbers in read:
        by_count.setdefault(len(numbers), []).append(numbers)
    repeated = {count: [len(group) > 1 or rank > 0 for rank in range(count)] for count, group in by_count.items()}
    for count, group in by_count.items():
        for rank in range(count):
            repeated[count][rank] &= bool(re.fullmatch(r"[-+]?\d+", group[0][rank])) \
                and all(numbers[rank] == group[0][rank] for numbers in group)
    return [(line, _labelled(list(zip(numbers, repeated[len(numbers)])))) for line, numbers in read]


def parse_steps(printed: str) -> list[Step]:
    """Every printed step, in order (see the module's docstring for what is accepted)."""
    found: list[tuple[int, str, str, str]] = []
    summary: Optional[tuple[int, str, str, str]] = None  # a line repeating the last step's number and move
    read: list[tuple[str, list[str]]] = []
    for line in printed.splitlines():
        line = _ESCAPES.sub("", line)
        word = next((found for found in _STEP_WORD.finditer(line) if not _capped(line, found)), None)
        if word is None:
            continue
        after = line[word.end():]
        after = " " + after[1:] if after.startswith("_") else after  # "Step_1": the underscore joins, like a space
        text = _NUMPY_SCALAR.sub(r" \1 ", _OUT_OF.sub(r"\1", after))
        read.append((line, _labelled([(m.group(), _in_label(text, m)) for m in _NUMBER.finditer(text)])))
    for line, numbers in _without_repeated_labels(read):
        if len(numbers) < 3:
            continue
        try:
            first = _number(numbers[0])
            _number(numbers[1]), _number(numbers[2])
        except ValueError:
            continue
        if not np.isfinite(first) or first != int(first):
            continue
        step = (int(first), numbers[1], numbers[2], line.strip()[:200])
        if found and found[-1][0] == step[0] and _same(found[-1][1], step[1]) and _same(found[-1][2], step[2]):
            continue  # the same step again
        if summary is not None:  # a step came after it: it was a step printed twice, not a closing summary
            found.append(summary)
            summary = None
        if found and found[-1][0] == step[0] and _same(found[-1][2], step[2]):
            summary = step  # a closing summary, whose error may be another (measured after the update), if last
            continue
        found.append(step)
    # The finest digit each column shows (fixed formats show the same number of decimals on every line).
    errors = resolutions([error for _, error, _, _ in found])
    moves = resolutions([move for _, _, move, _ in found])
    return [Step(number, _number(error), _number(move), line, errors[i], moves[i])
            for i, (number, error, move, line) in enumerate(found)]
