"""What a student's source file says, read without running it, and which of an exercise's files is theirs.

A file is parsed (Python) or scanned (C, Fortran) as text: never imported, compiled or run.
Its :class:`Reader`, chosen by suffix in :data:`READERS`, tells

- the functions it *defines* (Python: top-level ``def``, and the names it binds otherwise, ``forward =
  net.forward``; C: function definitions, the return type on the line above the name too, as GNU style
  writes it; Fortran: ``function``, ``subroutine`` and a submodule's ``module procedure``, whatever their
  prefixes and continuation lines), compared case-insensitively;
- how many functions it still *marks* as to write, as the course's skeletons do: Python, a
  top-level function that raises ``NotImplementedError``; C, a ``NOT_IMPLEMENTED;`` or
  ``not_implemented = 1;`` statement (the flag set by hand);
  Fortran, a ``not_implemented = 1`` statement (outside comments); a whole program
  (``kind: program``), in any language, a comment starting with ``TODO``;
- whether it is a whole *program* (C: a ``main``; Fortran: a ``program`` unit; Python:
  top-level statements that do the work, not only definitions).

A new kind of source file (a notebook, say) is read, and looked for as an exercise's file, by adding its suffix
to :data:`READERS` (its runner grades it).  A notebook is read cell by cell as grading reads it (IPython syntax
left out, a continuation line such as ``% (it, err)`` kept): a cell that is not Python (a first attempt, an
input that failed in the kernel) hides only its own functions, never the rest of the notebook's.

**The student's file** among an exercise's files in several languages (a starter repository
holds a skeleton in each) is the one with the fewest marks; a file with none is *completed*.
Ties go to the first language in the order of ``config.yaml`` (the exercise's own ``module``
first, then its ``languages``), and when several files are completed a note says which was
chosen.  Marks can be left in by a student who completed the file (a program's TODO comment
above the loop they wrote): a students' repository made by ``grader dist`` lists the digests
of the skeletons it hands out (``shipped:``), and a file still identical to one of them comes
after every file the student changed.  **The exercise of a lone file** (``erin.c`` in a class folder) is the one whose
skeleton, in the file's language, has the most of its functions defined in the file (at least
half, and more than any other); failing that, a program's file is the course's only program
exercise; otherwise it cannot be told.
"""

from __future__ import annotations

import ast
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Collection, Mapping, Optional, Sequence

from grader.config import FORTRAN_FIXED_FORM, LANGUAGE_EXTENSIONS, CourseConfig, ExerciseConfig

__all__ = ["Candidate", "Choice", "Reader", "READERS", "candidates", "choose", "marks", "default_submission",
           "module_names", "file_names", "exercise_of", "exercise_here", "still_marked", "text_of", "ExerciseMatch", "defines_most", "written_elsewhere",
           "written_for", "defines_none", "unmarked"]

_C_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
_C_STRING = re.compile(r'"(?:\\.|[^"\\\n])*"')
# A statement of its own (a line's first, or after another): the skeleton's macro, or the flag it sets (the
# contract of grader/student/_compiled.py) set by hand; never the flag's declaration, ``int not_implemented = 0;``.
_C_MARK = re.compile(r"(?:^|(?<=[;{}]))\s*(?:NOT_IMPLEMENTED|not_implemented\s*=\s*1)\s*;", re.MULTILINE)
# The return type before the name on its line, or on the line above (GNU style: ``int\nmain (void)``).
_C_DEFINITION = re.compile(r"^(?:[A-Za-z_][\w \t\*]*?\b|\*+[ \t]*)?([A-Za-z_]\w*)\s*\([^;{}()]*\)\s*\{",
                           re.MULTILINE)
_C_KEYWORDS = {"if", "for", "while", "switch", "return", "sizeof", "do", "else"}
_FORTRAN_MARK = re.compile(r"^\s*not_implemented\s*=\s*1\b", re.MULTILINE | re.IGNORECASE)
# Any prefixes (``pure``, ``recursive``, ``real(8)``...); a subroutine without arguments has no brackets.
_FORTRAN_DEFINITION = re.compile(r"^(?!\s*end\b).*?\b(?:function|subroutine|module\s+procedure)\s+([a-z_]\w*)"
                                 r"\s*(?:\(|;|$)", re.MULTILINE | re.IGNORECASE)
