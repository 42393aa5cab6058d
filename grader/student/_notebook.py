"""Jupyter notebooks as Python submissions: the code cells, in order, become the module.

Runs in the grader (trusted): the notebook is read and validated with ``nbformat``, and each code cell is
turned into the source the worker runs (:func:`grader.student._inprocess.load_cells` executes them, each
compiled under its own name, so that tracebacks and messages say ``cell 4, line 3``).  The rules, the same for
a notebook handed in and for ``grader.check()`` run inside one:

- **Cells** are named by their position in the notebook, counting every cell from the top, markdown
  included (``cell 4``); the cells of a kernel's history (:func:`history_cells`) by their prompt (``In [4]``).
- **IPython syntax is dropped, never run**: line magics and shell escapes (``%matplotlib inline``,
  ``!pip install ...``, ``files = !ls``, ``np.mean?``) become ``pass`` (so line numbers stay); a cell magic
  drops its whole cell, except ``%%time``, ``%%prun`` and ``%%capture``, whose body runs in the kernel's
  namespace (``%%timeit`` runs its body inside a function of its own: nothing it defines is kept).  The
  report notes what was dropped.  A cell pasted with its indentation or its prompts is read as IPython
  cleans it (:func:`_cleaned`).
- **Only definitions run at import**: top-level imports, ``def`` and ``class`` statements, assignments
  computed without a call (constants such as ``EPS = 1e-3``, lambdas), ``try`` statements made of these
  (``try: import x`` / ``except ImportError: ...``), and the assignments that compute with a call a name the
  definitions use (``EPS = np.finfo(float).eps`` read in a function, and what it needs in turn) run like a
  ``.py`` module's top level, except those that call the notebook's own functions or classes (``w, errors =
  train(...)``: running them is the workflow) when grading does not reach their value, that is when neither a
  definition reads it as it is made (a default ``eps=CFG.eps``, a decorator) nor a function the checks call
  reads it, directly or through what it reads (``distance = SquaredEuclidean()`` read in ``assign``); an
  assignment or an ``if`` statement that makes one of the functions the checks call (``predict =
  Predictor()``, ``if HAVE_SCIPY: def fit ...``) runs too.  A compound statement (``if``, ``with``, ``try``,
  ``match``; not the loops ``for`` and ``while``, a notebook's training runs) follows the rule of an assignment
  for what it binds in any branch with ``def``, ``class``, ``import`` or ``=`` (``if True: def sigmoid``,
  ``with np.errstate(...): def sigmoid``, ``try: step = np.vectorize(...) except ...: def step``, ``if SINGLE:
  DTYPE = ...``): it runs, whole, where it stands, so that a later definition replaces an earlier one as in the
  kernel; one holding an endless loop (a demo in a ``try``, stopped by interrupting the kernel) only for what
  grading reaches.  Such an assignment,
  compound statement or constant that raises when the module loads (it needs a data file the grader does not
  give, or a name only the workflow defines) is left out: only a function that reads its name fails, when
  called, at its own line (a ``def`` whose default reads it, at the ``def``'s line);
  every other top-level statement (reading the data, running, printing, plotting, ``if __name__ ==
  "__main__":``) is the notebook's workflow and does not run when grading, as a ``.py`` module's code under
  ``if __name__ == "__main__":`` does not.  The report notes which cells held such code.  An import of a module
  that is not available is left out, noted, unless grading reaches what it binds.  Imports of ``grader``
  and calls of ``grader.check`` are dropped silently: they check the notebook, they are not part of it.  The
  names a Jupyter kernel predefines (``display``) are defined for the cells, as in the kernel
  (:func:`grader.student._inprocess.kernel_names`).
- A cell that is not valid Python once magics are dropped (one nested too deeply for Python's parser too, which
  raises RecursionError or MemoryError where it means a SyntaxError) is an error naming the cell and the line, unless
  every function and class it defines is defined again in a later cell (a first attempt left above its fix,
  as the kernel ran it: skipped, with a note).  In a kernel's history, where it never ran either, it is
  skipped with a note.
"""

from __future__ import annotations

import ast
import re
import symtable
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, NoReturn, Optional, Sequence

from grader.student._base import TOO_DEEP, StudentLoadError, parse_source, source_lines
from grader.student._inprocess import COMPOUND_STATEMENTS

