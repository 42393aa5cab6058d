"""``grader new ID``: a new exercise in a course folder, working at once.

It writes the skeleton ``ID/ID.py`` and the students' ``ID/README.md``, the reference ``reference/ID.py``, the
public checks ``checks/ID.py`` (two example checks), the hidden checks ``hidden/ID.py`` (one, importing the
public module's strategy, as a helper) and the exercise's entry in ``config.yaml`` with every check's points;
a folder without ``config.yaml`` gets one.  The example is a tiny contract, ``center(x)`` (``x`` minus its
mean), so that the scaffold's reference passes every check and its skeleton scores 0 before anything is
edited; the instructor then rewrites each file.  Nothing existing is overwritten.

The entry is appended to ``config.yaml`` only where that is safe: its title written as YAML reads it back (quoted
where a colon, ``#`` or ``[`` would change it), at the end of a block ``exercises:`` whose entries are indented
by 2 spaces, and the file as it would be written must read back with the new exercise and every other.  Otherwise
(``exercises: {}``, entries indented by 4) ``config.yaml`` is left as it was and the error gives the entry to add
by hand.
"""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from grader import _atomic
from grader.config import CONFIG_NAME
from grader.errors import UsageError

__all__ = ["Scaffold", "scaffold_exercise"]

_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:", re.MULTILINE)

_NEW_CONFIG = """\
# Course configuration of the grader: every student is graded with the same seed, examples and limits.
seed: 1            # Hypothesis seed: the same examples for everyone, on every run
max_examples: 30   # examples per check

exercises:
"""

_SKELETON = '''\
"""{title}.

center(x): x minus its mean, a float array of the shape of x (a 1-D float array).
It does not modify x.
"""

import numpy as np


def center(x):
    raise NotImplementedError
'''

_REFERENCE = '''\
import numpy as np


def center(x):
    return x - np.mean(x)
'''

_README = """\
# {title}

Complete `{id}.py`: `center(x)` returns `x` minus its mean, a float array of the shape of `x`,
without modifying `x`.

Check your work with `grader check {id}`.
"""

_CHECKS = '''\
"""The public checks of {id}: one property of one function each (see docs/authoring.md)."""

import numpy as np

from grader.authoring import check, expect_array, expect_close, expect_inputs_untouched, float_arrays
from hypothesis.extra.numpy import array_shapes

#: The examples every check draws: 1-D float arrays of 1 to 8 values on a grid.
vectors = float_arrays(array_shapes(min_dims=1, max_dims=1, min_side=1, max_side=8))


@check("center.zero_mean", "center returns x minus its mean", hint="x - np.mean(x)", x=vectors)
def center_zero_mean(student, x):
    returned = expect_array(student.call("center", x), "center", shape=x.shape)
    expect_close(returned, x - np.mean(x), "center", terms=len(x), inputs={{"x": x}})


@check("center.inputs_untouched", "center leaves x unchanged", suspects="center.zero_mean", x=vectors)
def center_inputs_untouched(student, x):
    returned = expect_inputs_untouched(student, "center", x, names=("x",))
    expect_close(expect_array(returned, "center", shape=x.shape), x - np.mean(x), "center", terms=len(x),
                 inputs={{"x": x}}, suspects=("center.zero_mean",))
'''

_HIDDEN = '''\
"""The hidden checks of {id}: run at grading time, never shipped to students."""

import numpy as np

from checks.{id} import vectors
from grader.authoring import check, expect_invariant, grid_floats


@check("center.shift_invariant", "center(x + c) is center(x)", suspects="center.zero_mean", x=vectors,
       c=grid_floats(-4, 4))
def center_shift_invariant(student, x, c):
    expect_invariant(student, "center", (x,), (x + c,), what=f"adding {{c}} to every value", terms=2 * len(x),
                     scale=float(np.max(np.abs(x + c), initial=1.0)), inputs={{"x": x, "c": c}},
                     suspects=("center.zero_mean",))
'''