# Blank lines and comments may come between a line ending with ``&`` and its continuation.
_FORTRAN_CONTINUATION = re.compile(r"&[ \t]*(?:\n[ \t]*)+&?")
_FORTRAN_PROGRAM = re.compile(r"^\s*program\s+\w+", re.MULTILINE | re.IGNORECASE)
_TODO = re.compile(r"(?:#|//|/\*|\*|!)\s*TODO\b")


def _python_tree(text: str) -> Optional[ast.Module]:
    # Parsed as grading parses it: a source too deeply nested for Python's parser is a student's code that does
    # not parse (graded, the report says why), never the grader's own error.
    from grader.student._base import parse_source

    try:
        return parse_source(text)
    except (SyntaxError, ValueError):
        return None


def _python_functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]


def _python_marks(tree: Optional[ast.Module]) -> int:
    if tree is None:
        return 0  # it does not parse: a student's (broken) work, graded so that they see why
    return sum(1 for node in _python_functions(tree)
               if any(_raises(child, "NotImplementedError") for child in ast.walk(node)))


def _raises(node: ast.AST, name: str) -> bool:
    if not isinstance(node, ast.Raise) or node.exc is None:
        return False
    raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return isinstance(raised, ast.Name) and raised.id == name


def _python_defines(tree: Optional[ast.Module]) -> frozenset[str]:
    return frozenset(node.name.casefold() for node in _python_functions(tree)) if tree is not None else frozenset()


def _python_bound(tree: Optional[ast.Module]) -> frozenset[str]:
    """The names a module binds at its top level by assignment, in an ``if`` or ``try`` too, a ``__main__`` block
    aside (``forward = net.forward``, ``assign = Assigner()``): a function of the contract may be made so."""
    if tree is None:
        return frozenset()
    names: set[str] = set()
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(name.id.casefold() for target in targets for name in ast.walk(target)
                         if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store))
        elif isinstance(node, (ast.If, ast.Try)) and not _is_main_guard(node):
            pending += [*node.body, *node.orelse, *getattr(node, "finalbody", []),
                        *(part for handler in getattr(node, "handlers", []) for part in handler.body)]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node not in tree.body:
            names.add(node.name.casefold())
    return frozenset(names)


def _is_main_guard(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Compare) and \
        isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__"


def _python_is_program(text: str) -> bool:
    """Top-level statements that do the work (calls, loops, files), not only imports, definitions, constants and
    a ``__main__`` guard."""
    tree = _python_tree(text)
    if tree is None:
        return False
    quiet = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    for node in tree.body:
        if isinstance(node, quiet) or _is_main_guard(node):
            continue
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and not any(
                isinstance(child, ast.Call) for child in ast.walk(node)):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # a docstring
        return True
    return False


def _c_code(text: str) -> str:
    return _C_STRING.sub('""', _C_COMMENT.sub(" ", text))


def _c_marks(text: str) -> int:
    return len(_C_MARK.findall(_c_code(text)))


def _c_defines(text: str) -> frozenset[str]:
    return frozenset(name.casefold() for name in _C_DEFINITION.findall(_c_code(text)) if name not in _C_KEYWORDS)


def _c_unmarked(text: str, functions: Collection[str]) -> list[str]:
    code = _c_code(text)
    starts = [(found.group(1), found.start()) for found in _C_DEFINITION.finditer(code)
              if found.group(1) not in _C_KEYWORDS]
    return _unmarked(code, starts, _C_MARK, functions)


def _unmarked(code: str, starts: Sequence[tuple[str, int]], mark: re.Pattern, functions: Collection[str]) -> list[str]:
    """The ``functions`` defined in ``code`` (``starts``: each definition's name and place) with no mark between
    their definition and the next one: a compiled skeleton's function has no end the text scan can trust, but
    its mark comes before the next function begins."""
    wanted = {function.casefold(): function for function in functions}
    ends = [place for _, place in starts[1:]] + [len(code)]
    return [wanted[name.casefold()] for (name, start), end in zip(starts, ends)
            if name.casefold() in wanted and not mark.search(code, start, end)]