__all__ = ["Notebook", "read_notebook", "module_cells", "cell_tree", "left_out_note", "HISTORY_KEY"]

#: Notebook metadata key of a notebook written from a kernel's history (cells named ``In [N]`` by their
#: ``execution_count``; cells that do not parse are skipped, as they never ran).
HISTORY_KEY = "grader_history"
#: Cell magics whose body is Python, run once in the kernel's namespace (``%%timeit``'s runs in a function: what
#: it defines is not kept).
_PYTHON_CELL_MAGICS = {"time", "prun", "capture"}
#: A line that is IPython syntax: a magic, a shell escape, either assigned, or a help request.
_IPYTHON_LINE = re.compile(r"^\s*(?:[%!?]|[A-Za-z_][\w.,\s]*=\s*[%!]|[\w.]+\?\??\s*$)")
_SHOWN = 5
_INDENT = re.compile(r"^[ \t]+")
#: IPython's prompt strippers, in its order: (the prompt that starts a session, any prompt).  ``...`` alone is
#: Python (an Ellipsis): it is a prompt only after a first one.
_IPYTHON_PROMPT = re.compile(r"^(((\[nav\]|\[ins\])? )?In \[\d+\]: |\s*\.{3,}: ?)")
_PROMPTS = ((re.compile(r"^>>>( |$)"), re.compile(r"^(>>>|\.\.\.)( |$)")), (_IPYTHON_PROMPT, _IPYTHON_PROMPT))
#: The functions and classes a cell that does not parse defines (its top-level ``def`` and ``class`` lines).
_DEFINED = re.compile(r"^(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)", re.MULTILINE)
#: The names a line of a cell that is not valid Python sets at its top level (``ETA = 0.1``, ``a, b = 1, 2``).
_ASSIGNED = re.compile(r"^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*(?::[^=\n]*)?=(?!=)", re.MULTILINE)


@dataclass(frozen=True)
class Notebook:
    """The module a notebook makes: its cells as ``(name, source)`` to run in order, and notes for the report."""

    cells: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()


def _is_grader(node: ast.stmt) -> bool:
    """An import of ``grader`` or a statement that uses it (``grader.check("ID")``)."""
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[0] == "grader"
    if isinstance(node, ast.Import):
        return all(alias.name.split(".")[0] == "grader" for alias in node.names)
    return any(isinstance(child, ast.Name) and child.id in ("grader", "check") for child in ast.walk(node)) \
        and isinstance(node, ast.Expr)


def _calls(node: ast.AST) -> bool:
    """Whether evaluating ``node`` calls anything (a lambda's body runs later: not counted).  Walked without
    recursion: a cell's expression may be deeper than Python's recursion limit (``1+1+...+1``)."""
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, ast.Lambda):
            continue
        if isinstance(current, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom)):
            return True
        pending.extend(ast.iter_child_nodes(current))
    return False


def _is_definition(node: ast.stmt) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if _is_assignment(node):
        return not _calls(node)
    if isinstance(node, ast.Try):  # ``try: import x`` / ``except ImportError: x = None``
        parts = [*node.body, *node.orelse, *node.finalbody, *(s for h in node.handlers for s in h.body)]
        return all(isinstance(part, ast.Pass) or _is_definition(part) for part in parts)
    return False


def _strip_ipython(source: str) -> tuple[Optional[str], list[str]]:
    """``(python, dropped)``: the cell with its IPython lines turned into ``pass`` (None: a cell magic that is
    not Python), and what was dropped.  A cell that parses as it is has no IPython syntax.

    As in IPython, a cell magic is the cell's first line that is not blank, and a line is IPython syntax only
    where a statement starts: a line inside brackets, a string or after a backslash (``% (step, move)`` ending
    a ``print("..."`` call, ``!= b`` continuing a condition) is Python."""
    try:
        parse_source(source)
        return source, []
    except (SyntaxError, ValueError):
        pass
    lines = _cleaned(source_lines(source))
    first = next((index for index, line in enumerate(lines) if line.strip()), 0)
    dropped = []
    if lines and lines[first].lstrip().startswith("%%"):
        magic = lines[first].lstrip()[2:].split(maxsplit=1)
        if not magic or magic[0] not in _PYTHON_CELL_MAGICS:
            return None, [lines[first].strip()]
        lines, dropped = [*lines[:first], "pass", *lines[first + 1:]], [lines[first].strip()]
    elif lines != source_lines(source):
        try:
            python = "\n".join(lines) + "\n"
            parse_source(python)
            return python, []
        except (SyntaxError, ValueError):
            pass
    # Each line is read from the last line known to start a statement (nothing open before it), not from the
    # top: a cell of thousands of magics costs one pass, not one per magic.
    known = 0
    for index, line in enumerate(lines):
        if _IPYTHON_LINE.search(line) and not line.lstrip().startswith("#") and _starts_statement(lines[known:index]):
            known = index
            indent = line[: len(line) - len(line.lstrip())]
            lines[index] = f"{indent}pass"
            dropped.append(line.strip())
    return "\n".join(lines) + "\n", dropped