_BINDING = '''\
"""The {id} contract in C and Fortran, called through the C ABI (see grader/student/_compiled.py).

Trusted code the worker imports from this file before it is confined: the standard library, numpy and
grader.student._compiled only.

C:        void center(const double *x, int n, double *out);
Fortran:  subroutine center(x, n, out) bind(C, name="center"), real(c_double) x(n), out(n), n by value.

A skeleton function sets the global flag not_implemented (NotImplementedError); what the compiled code writes
into its input is copied back, so that "leaves x unchanged" sees it.  An argument of the contract holding indices
counted from 0 (a label, a class) is passed plus lib.offset and declared in a literal INDEX_ARGUMENTS = {{"f":
{{"labels": 1}}}} (function -> argument -> position), so that the call shown with a crash counts it as the student's
language does.
"""

import ctypes
import types

from grader.student._compiled import DOUBLE_P, Library, checked_array, copy_back, integer, returned


def bind(library, language):
    lib = Library(library, language)
    try:
        # The parameters' names, as the skeletons write them, name the array a message says was read out of bounds.
        compiled = lib.function("center", None, [DOUBLE_P, ctypes.c_int, DOUBLE_P], "x n out")
    except AttributeError:  # the library does not define it
        return types.SimpleNamespace()

    def center(x):
        values = checked_array(x, "x", 1)
        passed, out = lib.doubles(values), lib.output(values.shape)
        lib.run(compiled, lib.pointer(passed), integer(len(values), "n"), lib.pointer(out))
        copy_back(x, passed)
        return returned(out)

    return types.SimpleNamespace(center=center)
'''

_C_SKELETON = """\
/* {title}: complete center.  Check it with: grader check {id} --path {id}.c */

/* The grader's marker for "not written yet": delete the NOT_IMPLEMENTED line of a function when you write it. */
int not_implemented = 0;
#define NOT_IMPLEMENTED (not_implemented = 1)

/* out = x minus the mean of its n values; x is not modified. */
void center(const double *x, int n, double *out)
{{
    (void)x; (void)n; (void)out;
    NOT_IMPLEMENTED;
}}
"""

_C_REFERENCE = """\
int not_implemented = 0;

void center(const double *x, int n, double *out)
{{
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += x[i];
    for (int i = 0; i < n; i++)
        out[i] = x[i] - sum / n;
}}
"""

_FORTRAN_SKELETON = """\
! {title}: complete center.  Check it with: grader check {id} --path {id}.f90
module {id}_mod
  use iso_c_binding
  implicit none

  ! The grader's marker for "not written yet": delete the "not_implemented = 1" line when you write the procedure.
  integer(c_int), bind(C, name="not_implemented") :: not_implemented = 0

contains

  ! out = x minus the mean of its n values; x is not modified.
  subroutine center(x, n, out) bind(C, name="center")
    integer(c_int), value :: n
    real(c_double), intent(in) :: x(n)
    real(c_double), intent(inout) :: out(n)
    not_implemented = 1
  end subroutine center

end module {id}_mod
"""

_FORTRAN_REFERENCE = """\
module {id}_mod
  use iso_c_binding
  implicit none
  integer(c_int), bind(C, name="not_implemented") :: not_implemented = 0
contains
  subroutine center(x, n, out) bind(C, name="center")
    integer(c_int), value :: n
    real(c_double), intent(in) :: x(n)
    real(c_double), intent(inout) :: out(n)
    out = x - sum(x) / n
  end subroutine center
end module {id}_mod
"""

#: Language -> (file suffix, skeleton, reference).
_COMPILED = {"c": (".c", _C_SKELETON, _C_REFERENCE), "fortran": (".f90", _FORTRAN_SKELETON, _FORTRAN_REFERENCE)}

_LANGUAGE_ENTRY = """\
      {language}:
        module: {id}{suffix}
        skeleton: {id}/{id}{suffix}
        reference: reference/{id}{suffix}
        binding: bindings/{id}.py
"""

_ENTRY = """\
  {id}:
    title: {title}
    module: {id}.py
    skeleton: {id}/{id}.py
    reference: reference/{id}.py
    checks:
      - checks/{id}.py
    hidden_checks:
      - hidden/{id}.py
    points:
      center.zero_mean: 6
      center.inputs_untouched: 2
      center.shift_invariant: {{points: 2, hidden: true}}
"""