def _fortran_code(text: str, *, fixed: bool = False) -> str:
    """The statements of a Fortran source, comments left out and each continued statement on one line (free
    form: ``&``, comment lines between; ``fixed`` form, as gfortran reads ``.f`` files: a comment has ``c``,
    ``*`` or ``!`` in column 1, a continuation line a character other than ``0`` in column 6)."""
    lines: list[str] = []
    for line in text.splitlines():
        if fixed and line[:1] in ("c", "C", "*", "!"):
            continue
        if fixed and len(line) > 5 and not line[:5].strip() and line[5] not in " 0" and lines:
            lines[-1] += " " + line[6:].split("!", 1)[0]
            continue
        lines.append(line.split("!", 1)[0])
    return _FORTRAN_CONTINUATION.sub(" ", "\n".join(lines))


def _fortran_reader(*, fixed: bool) -> Reader:
    def code(text: str) -> str:
        return _fortran_code(text, fixed=fixed)

    def unmarked(text: str, functions: Collection[str]) -> list[str]:
        statements = code(text)
        starts = [(found.group(1), found.start()) for found in _FORTRAN_DEFINITION.finditer(statements)]
        return _unmarked(statements, starts, _FORTRAN_MARK, functions)

    return Reader("fortran",
                  lambda text: frozenset(name.casefold() for name in _FORTRAN_DEFINITION.findall(code(text))),
                  lambda text: len(_FORTRAN_MARK.findall(code(text))),
                  lambda text: bool(_FORTRAN_PROGRAM.search(code(text))),
                  unmarked=unmarked, mark="not_implemented = 1")


def _nothing(text: str) -> frozenset[str]:
    return frozenset()


def _none_unmarked(text: str, functions: Collection[str]) -> list[str]:
    return []


@dataclass(frozen=True)
class Reader:
    """How one kind of source file is read as text: its language, the functions it defines, how many it still
    marks as to write, whether it is a whole program, the other names it binds (a Python module's
    ``forward = net.forward``: a function of the contract may be made so), and (C, Fortran) which of the
    functions asked about it defines without marking them."""

    language: str
    defines: Callable[[str], frozenset[str]]
    marks: Callable[[str], int]
    is_program: Callable[[str], bool]
    binds: Callable[[str], frozenset[str]] = _nothing
    unmarked: Callable[[str, Collection[str]], list[str]] = _none_unmarked
    #: The statement that marks a function as to write, as the student deletes it (C, Fortran).
    mark: str = ""


def _notebook_tree(text: str) -> Optional[ast.Module]:
    """The module a notebook's code cells make for reading its functions: the statements of every cell that is
    Python once its IPython syntax is left out, in order, each cell read as grading reads it (see
    :func:`grader.student._notebook.cell_tree`); ``None`` for a file that is not a notebook."""
    import json

    from grader.student._notebook import cell_tree

    try:
        cells = json.loads(text).get("cells", [])
        sources = ["".join(cell["source"]) if isinstance(cell.get("source"), list) else str(cell.get("source", ""))
                   for cell in cells if isinstance(cell, dict) and cell.get("cell_type") == "code"]
    except (ValueError, AttributeError, TypeError, KeyError, RecursionError):  # RecursionError: nested too deeply
        return None
    # A cell that does not parse (a first attempt fixed further down, an input that failed in the kernel) is
    # left out alone: grading skips it or names it, and the rest still tells the exercise.
    trees = [tree for tree in map(cell_tree, sources) if tree is not None]
    return ast.Module(body=[node for tree in trees for node in tree.body], type_ignores=[])


def _python_reader(tree_of: Callable[[str], Optional[ast.Module]], is_program: Callable[[str], bool]) -> Reader:
    return Reader("python", lambda text: _python_defines(tree_of(text)), lambda text: _python_marks(tree_of(text)),
                  is_program, lambda text: _python_bound(tree_of(text)))


