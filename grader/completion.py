"""Which of an exercise's files a student is working on: the one they completed, in whatever language.

A starter repository holds an exercise's skeleton in each of its languages (``kmeans.py``,
``kmeans.c``, ``kmeans.f90``); a student completes one of them.  Each skeleton marks every
function still to write, and the marks are read here from the source text (parsed, never
imported, compiled or run):

- Python: a top-level function that raises ``NotImplementedError``;
- C: a ``NOT_IMPLEMENTED;`` statement (outside comments);
- Fortran: a ``not_implemented = 1`` statement (outside comments);
- a whole program (``kind: program``), in any language: a comment starting with ``TODO``.

:data:`MARKERS` maps a file suffix to the function counting its marks: a new kind of source file
(a notebook, say) is supported by adding its suffix there, and by nothing else.  The file with the
fewest marks is the student's; a file with none is *completed*.  Ties go to the first language in
the order of ``config.yaml`` (the exercise's own ``module`` first, then its ``languages``), and when
several files are completed a note says which was chosen.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Optional, Sequence

from grader.config import LANGUAGE_EXTENSIONS, CourseConfig, ExerciseConfig

__all__ = ["Candidate", "Choice", "MARKERS", "candidates", "choose", "marks", "default_submission", "module_names"]

_C_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
_C_MARK = re.compile(r"^\s*NOT_IMPLEMENTED\s*;", re.MULTILINE)
_FORTRAN_MARK = re.compile(r"^\s*not_implemented\s*=\s*1\b", re.MULTILINE | re.IGNORECASE)
_TODO = re.compile(r"(?:#|//|/\*|\*|!)\s*TODO\b")


def _python_marks(text: str) -> int:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return 0  # it does not parse: a student's (broken) work, graded so that they see why
    return sum(1 for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
               and any(_raises(child, "NotImplementedError") for child in ast.walk(node)))


def _raises(node: ast.AST, name: str) -> bool:
    if not isinstance(node, ast.Raise) or node.exc is None:
        return False
    raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return isinstance(raised, ast.Name) and raised.id == name


def _c_marks(text: str) -> int:
    return len(_C_MARK.findall(_C_COMMENT.sub(" ", text)))


def _fortran_marks(text: str) -> int:
    code = "\n".join(line.split("!", 1)[0] for line in text.splitlines())
    return len(_FORTRAN_MARK.findall(code))


def _notebook_marks(text: str) -> int:
    """A notebook's marks are those of the Python its code cells make (0 for one that is not a notebook)."""
    import json

    try:
        cells = json.loads(text).get("cells", [])
        code = "\n".join("".join(cell.get("source", "")) if isinstance(cell.get("source"), list)
                         else str(cell.get("source", "")) for cell in cells if cell.get("cell_type") == "code")
    except (ValueError, AttributeError, TypeError):
        return 0
    return _python_marks("\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))))


#: How each kind of source file marks a function still to write, by suffix (lower case): text -> marks.
MARKERS: Mapping[str, Callable[[str], int]] = {
    ".py": _python_marks,
    ".ipynb": _notebook_marks,
    ".c": _c_marks,
    **{suffix: _fortran_marks for suffix in LANGUAGE_EXTENSIONS["fortran"]},
}


def _program_marks(text: str) -> int:
    return len(_TODO.findall(text))


def marks(path: Path, *, program: bool = False) -> int:
    """How many functions (for a whole program: TODO comments) the file at ``path`` still marks as to write;
    0 for a file that cannot be read or whose suffix has no marks."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    if program:
        return _program_marks(text)
    counter = MARKERS.get(Path(path).suffix.lower())
    return counter(text) if counter is not None else 0


@dataclass(frozen=True)
class Candidate:
    """One file a submission of the exercise may be: its language and where it is."""

    language: str
    path: Path


@dataclass(frozen=True)
class Choice:
    """The file chosen, its language, and a note for the report when the choice needs explaining ("")."""

    path: Path
    language: str
    note: str = ""


def module_names(exercise: ExerciseConfig) -> list[tuple[str, str, Path]]:
    """``(language, file name, skeleton)`` of each language of ``exercise``, in the order of config.yaml."""
    if exercise.kind == "program":
        stem = Path(exercise.module).stem
        folder = exercise.skeleton.parent
        names = [(exercise.language, exercise.module, exercise.skeleton)]
        for language, suffixes in LANGUAGE_EXTENSIONS.items():
            if language != exercise.language:
                names.append((language, stem + suffixes[0], folder / (stem + suffixes[0])))
        return names
    languages = exercise.languages or {}
    if not languages:
        return [(exercise.language, exercise.module, exercise.skeleton)]
    return [(name, language.module, language.skeleton) for name, language in languages.items()]


def candidates(config: CourseConfig, exercise: ExerciseConfig) -> list[Candidate]:
    """The exercise's files present in the repository of ``config``, one per language, in config.yaml's order
    (each at the root of the repository, under ``exercises/``, or where its skeleton is)."""
    from grader.student._languages import runner_for

    found = []
    for language, module, skeleton in module_names(exercise):
        try:
            path = runner_for(language).find(config.root, module)
        except ValueError:
            path = None
        if path is None and Path(skeleton).is_file():
            path = Path(skeleton)
        if path is not None:
            found.append(Candidate(language, path))
    return found


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def choose(found: Sequence[Candidate], *, program: bool = False, root: Path = Path(".")) -> Optional[Choice]:
    """The file the student worked on among ``found`` (in config.yaml's order): the one with the fewest marks,
    the first on a tie; ``None`` when there is none.  The note names the other completed files, if any."""
    if not found:
        return None
    counted = [(marks(item.path, program=program), index, item) for index, item in enumerate(found)]
    _, _, best = min(counted, key=lambda entry: (entry[0], entry[1]))
    completed = [item for count, _, item in counted if count == 0]
    note = ""
    if len(completed) > 1 and best in completed:
        others = ", ".join(f"{_shown(item.path, root)} ({item.language})" for item in completed if item != best)
        note = (f"graded {_shown(best.path, root)} ({best.language}); also completed: {others}, not graded "
                "(the first language of the course's list wins: pass --path to choose)")
    return Choice(best.path, best.language, note)


def default_submission(config: CourseConfig, exercise: ExerciseConfig) -> Optional[Choice]:
    """The file ``grader check EXERCISE`` grades when no ``--path`` is given (see :func:`choose`)."""
    return choose(candidates(config, exercise), program=exercise.kind == "program", root=config.root)