@dataclass(frozen=True)
class Scaffold:
    """What :func:`scaffold_exercise` wrote: the course's ``config.yaml`` and the new files, relative to it."""

    config: Path
    files: tuple[str, ...]


def _yaml_value(value: str) -> str:
    """``value`` as YAML writes it after ``key:``, quoted where it would otherwise be read as something else (a
    colon, a ``#`` comment, a ``[`` flow list, ``yes``, ``12``)."""
    import yaml

    # Dumped as a mapping's value, so that it is written as one would after "title:", on one line.
    return yaml.safe_dump({"k": value}, allow_unicode=True, width=1 << 30).rstrip("\n").split(": ", 1)[1]


def _entry(exercise_id: str, title: str, languages: tuple[str, ...]) -> str:
    """The exercise's entry under ``exercises:``, its languages included."""
    return _ENTRY.format(id=exercise_id, title=_yaml_value(title)) + ("    languages:\n" if languages else "") \
        + "".join(_LANGUAGE_ENTRY.format(language=name, id=exercise_id, suffix=_COMPILED[name][0])
                  for name in languages)


#: The line ``exercises:`` and what follows it on that line (a flow mapping ``{}``, a scalar), comment aside.
_SECTION = re.compile(r"^exercises\s*:[ \t]*(?P<rest>[^\n#]*)", re.MULTILINE)


def _layout_problem(text: str) -> Optional[str]:
    """Why the entry cannot be appended to the section ``exercises:`` of ``text`` as it is laid out: the entries of
    :data:`_ENTRY` are indented by 2 spaces and follow a block section; None when it can."""
    section = _SECTION.search(text)
    if section is None:
        return None
    if section["rest"].strip():
        return f"'exercises: {section['rest'].strip()}' is written in flow style, on one line"
    for line in text[section.end():].splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            indent = len(line) - len(line.lstrip())
            if indent != 2 or line.startswith("\t"):
                return "its exercises are not indented by 2 spaces"
            break
    return None