def _cleaned(lines: list[str]) -> list[str]:
    """The lines of a cell as IPython cleans them before anything else, each kept at its line: the indentation
    of its first line that is not blank removed from every line that has it (a cell pasted from inside a
    function), then the prompts of a session pasted with them (``>>> `` and ``... ``, or ``In [3]: `` and
    ``   ...: ``), when its first line, or the one after it, starts with one."""
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return lines
    indent = _INDENT.match(lines[first])
    if indent:
        lines = lines[:first] + [line[indent.end():] if line.startswith(indent.group()) else line
                                 for line in lines[first:]]
    for initial, prompt in _PROMPTS:
        if initial.match(lines[first]) or (first + 1 < len(lines) and prompt.match(lines[first + 1])):
            lines = lines[:first] + [prompt.sub("", line, count=1) for line in lines[first:]]
    return lines


def cell_tree(source: str) -> Optional[ast.Module]:
    """The code cell ``source`` parsed as grading reads it (its IPython lines as ``pass``); ``None`` for a cell
    magic that is not Python or a cell that does not parse."""
    python, _ = _strip_ipython(source)
    if python is None:
        return None
    try:
        return parse_source(python)
    except (SyntaxError, ValueError):
        return None


def _starts_statement(before: list[str]) -> bool:
    """Whether the line after ``before`` starts a statement: no bracket, string or backslash continuation is
    open at the end of ``before``."""
    import io
    import tokenize

    try:
        for _ in tokenize.generate_tokens(io.StringIO("\n".join(before) + "\n").readline):
            pass
    except tokenize.TokenError:
        return False  # "EOF in multi-line statement" or string: the line continues what is open
    except (SyntaxError, ValueError):
        pass  # an indentation the parser will name: not a continuation
    return True


def _loaded(node: ast.AST) -> set[str]:
    return {child.id for child in ast.walk(node) if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load)}


def _assigned(node: ast.stmt) -> set[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    return {child.id for target in targets if target is not None for child in ast.walk(target)
            if isinstance(child, ast.Name)}


def _globals_read(node: ast.stmt) -> set[str]:
    """The global names a definition reads when it runs: its functions' free names (not their parameters or
    locals), and the names its decorators, defaults and class body read at once."""
    try:
        table = symtable.symtable(ast.unparse(node), "<definition>", "exec")
    except (SyntaxError, ValueError, RecursionError):  # RecursionError: too deep for ast.unparse
        return _loaded(node)
    names: set[str] = set()
    pending = [table]
    while pending:
        scope = pending.pop()
        for symbol in scope.get_symbols():
            if symbol.is_referenced() and (scope.get_type() == "module" or symbol.is_global()):
                names.add(symbol.get_name())
        pending += scope.get_children()
    return names


def _bound(node: ast.stmt) -> set[str]:
    """The names a statement binds, in any of its branches (``if HAVE_SCIPY: def assign ... else: assign = ...``)."""
    names = {child.id for child in ast.walk(node) if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store)}
    return names | _defined(node)