#: The reader of each kind of source file, by suffix (lower case).
READERS: Mapping[str, Reader] = {
    ".py": _python_reader(_python_tree, _python_is_program),
    # a notebook is a Python submission: its code cells make the module
    ".ipynb": _python_reader(_notebook_tree, lambda text: False),
    ".c": Reader("c", _c_defines, _c_marks, lambda text: "main" in _c_defines(text), unmarked=_c_unmarked,
                 mark="NOT_IMPLEMENTED;"),
    **{suffix: _fortran_reader(fixed=suffix in FORTRAN_FIXED_FORM) for suffix in LANGUAGE_EXTENSIONS["fortran"]},
}


def _text(path: Path) -> Optional[str]:
    """The text of the file at ``path`` as it is graded (UTF-16, Latin-1... converted: see
    :func:`grader.grade._source.read_source`), a BOM left out; ``None`` when it cannot be read."""
    from grader.grade._source import read_source

    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    converted = read_source(data, Path(path).name).data
    return (data if converted is None else converted).decode("utf-8-sig", errors="replace")


def _program_marks(text: str) -> int:
    return len(_TODO.findall(text))


def text_of(path: Path) -> Optional[str]:
    """The text of the source file at ``path`` as it is read here (see :func:`marks`); ``None`` if unreadable."""
    return _text(path)


def marks(path: Path, *, program: bool = False) -> int:
    """How many functions (for a whole program: TODO comments) the file at ``path`` still marks as to write;
    0 for a file that cannot be read or whose suffix has no reader."""
    text = _text(path)
    if text is None:
        return 0
    if program:
        return _program_marks(text)
    reader = READERS.get(Path(path).suffix.lower())
    return reader.marks(text) if reader is not None else 0


def unmarked(path: Path, functions: Collection[str]) -> list[str]:
    """Those of ``functions`` that the C or Fortran file at ``path`` defines without marking them as to write
    (read as :func:`marks` reads it): a skeleton's function filled in.  [] for a file that cannot be read, or in
    another language."""
    text = _text(path)
    reader = READERS.get(Path(path).suffix.lower())
    return reader.unmarked(text, functions) if text is not None and reader is not None else []


def still_marked(path: Path, functions: Collection[str]) -> tuple[list[str], str]:
    """(those of ``functions`` that the C or Fortran file at ``path`` defines and still marks as to write, the
    marking statement as written there): ([], "") for a file that cannot be read, or in another language."""
    text = _text(path)
    reader = READERS.get(Path(path).suffix.lower())
    if text is None or reader is None or not reader.mark:
        return [], ""
    defined, done = reader.defines(text), set(reader.unmarked(text, functions))
    return [function for function in functions if function.casefold() in defined and function not in done], reader.mark


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


def file_names(exercise: ExerciseConfig) -> list[tuple[str, list[str], Path]]:
    """``(language, file names, skeleton)`` of each language of ``exercise`` in config.yaml's order: its file's
    name first, then the same name with each other suffix :data:`READERS` reads as that language."""
    named = []
    for language, module, skeleton in module_names(exercise):
        stem = Path(module).stem
        others = [stem + suffix for suffix, reader in READERS.items()
                  if reader.language == language and stem + suffix != module]
        named.append((language, [module, *others], skeleton))
    return named


def copy_of(candidate: str, name: str) -> bool:
    """Whether the file name ``candidate`` is ``name`` in another case or numbered as a browser or a platform
    numbers a second download (``lab1 (1).py``, ``lab1-2.py``)."""
    stem, suffix = Path(name).stem, Path(name).suffix
    return re.fullmatch(rf"{re.escape(stem)}(?: \(\d+\)|-\d+)?{re.escape(suffix)}", candidate,
                        re.IGNORECASE) is not None


def _copies(folders: Collection[Path], name: str, exact: Collection[Path]) -> list[Path]:
    """The files of ``folders`` named as copies of ``name`` (see :func:`copy_of`), the ``exact`` hits aside."""
    found = []
    for folder in folders:
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        found += [entry for entry in entries if entry.is_file() and entry not in exact and entry.name != name
                  and copy_of(entry.name, name)]
    return found