def _added_problem(text: str, exercise_id: str, title: str, before: Optional[dict]) -> Optional[str]:
    """Why ``text``, the configuration with the entry appended, is not what was meant: not valid YAML, the new
    exercise missing or with another title, an exercise of ``before`` (the configuration as it was) lost."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return "with the entry appended it would not be valid YAML"
    exercises = data.get("exercises") if isinstance(data, dict) else None
    if not isinstance(exercises, dict) or not isinstance(exercises.get(exercise_id), dict) \
            or exercises[exercise_id].get("title") != title:
        return "with the entry appended it would not read as the new exercise"
    old = before.get("exercises") if isinstance(before, dict) else None
    if isinstance(old, dict) and not set(old) <= set(exercises):
        return "with the entry appended its other exercises would not read as before"
    return None


def _config_text(config: Path, exercise_id: str, title: str, languages: tuple[str, ...]) -> tuple[str, str]:
    """``config.yaml`` with the exercise's entry added at the end of ``exercises:`` (its comments kept), and "";
    or the file as it is and why the entry cannot be added safely (flow style, other indentation)."""
    import yaml

    text = config.read_text(encoding="utf-8") if config.is_file() else _NEW_CONFIG
    keys = _TOP_KEY.findall(text)
    if "exercises" not in keys:
        text = text.rstrip("\n") + "\n\nexercises:\n"
    elif keys[-1] != "exercises":
        raise UsageError(f"{config}: 'exercises:' is not the last section, so the new entry cannot be added "
                         "at its end: move 'exercises:' last, and run grader new again")
    if re.search(rf"^  {re.escape(exercise_id)}\s*:", text, re.MULTILINE):
        raise UsageError(f"{config} already has an exercise {exercise_id!r}: choose another id")
    problem = _layout_problem(text)
    if problem:
        return text, problem
    added = text.rstrip("\n") + "\n" + ("\n" if not text.rstrip().endswith("exercises:") else "") \
        + _entry(exercise_id, title, languages)
    try:
        before = yaml.safe_load(text)
    except yaml.YAMLError:
        before = None
    problem = _added_problem(added, exercise_id, title, before)
    return (text, problem) if problem else (added, "")


def _importable(name: str) -> bool:
    """Whether ``name`` is a module of the standard library or one installed here."""
    import importlib.util

    if name in getattr(sys, "stdlib_module_names", ()) or name in sys.builtin_module_names:
        return True
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    # A folder of that name on the path (the course's own, or this exercise's) is no module: a namespace.
    return spec is not None and spec.origin not in (None, "namespace")


#: The course's folders ``grader new`` writes every exercise's files into, by what they hold: no exercise may be named
#: after one (its own folder, named by its id, would be the same).
_SHARED_FOLDERS = {"reference": "references", "checks": "checks", "hidden": "hidden checks",
                   "bindings": "C and Fortran bindings"}


def scaffold_exercise(root: Path, exercise_id: str, *, title: Optional[str] = None,
                      languages: Sequence[str] = ()) -> Scaffold:
    """Write a new exercise ``exercise_id`` into the course folder ``root`` (see the module's docstring);
    ``languages`` (``c``, ``fortran``) adds their skeletons, references and the binding that calls them."""
    unknown = sorted(set(languages) - set(_COMPILED))
    if unknown:
        raise UsageError(f"unknown language {', '.join(unknown)}: grader new offers {', '.join(_COMPILED)}")
    chosen = tuple(name for name in _COMPILED if name in languages)
    if not _ID.match(exercise_id) or keyword.iskeyword(exercise_id):
        raise UsageError(f"exercise id {exercise_id!r} must be a Python name (letters, digits, _, not a keyword), "
                         "as it names the student's module")
    if exercise_id in _SHARED_FOLDERS:
        raise UsageError(f"exercise id {exercise_id!r} is the name of the course's folder of "
                         f"{_SHARED_FOLDERS[exercise_id]}: the exercise's own folder would be that one (its skeleton "
                         "written over its reference or its checks); choose another id")
    if _importable(exercise_id):
        raise UsageError(f"exercise id {exercise_id!r} is the name of a module Python already has: the student's "
                         f"{exercise_id}.py would hide it (or be hidden by it); choose another id")
    root = Path(root)
    title = title or exercise_id.replace("_", " ")
    values = {"id": exercise_id, "title": title}
    files = {f"{exercise_id}/{exercise_id}.py": _SKELETON, f"{exercise_id}/README.md": _README,
             f"reference/{exercise_id}.py": _REFERENCE, f"checks/{exercise_id}.py": _CHECKS,
             f"hidden/{exercise_id}.py": _HIDDEN}
    for name in chosen:
        suffix, skeleton, reference = _COMPILED[name]
        files[f"{exercise_id}/{exercise_id}{suffix}"] = skeleton
        files[f"reference/{exercise_id}{suffix}"] = reference
    if chosen:
        files[f"bindings/{exercise_id}.py"] = _BINDING
    existing = [name for name in files if (root / name).exists()]
    if existing:
        raise UsageError(f"refusing to overwrite {', '.join(existing)}: remove them or choose another id")
    if "\n" in title or "\r" in title:
        raise UsageError("the title is one line: give --title without line breaks")
    config = root / CONFIG_NAME
    config_text, problem = _config_text(config, exercise_id, title, chosen)
    for name, template in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        _atomic.write_text(root / name, template.format(**values))
    if problem:  # the files are new and harmless; the course's configuration is the instructor's to edit
        raise UsageError(f"wrote {', '.join(files)}, but left {config} unchanged: {problem}, where grader new "
                         "cannot add the exercise safely. Add it by hand: with 'exercises:' written as a block "
                         "(alone on its line, each exercise below it), put this entry at its end, indented as the "
                         f"other exercises:\n\n{_entry(exercise_id, title, chosen)}")
    _atomic.write_text(config, config_text)  # the course's configuration: never left half written
    return Scaffold(config=config, files=tuple(files))