def _defined(node: ast.stmt) -> set[str]:
    """The names a statement binds with ``def``, ``class`` or ``import``, in any of its branches."""
    names = {child.name for child in ast.walk(node)
             if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    return names | {alias.asname or alias.name.split(".")[0] for child in ast.walk(node)
                    if isinstance(child, (ast.Import, ast.ImportFrom)) for alias in child.names if alias.name != "*"}


def _read_when_made(node: ast.AST) -> set[str]:
    """The global names a ``def`` or ``class`` statement reads as it runs: its decorators, defaults and
    annotations, a class's bases and body; not what its functions read when they are called (a lambda's body
    included)."""
    names: set[str] = set()
    pending: list[Optional[ast.AST]] = [node]
    while pending:
        item = pending.pop()
        if item is None:
            continue
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            arguments = item.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                     *(extra for extra in (arguments.vararg, arguments.kwarg) if extra is not None)]
            pending += [*getattr(item, "decorator_list", []), getattr(item, "returns", None), *arguments.defaults,
                        *arguments.kw_defaults, *(argument.annotation for argument in every)]
            continue
        if isinstance(item, ast.Name) and isinstance(item.ctx, ast.Load):
            names.add(item.id)
        pending += ast.iter_child_nodes(item)
    return names


def _needed(trees: Iterable[ast.Module],
            graded: frozenset[str] = frozenset()) -> tuple[set[int], set[str], set[str]]:
    """The ids of the top-level assignments that compute with a call a global name the functions and classes
    read (``EPS = np.finfo(float).eps`` read in a function), and those these, or the constants the functions
    read, need in turn: they run too, as they would in a ``.py`` module, so that correct functions do not fail
    on a name that is not defined.  An assignment that calls the notebook's own functions or classes runs only
    for what grading reaches: a value a definition reads as it is made (``CFG = Config()`` read by a default
    ``eps=CFG.eps`` or a decorator), or one the ``graded`` functions (those the checks call) read, directly or
    through the functions, classes and values they read (``distance = SquaredEuclidean()`` read in ``assign``);
    otherwise (``w, errors = train(...)`` read only by a plotting helper, a result nothing reads) running it is
    the workflow.  The graded functions are needed however they are made: an assignment (``predict =
    Predictor()``, ``fit = functools.partial(...)``) or an ``if`` statement (``if HAVE_SCIPY: def fit``)
    binding one that no ``def`` or ``class`` of the notebook defines runs, whatever it calls.  A compound
    statement (:data:`COMPOUND_STATEMENTS`) is decided as an assignment is, on every name it binds (a helper
    ``def`` in a ``with``, a constant set in both branches of an ``if``, a graded function redefined in an
    ``if``).  Also returns every global name what runs reads, and those grading reaches: the graded functions,
    what the definitions read as they are made, and what the definitions and values these read read in turn."""
    nodes = [node for tree in trees for node in tree.body if not _is_grader(node)]
    own = {node.name for node in nodes if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    definitions = [node for node in nodes if _is_definition(node) and not _is_assignment(node)]
    names = set().union(*(_globals_read(node) for node in definitions)) | graded
    # What grading reaches: the graded functions and what definitions read as they are made, then whatever what
    # runs and binds one of these reads.  A name the notebook defines with ``def`` or ``class`` is not reached
    # through an assignment: a workflow line reusing it (``weights =`` written ``fit = fit(x, y)``) stays workflow.
    reached = set(graded).union(*(_read_when_made(node) for node in definitions))
    # What the graded functions are made of, whatever it calls: ``model = Model()`` for ``predict = model.predict``.
    making = set(graded) - own
    kept: set[int] = set()
    runs = {id(node) for node in nodes if _is_definition(node)}
    followed: set[int] = set()  # runs, and its names are read
    expanded: set[int] = set()  # runs, binds what grading reaches, and what it reads is reached
    changed = True
    while changed:
        changed = False
        for node in nodes:
            if id(node) not in runs and _runs(node, own, names, making, reached - own, graded):
                kept.add(id(node))
                runs.add(id(node))
            if id(node) in runs and id(node) not in followed and (id(node) in kept or _is_assignment(node)
                                                                  and _assigned(node) & names):
                followed.add(id(node))
                # A block's functions read their parameters and locals, not globals: only its globals count.
                read = _globals_read(node) if isinstance(node, COMPOUND_STATEMENTS) else _loaded(node)
                names |= read
                if isinstance(node, COMPOUND_STATEMENTS):  # its defaults and decorators, as a top-level def's
                    reached |= _read_when_made(node)
                if _bound(node) & making:
                    making |= read
                changed = True
            if id(node) in runs and id(node) not in expanded and _bound(node) & reached:
                expanded.add(id(node))
                reached |= _globals_read(node)
                changed = True
    return kept, names, reached


def _runs(node: ast.stmt, own: set[str], names: set[str], making: set[str], reached: set[str],
         graded: frozenset[str] = frozenset()) -> bool:
    """Whether the statement ``node``, not a definition, runs (see :func:`_needed`)."""
    if isinstance(node, COMPOUND_STATEMENTS):
        return _compound_runs(node, own, names, making, reached, graded)
    if not _is_assignment(node) or not _assigned(node) & names:
        return False
    return not _calls_own(node, own) or bool(_assigned(node) & (making | reached))


def _compound_runs(node: ast.stmt, own: set[str], names: set[str], making: set[str], reached: set[str],
                   graded: frozenset[str] = frozenset()) -> bool:
    """Whether a compound statement runs: as an assignment does, when it binds (with ``def``, ``class``,
    ``import`` or ``=``, in any branch) a name the definitions read or a graded function, unless running it calls
    the notebook's own functions or classes for a value grading does not reach (``if RETRAIN: w = train(...)``:
    the workflow); one that binds a graded function no top-level ``def`` defines, or defines one with ``def``
    again (a fix below a first attempt, as the kernel keeps it), runs whatever it calls; one holding an endless
    loop (``try: while True: ...`` until the kernel is interrupted, a demo) only for what grading reaches."""
    bound = _bound(node)
    if bound & making or _defined(node) & graded:
        return True
    if _endless(node):
        return bool(bound & reached)
    return bool(bound & names) and (not _runs_a_call_of(node, own) or bool(bound & reached))


def _endless(node: ast.AST) -> bool:
    """Whether running ``node`` runs a ``while`` loop whose condition is a constant that is true (``while True``,
    ``while 1``), which ends only by a ``break`` or an interrupt (those in the bodies of the functions and classes
    it defines run only when they are called, not counted)."""
    pending = list(ast.iter_child_nodes(node))
    while pending:
        current = pending.pop()
        if isinstance(current, ast.While) and isinstance(current.test, ast.Constant) and current.test.value:
            return True
        if not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            pending.extend(ast.iter_child_nodes(current))
    return False


def _runs_a_call_of(node: ast.AST, own: set[str]) -> bool:
    """Whether running ``node`` calls one of the notebook's own functions or classes (by name): the bodies of
    the functions and lambdas it defines run only when they are called, not counted."""
    if isinstance(node, ast.Lambda):
        return False
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        made = [*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
        return any(_runs_a_call_of(part, own) for part in made)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in own:
        return True
    return any(_runs_a_call_of(child, own) for child in ast.iter_child_nodes(node))


def _unavailable(trees: Iterable[ast.Module], read: set[str]) -> dict[int, str]:
    """The top-level imports of modules this Python cannot find that bind nothing ``read`` names (``from
    google.colab import drive``, for the workflow of a notebook written in Colab): their ids, with the module.
    Left out, as the workflow is; an import something reads stays, and fails as in a ``.py`` file."""
    import importlib.util

    found: dict[int, str] = {}
    for tree in trees:
        for node in tree.body:
            if isinstance(node, ast.Import):
                modules, bound = [alias.name for alias in node.names], [
                    alias.asname or alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level and \
                    all(alias.name != "*" for alias in node.names):
                modules, bound = [node.module], [alias.asname or alias.name for alias in node.names]
            else:
                continue
            if set(bound) & read:
                continue
            try:
                missing = [module for module in modules if importlib.util.find_spec(module.split(".")[0]) is None]
            except (ImportError, ValueError):
                continue
            if missing and len(missing) == len(modules):
                found[id(node)] = ", ".join(modules)
    return found


def _is_assignment(node: ast.stmt) -> bool:
    return isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign))


def _calls_own(node: ast.AST, own: set[str]) -> bool:
    """Whether ``node`` calls one of the notebook's own functions or classes (by name)."""
    return any(isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id in own
               for child in ast.walk(node))


def _kept_source(source: str, tree: ast.Module, needed: set[int],
                 unavailable: dict[int, str]) -> tuple[str, list[ast.stmt]]:
    """``source`` with only its definitions (see the module docstring) and the assignments they ``needed``, at
    their own line numbers; and the workflow statements left out (grader's own statements, and the
    ``unavailable`` imports, noted apart, are left out silently)."""
    lines = source_lines(source)
    out = [""] * len(lines)
    skipped = []
    body = tree.body
    for position, node in enumerate(body):
        if _is_grader(node) or isinstance(node, ast.Pass) or id(node) in unavailable:
            continue  # a dropped magic's ``pass``: nothing to note
        if not _is_definition(node) and id(node) not in needed:
            skipped.append(node)
            continue
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        last = node.end_lineno or node.lineno
        # Statements follow one another: only the one before and the one after can share a line with it.
        alone = not any(other.lineno <= last and (other.end_lineno or other.lineno) >= first
                        for other in body[max(position - 1, 0):position] + body[position + 1:position + 2])
        if alone:
            out[first - 1:last] = lines[first - 1:last]
            continue
        # Statements sharing a line (``a = 1; b = f()``): the kept ones only, each where it was.
        segment = _segment(lines, node)
        for offset, text in enumerate(segment):
            row = node.lineno - 1 + offset
            out[row] = f"{out[row]}; {text}" if out[row].strip() else text
    return "\n".join(out) + "\n", skipped


def _segment(lines: list[str], node: ast.stmt) -> list[str]:
    """The lines of ``node``'s own source, from its first column to its last (``ast.get_source_segment``, from
    the cell's lines split once: it splits the whole source at every call).  Columns count UTF-8 bytes."""
    start, end = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    if node.end_col_offset is None or end >= len(lines):
        return lines[start:end + 1] or [""]
    encoded = [line.encode("utf-8") for line in lines[start:end + 1]]
    encoded[-1] = encoded[-1][:node.end_col_offset]
    encoded[0] = encoded[0][node.col_offset:]
    return [part.decode("utf-8", errors="replace") for part in encoded]


def _assigned_names(python: str) -> set[str]:
    return {name.strip() for names in _ASSIGNED.findall(python) for name in names.split(",")}


def _invalid_cell(shown: str, name: str, failure: Exception) -> NoReturn:
    """Raise the load error of the notebook ``shown`` whose cell ``name`` is not valid Python (``failure``)."""
    line, said = getattr(failure, "lineno", None), getattr(failure, "msg", failure)
    where = f"{name}, line {line}" if line else name
    text = (getattr(failure, "text", None) or "").rstrip()
    # Syntax of a newer Python (3.12's f-strings) reads as an error: the version it is graded with is said.
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    raise StudentLoadError(f"{shown} is not valid Python ({where}: {said}): fix that cell so that it runs with "
                           f"Python {version}, the version it is graded with", details=text) from None


def _where(name: str, lines: Iterable[int]) -> str:
    numbers = sorted(set(lines))
    return f"{name}, line{'s' if len(numbers) > 1 else ''} {', '.join(str(n) for n in numbers)}"


def module_cells(cells: Sequence[tuple[str, str]], *, shown: str, history: bool = False,
                 graded: Iterable[str] = ()) -> Notebook:
    """The module the code ``cells`` (``(name, source)``, in order) make, under the rules of the module
    docstring; raises :class:`StudentLoadError` for a cell that is not Python (``history``: skipped, noted).
    ``graded``: the functions the checks call (see :func:`_needed`)."""
    kept: list[tuple[str, str]] = []
    dropped: list[str] = []
    workflow: list[str] = []
    broken: list[str] = []
    # Cells that are not valid Python, left out: (as noted, name, source, error); superseded when what they
    # define is defined again further down, unread when they define nothing and nothing reads what they set.
    superseded: list[tuple[str, str, str, Exception]] = []
    unread: list[tuple[str, str, str, Exception]] = []
    parsed: list[tuple[str, str, ast.Module]] = []
    invalid: list[tuple[int, str, str, SyntaxError | ValueError]] = []  # (position, name, source, error)
    for name, source in cells:
        python, ipython = _strip_ipython(source)
        dropped += [f"{name}: {text}" for text in ipython]
        if python is None:
            continue
        try:
            parsed.append((name, python, parse_source(python, filename=name)))
        except (SyntaxError, ValueError) as error:
            if history:
                broken.append(name)
                continue
            invalid.append((len(parsed), name, python, error))
    for position, name, python, failure in invalid:
        later = {node.name for _, _, tree in parsed[position:] for node in tree.body
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
        line, said = getattr(failure, "lineno", None), getattr(failure, "msg", failure)
        if not set(_DEFINED.findall(python)) <= later:
            _invalid_cell(shown, name, failure)
        described = f"{name} (line {line}: {said})" if line else f"{name} ({said})" if said == TOO_DEEP else name
        (superseded if _DEFINED.search(python) else unread).append((described, name, python, failure))
    checked = frozenset(graded)
    needed, read, reached = _needed((tree for _, _, tree in parsed), checked)
    bound = set().union(set(), *(_bound(node) for _, _, tree in parsed for node in tree.body))
    for _, name, python, refused in unread:
        # A value it sets that what runs reads, and no valid cell sets: in the kernel it was never set either.
        if _assigned_names(python) & read - bound:
            _invalid_cell(shown, name, refused)
    # An import of a module that is not available is left out unless grading reaches what it binds (a helper
    # plotting with seaborn, which no graded function calls, is the workflow's); with the graded functions
    # unknown, unless anything that runs reads it.
    unavailable = _unavailable((tree for _, _, tree in parsed), reached if checked else read)
    absent = [f"{name}, line {node.lineno}: {unavailable[id(node)]}" for name, _, tree in parsed for node in tree.body
              if id(node) in unavailable]
    for name, python, tree in parsed:
        code, skipped = _kept_source(python, tree, needed, unavailable)
        if skipped:
            workflow.append(_where(name, (node.lineno for node in skipped)))
        if code.strip():
            kept.append((name, code))
    notes = []
    if dropped:
        listed = "; ".join(dropped[:_SHOWN]) + (f" and {len(dropped) - _SHOWN} more" if len(dropped) > _SHOWN else "")
        notes.append(f"{shown}: IPython magics and shell commands are not run when grading ({listed})")
    if workflow:
        listed = "; ".join(workflow[:_SHOWN]) + (f" and {len(workflow) - _SHOWN} more"
                                                 if len(workflow) > _SHOWN else "")
        notes.append(f"{shown}: only imports, functions, classes and constants run when grading; the other "
                     f"top-level code (reading data, running, plotting) does not ({listed})")
    if absent:
        notes.append(f"{shown}: imports of modules that are not available where it is graded, which nothing graded "
                     f"uses, are left out ({'; '.join(absent[:_SHOWN])})")
    notes += _redefined(shown, parsed, checked, needed)
    if broken:
        notes.append(f"{shown}: {', '.join(broken)} not graded: not valid Python (it did not run in your kernel "
                     "either)")
    if superseded:
        notes.append(f"{shown}: {'; '.join(entry[0] for entry in superseded)} not graded: not valid Python, and "
                     "what it defines is defined again further down (delete it: run from the top, the notebook "
                     "stops there)")
    if unread:
        notes.append(f"{shown}: {'; '.join(entry[0] for entry in unread)} not graded: not valid Python, and "
                     "nothing graded reads what it sets (fix or delete it: run from the top, the notebook stops "
                     "there)")
    return Notebook(cells=tuple(kept), notes=tuple(notes))


def _redefined(shown: str, parsed: Sequence[tuple[str, str, ast.Module]], graded: frozenset[str],
               needed: set[int]) -> list[str]:
    """A note naming, for each function the checks call that the notebook defines more than once (a ``def`` at
    the top level, or a block or an assignment that runs and binds it), the definition graded: the last, as the
    kernel keeps the last one run."""
    places: dict[str, list[str]] = {}
    for name, _, tree in parsed:
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound = {node.name}
            elif _is_definition(node) or id(node) in needed:
                bound = _bound(node)
            else:
                continue
            for function in sorted(bound & graded):
                places.setdefault(function, []).append(f"{name}, line {node.lineno}")
    told = [f"{function} in {where[-1]} (also defined in {'; '.join(where[:-1])})"
            for function, where in places.items() if len(where) > 1]
    if not told:
        return []
    return [f"{shown}: functions defined more than once are graded as last defined, as your kernel keeps the last "
            f"one run from the top: {'; '.join(told[:_SHOWN])}" + (f" and {len(told) - _SHOWN} more"
                                                                  if len(told) > _SHOWN else "")]


def left_out_note(shown: str, left_out: Sequence[str]) -> tuple[str, ...]:
    """The report's note on the assignments a notebook's module left out when it loaded (see
    :func:`grader.student._inprocess.load_cells`); none when nothing was."""
    if not left_out:
        return ()
    listed = "; ".join(left_out[:_SHOWN]) + (f" and {len(left_out) - _SHOWN} more" if len(left_out) > _SHOWN else "")
    return (f"{shown}: left out when grading, as they failed when the notebook was loaded for grading, without its "
            f"data files and the rest of its top-level code ({listed}); a function "
            "that reads what they define fails when called",)


def _keep_the_code(notebook: dict) -> None:
    """Leave only what grading reads for validation: the cells and their sources.  Outputs (a display without
    metadata, a result without its count, outputs a converter left on a markdown cell), cell ids in a format
    older than theirs (4.5) and metadata (a kernelspec without its display name, a cell's tags written by another
    tool) are no code: Jupyter opens such files, and they are dropped (but the mark of a notebook written from a
    kernel's history, which names the cells)."""
    older = notebook.get("nbformat_minor", 5) < 5
    metadata = notebook.get("metadata")
    kept = {HISTORY_KEY: metadata[HISTORY_KEY]} if isinstance(metadata, dict) and HISTORY_KEY in metadata else {}
    notebook["metadata"] = type(metadata)(kept) if isinstance(metadata, dict) else kept
    for cell in notebook.get("cells", []):
        if not isinstance(cell, dict):
            continue
        if older:
            cell.pop("id", None)
        if "metadata" in cell:
            cell["metadata"] = type(cell["metadata"])() if isinstance(cell["metadata"], dict) else {}
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
        else:
            cell.pop("outputs", None)
            cell.pop("execution_count", None)


def read_notebook(path: Path, *, shown: Optional[str] = None, graded: Iterable[str] = ()) -> Notebook:
    """The module of the notebook file ``path``, read and validated with nbformat; raises
    :class:`StudentLoadError` for a file that is not a valid notebook or a cell that is not Python.
    ``graded``: the functions the checks call (see :func:`module_cells`)."""
    import nbformat

    path = Path(path)
    shown = shown or path.name
    try:
        # Bytes, not nbformat.read: a byte order mark (some Windows editors write one) is no part of the JSON.
        with warnings.catch_warnings():  # nbformat's warnings on what Jupyter opens (missing cell ids) are not ours
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(path.read_bytes().decode("utf-8-sig"), as_version=4)
    except (OSError, UnicodeDecodeError) as error:
        raise StudentLoadError(f"{shown} cannot be read ({error})") from None
    except Exception as error:  # nbformat raises JSON errors and its own reader errors
        raise StudentLoadError(f"{shown} is not a Jupyter notebook ({type(error).__name__}: "
                               f"{str(error)[:300]}): open it in Jupyter and save it again, or hand in "
                               "the notebook file itself (.ipynb)") from None
    _keep_the_code(notebook)
    try:
        with warnings.catch_warnings():  # a 4.5 notebook without cell ids: nbformat warns, Jupyter opens it
            warnings.simplefilter("ignore")
            nbformat.validate(notebook)
    except nbformat.ValidationError as error:
        raise StudentLoadError(f"{shown} is a damaged notebook (it does not follow the notebook format: "
                               f"{str(error.message)[:300]}): open it in Jupyter and save it again") from None
    history = bool(notebook.metadata.get(HISTORY_KEY))
    cells = []
    for position, cell in enumerate(notebook.cells, start=1):
        if cell.get("cell_type") != "code":
            continue
        name = f"In [{cell.get('execution_count')}]" if history else f"cell {position}"
        cells.append((name, str(cell.get("source", ""))))
    try:
        return module_cells(cells, shown=shown, history=history, graded=graded)
    except RecursionError:  # what Python parsed, nested deeper than a walk of its tree can go
        raise StudentLoadError(f"{shown} holds code nested too deeply to be graded: split its longest expressions "
                               "into several statements") from None