def candidates(config: CourseConfig, exercise: ExerciseConfig) -> list[Candidate]:
    """The exercise's files present in the repository of ``config``, in config.yaml's order: in each language,
    every one of its names found (``MODULE.py`` and ``MODULE.ipynb``, each in the folder the command runs in, at
    the root of the repository or under ``exercises/``), else its skeleton."""
    from grader.student._languages import runner_for

    found = []
    for language, names, skeleton in file_names(exercise):
        try:
            runner = runner_for(language)
        except ValueError:
            continue
        paths = [hit for hit in (runner.find(config.root, name) for name in names) if hit is not None]
        # The folder the command runs in too (a student's own folder inside the repository): first.
        here = [Path.cwd() / name for name in names if (Path.cwd() / name).is_file()]
        paths = here + [path for path in paths if not any(_same_file(path, mine) for mine in here)]
        folders = list(dict.fromkeys([Path.cwd(), config.root, Path(skeleton).parent]))
        paths += [copy for name in names for copy in _copies(folders, name, paths)]
        if not paths and Path(skeleton).is_file():
            paths = [Path(skeleton)]
        found += [Candidate(language, path) for path in paths]
    return found


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _untouched(path: Path, shipped: Collection[str]) -> bool:
    try:
        return bool(shipped) and hashlib.sha256(Path(path).read_bytes()).hexdigest() in shipped
    except OSError:
        return False


def choose(found: Sequence[Candidate], *, program: bool = False, root: Path = Path("."),
           shipped: Collection[str] = (), edited_first: bool = False) -> Optional[Choice]:
    """The file the student worked on among ``found`` (in config.yaml's order): the one with the fewest marks,
    the first on a tie; ``None`` when there is none.  A file identical to a skeleton as handed out (its SHA-256
    in ``shipped``) comes after every file the student changed, whatever its marks.  ``edited_first``: among
    files not completed with as many marks, the one modified last (on the student's own machine, the one they
    are writing: a C file with its marking statements left in beside the Python skeleton).  The note names the
    other completed files, if any."""
    if not found:
        return None
    notebooks = {Path(item.path).with_suffix(""): Path(item.path) for item in found
                 if Path(item.path).suffix.lower() == ".ipynb"}
    counted = [(_untouched(item.path, shipped), marks(item.path, program=program),
                _exported(item.path, notebooks), -_modified(item.path) if edited_first else 0.0, index, item)
               for index, item in enumerate(found)]
    counted = [(untouched, count, exported, edited if count else 0.0, index, item)
               for untouched, count, exported, edited, index, item in counted]
    best = min(counted, key=lambda entry: entry[:5])[5]
    completed = [item for untouched, count, _, _, _, item in counted if count == 0 and not untouched]
    note = ""
    if len(completed) > 1 and best in completed:
        others = ", ".join(f"{_shown(item.path, root)} ({item.language})" for item in completed if item != best)
        note = (f"graded {_shown(best.path, root)} ({best.language}); also completed: {others}, not graded "
                "(the first language of the course's list wins, a module before its notebook unless it is the "
                "notebook exported as a script: keep only the file to grade, or pass --path to grader check)")
    return Choice(best.path, best.language, note)


#: The cell markers of a notebook exported as a script (``jupyter nbconvert --to script``, "Download as .py").
_EXPORT_MARK = re.compile(r"^# In\[[ \d]*\]:", re.MULTILINE)


def _exported(path: Path, notebooks: Mapping[Path, Path]) -> bool:
    """Whether ``path`` is a Python script exported from the notebook beside it (``notebooks``: each notebook
    found, by its path without its suffix) and not edited since: its cell markers, and the same functions as the notebook's.  It
    holds the notebook's workflow at its top level, which a notebook's grading leaves out and a module's runs;
    on a tie, the notebook is graded.  An export whose functions were edited after is the student's latest work."""
    path = Path(path)
    if path.suffix.lower() != ".py" or path.with_suffix("") not in notebooks:
        return False
    text = _text(path)
    if text is None or not _EXPORT_MARK.search(text):
        return False
    notebook = _text(notebooks[path.with_suffix("")]) or ""
    return _functions(_python_tree(text)) == _functions(_notebook_tree(notebook))


def _functions(tree: Optional[ast.Module]) -> dict[str, str]:
    """Each top-level function of ``tree`` as last defined, dumped without positions (what it computes)."""
    if tree is None:
        return {}
    return {node.name: ast.dump(node, include_attributes=False) for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _modified(path: Path) -> float:
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return 0.0


def exercise_here(config: CourseConfig, folder: Path) -> Optional[str]:
    """The one exercise of ``config`` whose files ``folder`` holds (a file of its, in any language it is handed
    out in), or whose skeletons it holds; ``None`` when it holds none, or several exercises' files."""
    found = [key for key, exercise in config.exercises.items()
             if any((folder / name).is_file() for _, names, _ in file_names(exercise) for name in names)]
    return found[0] if len(found) == 1 else None


def default_submission(config: CourseConfig, exercise: ExerciseConfig) -> Optional[Choice]:
    """The file ``grader check EXERCISE`` grades when no ``--path`` is given (see :func:`choose`)."""
    return choose(candidates(config, exercise), program=exercise.kind == "program", root=config.root,
                  shipped=exercise.shipped, edited_first=True)


@dataclass(frozen=True)
class ExerciseMatch:
    """The exercise a lone file is for (``None``: it cannot be told), and how it was told, for a note."""

    exercise: Optional[str]
    how: str = ""


def _skeleton_of(exercise: ExerciseConfig, language: str) -> Optional[Path]:
    for name, _, skeleton in module_names(exercise):
        if name == language:
            return Path(skeleton)
    return None


def graded_functions(exercise: ExerciseConfig) -> frozenset[str]:
    """The functions the exercise's checks call: as the loaded checks say (``exercise.functions``, set when
    grading), else the public functions its Python skeleton defines (a skeleton that may be absent, as in a
    Gradescope bundle, or a student's own notebook, as in a starter repository of notebooks)."""
    if exercise.functions:
        return frozenset(exercise.functions)
    skeleton = _skeleton_of(exercise, "python")
    reader = READERS.get(skeleton.suffix.lower()) if skeleton is not None else None
    text = _text(skeleton) if skeleton is not None and reader is not None else None
    if reader is None or text is None:
        return frozenset()
    return frozenset(name for name in reader.defines(text) if not name.startswith("_"))


#: The share of a functions exercise's public functions a whole program must not reach to be graded as a program.
_MOSTLY = 0.75


def defines_most(wanted: Collection[str], defined: Collection[str]) -> bool:
    """Whether ``defined`` (a file's functions and bound names, case-folded) holds most of the public functions
    of ``wanted`` (three quarters: see :data:`_MOSTLY`)."""
    public = {name for name in wanted if not name.startswith("_")}
    return bool(public) and len(public & set(defined)) >= _MOSTLY * len(public)


def written_elsewhere(graded: Path, others: Sequence[Path], exercise: ExerciseConfig) -> list[Path]:
    """Of ``others`` (files of the same submission), those in the language of the file ``graded`` that define
    most of the exercise's functions and leave fewer of them marked as to write: the student's own work under
    another name (``my_lab1.py``) beside an exercise's file still as handed out.  Empty when ``graded`` marks
    nothing as to write (a completed file is the student's).  For a whole program (``kind: program``): of
    ``others``, the whole programs in any language with fewer TODO comments (``main.c`` beside the skeleton
    ``NAME.py``)."""
    if exercise.kind == "program":
        return _programs_elsewhere(graded, others)
    reader = READERS.get(graded.suffix.lower())
    left = marks(graded) if reader is not None else 0
    wanted = graded_functions(exercise)
    if reader is None or not left or not wanted:
        return []
    found = []
    for other in others:
        other_reader = READERS.get(other.suffix.lower())
        text = _text(other) if other_reader is not None and other_reader.language == reader.language else None
        if other != graded and other_reader is not None and text is not None and other_reader.marks(text) < left \
                and defines_most(wanted, other_reader.defines(text) | other_reader.binds(text)):
            found.append(other)
    return found


def _programs_elsewhere(graded: Path, others: Sequence[Path]) -> list[Path]:
    left = marks(graded, program=True)
    found = []
    for other in others if left else []:
        reader = READERS.get(other.suffix.lower())
        text = _text(other) if reader is not None and other != graded else None
        if reader is not None and text is not None and _program_marks(text) < left \
                and _whole_program(other, reader, text):
            found.append(other)
    return found


def exercise_of(path: Path, exercises: Mapping[str, ExerciseConfig]) -> ExerciseMatch:
    """Which of ``exercises`` the lone source file ``path`` is for: by its name (an exercise's file name in any
    language), else by the functions it defines (see the module docstring)."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    text = _text(path) if reader is not None else None
    if reader is None or text is None:
        return ExerciseMatch(None)
    named = [exercise_id for exercise_id, exercise in exercises.items()
             if any(path.name.casefold() == name.casefold() for _, names, _ in file_names(exercise) for name in names)]
    if len(named) == 1:
        return ExerciseMatch(named[0], "by its name")
    defined = reader.defines(text) | reader.binds(text)  # a contract's function may be assigned
    coverage, complete = {}, set()
    for exercise_id, exercise in exercises.items():
        skeleton = _skeleton_of(exercise, reader.language)
        # The skeleton is read as what it is (a notebook's exercise hands out a .py skeleton).
        skeleton_reader = READERS.get(skeleton.suffix.lower(), reader) if skeleton is not None else reader
        wanted = skeleton_reader.defines(_text(skeleton) or "") if skeleton is not None else frozenset()
        if exercise.kind != "program" and wanted:
            coverage[exercise_id] = len(wanted & defined) / len(wanted)
            if defines_most(wanted, defined):
                complete.add(exercise_id)
    ranked = sorted(coverage.items(), key=lambda item: -item[1])
    programs = [exercise_id for exercise_id, exercise in exercises.items() if exercise.kind == "program"]
    # A whole program often defines some of the functions exercise's functions (distance, assign, update) next to
    # its main: it is that exercise only when it defines most of them (a completed module with a demo main, or
    # functions made from an object, ``model = Model()``, which is top-level work too).
    program = len(programs) == 1 and _whole_program(path, reader, text)
    if program and not complete:
        return ExerciseMatch(programs[0], "being a whole program")
    if ranked and ranked[0][1] >= 0.5 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ExerciseMatch(ranked[0][0], "by the functions it defines")
    if program:
        return ExerciseMatch(programs[0], "being a whole program")
    return ExerciseMatch(None)


def written_for(path: Path, exercise: ExerciseConfig) -> bool:
    """Whether the source file ``path`` may be the student's work on ``exercise``: it defines most of the functions
    the exercise's checks call, or, for a whole program (``kind: program``), it is one.  ``True`` when that cannot
    be told (a file, or the functions wanted, that cannot be read): a file is never refused on a guess."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    text = _text(path) if reader is not None else None
    if reader is None or text is None:
        return True
    if exercise.kind == "program":
        return _whole_program(path, reader, text)
    wanted = graded_functions(exercise)
    return not wanted or defines_most(wanted, reader.defines(text) | reader.binds(text))


def defines_none(path: Path, exercise: ExerciseConfig) -> bool:
    """Whether the source file ``path`` defines none of the functions the exercise's checks call (a plotting
    script, the course's public checks named like the module).  ``False`` when that cannot be told, and for a
    whole program: a file is never set aside on a guess (a definition the reader does not recognise, such as a C
    parameter ``double (*rows)[d]``, leaves the others)."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    text = _text(path) if reader is not None else None
    if reader is None or text is None or exercise.kind == "program":
        return False
    wanted = {name.casefold() for name in graded_functions(exercise) if not name.startswith("_")}
    return bool(wanted) and not wanted & (reader.defines(text) | reader.binds(text))


def _whole_program(path: Path, reader: Reader, text: str) -> bool:
    """Whether the file ``path`` (its ``text``) is a whole program: a ``main``, a ``program`` unit, a script."""
    return reader.is_program(text) or _runs_as_script(path, text)


def _runs_as_script(path: Path, text: str) -> bool:
    """A Python file whose ``if __name__ == "__main__":`` block calls something: run as a script, it works."""
    if path.suffix.lower() != ".py":
        return False
    tree = _python_tree(text)
    return tree is not None and any(
        _is_main_guard(node) and any(isinstance(child, ast.Call) for child in ast.walk(node)) for node in tree.body)
