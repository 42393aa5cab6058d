"""Student code imported into the grader's own process: for trusted code only."""

from __future__ import annotations

import ast
import builtins
import contextlib
import importlib.util
import io
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Iterator, NoReturn, Optional, Sequence

from grader import wire
from grader.student._base import FRESH_FIRST_LOAD_MOST, FRESH_LOAD_MOST, TOO_DEEP, Call, CallRecord, StudentLoadError, parse_source, source_lines
from grader.student._execute import CallersGenerators, execute, interpret
from grader.student._output import CappedOutput
from grader.student._python_startup import exported_notebook


def load_module(path: str | Path, *, name: str | None = None) -> Any:
    """Import the file ``path`` as a fresh module; raises :class:`StudentLoadError` with a readable message."""
    path = Path(path)
    if not path.is_file():
        raise StudentLoadError(f"{path.name} not found")
    module_name = name or f"_student_{path.stem}_{uuid.uuid4().hex[:8]}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise StudentLoadError(f"{path.name} cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    if not hasattr(builtins, "get_ipython"):  # a notebook exported as a script calls it (see _python_startup)
        module.__dict__["get_ipython"] = exported_notebook
    # Registered while it runs, as ``import`` does: dataclasses, typing.get_type_hints and pickle look the module
    # up by name (a @dataclass under ``from __future__ import annotations`` fails without it).
    sys.modules[module_name] = module
    try:
        _run_module(spec, module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def _run_module(spec: Any, module: Any) -> None:
    """``spec``'s file run as ``module``; its failures become :class:`StudentLoadError` (see :func:`load_module`)."""
    path = Path(spec.origin)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        if not error.lineno and _saved_as_utf16(path):
            raise StudentLoadError(f"{path.name} is not valid Python: it is saved as UTF-16 (\"Unicode\" in some "
                                   "Windows editors), which Python cannot read; save it as UTF-8 so that "
                                   f"'python {path.name}' starts") from None
        where = f", line {error.lineno}" if error.lineno else ""
        # Syntax of a newer Python (3.12's f-strings) reads as an error: the version it is graded with is said.
        raise StudentLoadError(
            f"{path.name} is not valid Python ({error.msg}{where}): fix it so that 'python {path.name}' starts "
            f"with Python {sys.version_info.major}.{sys.version_info.minor}, the version it is graded with",
            details=f"{error.text or ''}".rstrip(),
        ) from None
    except ModuleNotFoundError as error:
        if not error.name:
            raise StudentLoadError(f"importing {path.name} failed with ModuleNotFoundError: {error}") from None
        raise StudentLoadError(missing_module_message(error.name), details=f"ModuleNotFoundError: {error}") \
            from None
    except SystemExit as error:
        if error.code in (None, 0):
            return  # the script ended successfully (``sys.exit(0)`` after its definitions): what it defined stays
        _load_failed(error, path)
    except Exception as error:  # noqa: BLE001 - whatever the file raised, the student is told it
        _load_failed(error, path)


def _load_failed(error: BaseException, path: Path) -> NoReturn:
    """Raise the :class:`StudentLoadError` that tells why running ``path`` as a module raised ``error``."""
    where = _file_line(error, path)
    if not where and _too_deep(error, path):
        raise StudentLoadError(f"{path.name} is not valid Python ({TOO_DEEP}): fix it so that "
                               f"'python {path.name}' starts") from None
    unavailable = _grader_unavailable(error)
    if unavailable:
        raise StudentLoadError(f"importing {path.name} failed{where}: {unavailable}",
                               details=f"{type(error).__name__}: {error}") from None
    raise StudentLoadError(
        f"importing {path.name} failed with {type(error).__name__}: {error}".rstrip(": ") + where,
    ) from None


def _too_deep(error: BaseException, path: Path) -> bool:
    """Whether ``error`` is Python's compiler failing on ``path`` nested too deeply (``a+a+...`` of 300,000
    terms): it raises RecursionError or MemoryError, with no line of the file in the traceback, where it means a
    SyntaxError; the same error raised by the code as it runs has its line there."""
    if not isinstance(error, (RecursionError, MemoryError)):
        return False
    try:
        parse_source(path.read_bytes())
    except SyntaxError as failure:
        return failure.msg == TOO_DEEP
    except (OSError, ValueError):
        return False
    return False


def _file_line(error: BaseException, path: Path) -> str:
    """`` (solution.py, line 66)``: the line of the file ``path`` where ``error`` was raised, from its traceback's
    innermost frame in that file (a function it called at import included); "" if none is there."""
    import traceback

    origin = str(path)
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == origin]
    if not frames or not frames[-1].lineno:
        return ""
    inner, top = frames[-1], frames[0]
    if top.name == "<module>" and inner is not top and top.lineno:
        # A function called at the top level (a test the student left there): both lines, and where tests go.
        return (f" ({path.name}, line {inner.lineno} in {inner.name}, called at line {top.lineno}: the top level of "
                "your file runs when it is graded; tests and experiments go under 'if __name__ == \"__main__\":')")
    return f" ({path.name}, line {inner.lineno})"


#: The grader's package: public, but only part of it is meant for students' code (see :func:`_grader_unavailable`).
_PACKAGE = Path(__file__).resolve().parents[1]
#: Where a part of the grader that cannot be loaded for grading may be imported: the skeletons import the course's
#: helpers there, and the functions are graded without it.
_IMPORT_ADVICE = ("import it only inside 'if __name__ == \"__main__\":', as the skeleton does (your functions are "
                  "graded without it)")


def _grader_unavailable(error: BaseException) -> str:
    """What to say when ``error`` is the grader's own code failing to import into the isolated process a
    submission runs in: a name of ``grader`` itself, whose package is a stand-in there (see
    :mod:`grader.student._worker_main`), or a module of the grader that cannot be read there; "" otherwise."""
    if type(error) is ImportError and error.name == "grader":
        return (f"your code imports a part of the grader that is not available where your code is graded ({error}); "
                + _IMPORT_ADVICE)
    filename = getattr(error, "filename", None)
    if not isinstance(error, PermissionError) or not isinstance(filename, str):
        return ""
    try:
        parts = Path(filename).resolve().relative_to(_PACKAGE.parent).with_suffix("").parts
    except ValueError:
        return ""
    module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    return f"your code imports {module}, which cannot be read where your code is graded; {_IMPORT_ADVICE}"


#: Module attribute naming the cells a notebook's module was made of (their tracebacks belong to the student).
CELLS_ATTRIBUTE = "__notebook_cells__"


def _cell_line(error: BaseException, cells: set[str]) -> str:
    """`` (cell 4, line 3)``: where in the notebook ``error`` was raised, from its traceback; "" if not there."""
    import traceback

    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename in cells]
    if isinstance(error, SyntaxError) and error.filename in cells:
        return f" ({error.filename}, line {error.lineno})"
    return f" ({frames[-1].filename}, line {frames[-1].lineno})" if frames else ""


def load_cells(cells: Sequence[tuple[str, str]], *, name: str, shown: str) -> Any:
    """A fresh module named ``name`` made of a notebook's ``cells`` (``(cell name, source)``, prepared in the
    grader by :mod:`grader.student._notebook`), each compiled under its cell's name and run in order; raises
    :class:`StudentLoadError` naming the cell, as :func:`load_module` does the file (``shown``)."""
    import linecache
    import types

    module = types.ModuleType(name)
    module.__file__ = ""
    labels = {str(label) for label, _ in cells}
    setattr(module, CELLS_ATTRIBUTE, frozenset(labels))
    module.__dict__.update(kernel_names())  # before the cells: a name they define replaces it, as in a kernel
    sys.modules[name] = module
    left_out: list[str] = []
    flags = 0  # a ``from __future__ import ...`` holds for the cells after it, as IPython's compiler keeps it
    try:
        for label, source in cells:
            # Tracebacks show the cell's lines: the cache holds them under the cell's name (no file to stat).
            linecache.cache[label] = (len(source), None, source_lines(source, keepends=True), label)
            flags = _run_cell(ast.parse(source, label), label, module.__dict__, left_out, flags)
    except ModuleNotFoundError as error:
        if not error.name:
            raise StudentLoadError(f"importing {shown} failed with ModuleNotFoundError: {error}") from None
        raise StudentLoadError(missing_module_message(error.name),
                               details=f"ModuleNotFoundError: {error}{_cell_line(error, labels)}") from None
    except (Exception, SystemExit) as error:
        raise StudentLoadError(f"importing {shown} failed with {type(error).__name__}: {error}".rstrip(": ")
                               + _cell_line(error, labels)) from None
    setattr(module, LEFT_OUT_ATTRIBUTE, tuple(left_out))
    return module


#: The module attribute listing the assignments a notebook's module left out (``"cell 2, line 3: NameError: ..."``).
LEFT_OUT_ATTRIBUTE = "__notebook_left_out__"


def kernel_names() -> dict[str, Any]:
    """The names a Jupyter kernel predefines that notebook code calls without importing them (``display(w)`` in a
    training loop), so that a notebook's correct functions do not fail on them when graded.  ``display`` shows
    nothing and returns None, as IPython's does: not IPython's own, even where it is loaded (``grader.check`` run
    in a kernel), as every call the checks make would show its output in the notebook."""
    return {"display": _display}


def _display(*objects: Any, **options: Any) -> None:
    """Shows nothing: what a notebook displays is not graded."""
    return None


def left_out_of(module: Any) -> list[str]:
    """What :func:`load_cells` left out of ``module``, bounded (the worker sends it; its code could have changed
    it, so the grader bounds it again)."""
    try:
        items = getattr(module, LEFT_OUT_ATTRIBUTE, ())
        return [str(item)[:300] for item in list(items)[:20]] if isinstance(items, tuple) else []
    except Exception:  # noqa: BLE001 - whatever student code made of it
        return []


#: The compound statements that run, at the top level of a notebook's cell, when they bind what grading reads
#: (``if HAVE_SCIPY: def sigmoid``, ``with np.errstate(...): def sigmoid``, ``try: step = ... except ...: def
#: step``; see :mod:`grader.student._notebook`, which decides).  Here, as the worker may not load that module.
#: Not the loops (``for``, ``while``): a notebook's training runs and sweeps are loops, which must not run when grading.
COMPOUND_STATEMENTS = (ast.If, ast.With, ast.Try, ast.Match)
#: The statements of a notebook's module that are left out when they raise (see :func:`_run_cell`): the values
#: and definitions grading keeps, and the compound statements binding them (``with open(...) as f: CFG = ...``).
_LEFT_OUT_IF_RAISING = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                        *COMPOUND_STATEMENTS)


def _run_cell(tree: ast.Module, label: str, namespace: dict, left_out: list[str], flags: int = 0) -> int:
    """Run a cell's statements in order.  An assignment that raises is left out, as the notebook's workflow is:
    what a notebook keeps besides its definitions is the constants and the values its functions read (see
    :mod:`grader.student._notebook`), and one of them may need what only the workflow makes (a file read, a
    name it defines); a function reading it then fails when called, at its own line.  So does a ``def`` or
    ``class`` that raises as it is made (a default ``eps=CFG.eps`` whose ``CFG`` was left out): a function
    defined there raises that error when called, and a class stays undefined.  A compound statement kept for
    what it binds (``with open('cfg.json') as f: CFG = json.load(f)``) is left out too, unless a module it
    imports is missing.  Anything else that raises (an import) fails the load, as in a ``.py`` module.  What is
    left out is listed in ``left_out`` (the report notes it).  ``flags``: the compiler flags of the ``from
    __future__ import ...`` statements run so far, in this cell or an earlier one; returned with this cell's."""
    import __future__

    for node in tree.body:
        code = _compiled(node, label, flags)
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            for alias in node.names:
                flags |= getattr(getattr(__future__, alias.name, None), "compiler_flag", 0)
        if not isinstance(node, _LEFT_OUT_IF_RAISING):
            exec(code, namespace)
            continue
        try:
            exec(code, namespace)
        except Exception as error:  # noqa: BLE001 - whatever the workflow's value needed, it is not the module's
            if isinstance(error, ModuleNotFoundError) and isinstance(node, COMPOUND_STATEMENTS):
                raise  # an import in an ``if`` or ``with`` fails as a top-level import does, naming the module
            left_out.append(f"{label}, line {node.lineno}: {type(error).__name__}: {error}".rstrip(": "))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                namespace[node.name] = _failed_definition(node.name, error)
    return flags


#: How deep a statement's tree may be compiled: Python's parser reads a chain of a few thousand terms
#: (``1+1+...+1``) that compiling its tree, deeper than the default recursion limit of 1000, would refuse.
_COMPILE_DEPTH = 8000


def _compiled(node: ast.stmt, label: str, flags: int) -> Any:
    """The code of one statement of a cell.  dont_inherit: this file's own ``from __future__ import annotations``
    must not hold in the student's cells."""
    module = ast.Module(body=[node], type_ignores=[])
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _COMPILE_DEPTH))
    try:
        return compile(module, label, "exec", flags=flags, dont_inherit=True)
    finally:
        sys.setrecursionlimit(limit)


def _failed_definition(name: str, error: Exception) -> Any:
    """What stands for the function ``name`` whose ``def`` raised ``error``: a function raising it, as it was
    raised, whenever called (the report's traceback shows the definition's line)."""
    traceback = error.__traceback__

    def failed(*args: Any, **kwargs: Any) -> Any:
        raise error.with_traceback(traceback)  # the definition's frames, not those of every call before

    failed.__name__ = failed.__qualname__ = name
    return failed


def _saved_as_utf16(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(2) in (b"\xff\xfe", b"\xfe\xff")
    except OSError:
        return False


#: What student code may import: the libraries of the grading environment.
AVAILABLE_LIBRARIES = "numpy, scipy, matplotlib and the standard library"


def missing_module_message(name: str) -> str:
    """What a student reads when their code imports a module the grading environment lacks."""
    top = name.split(".")[0]
    return (f"your code imports {top}, which is not available where it is graded; "
            f"you may use {AVAILABLE_LIBRARIES}")


class InProcessStudent:
    """Calls the student's functions directly.  No isolation: use only for code you trust."""

    protections: dict[str, Any] = {"isolation": "none (in-process, trusted code)"}

    def __init__(self, path: Path, *, output_limit: int = 64 * 1024,
                 cells: Optional[Sequence[tuple[str, str]]] = None, notes: tuple[str, ...] = ()) -> None:
        """``cells``: the module is a notebook's cells (see :func:`load_cells`), read by the caller."""
        self._output = CappedOutput(output_limit)
        self._generators = CallersGenerators()
        #: What the report says about how the file was read (a notebook's dropped magics...).
        self.notes = notes
        self._path, self._cells = Path(path), cells
        started = time.process_time()
        with contextlib.redirect_stdout(self._output), contextlib.redirect_stderr(self._output):
            self._module = self._load()
        self._called, self._slow = False, time.process_time() - started > FRESH_FIRST_LOAD_MOST

    def _load(self) -> Any:
        if self._cells is None:
            return load_module(self._path)
        return load_cells(self._cells, name=f"_student_{uuid.uuid4().hex[:8]}", shown=self._path.name)

    def fresh_state(self) -> None:
        """The module loaded again, its variables as after its first load, as the worker does (see
        :meth:`grader.student.WorkerStudent.fresh_state`); what it prints is discarded."""
        if not self._called or self._slow:
            return
        started = time.process_time()
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                module = self._load()
        except MemoryError:  # the grader's own ceiling (grader._ceiling): its verdict is the grader's to give
            raise
        except Exception:  # whatever else the second load did, the first one stands
            return
        finally:
            self._slow = time.process_time() - started > FRESH_LOAD_MOST
        sys.modules.pop(getattr(self._module, "__name__", ""), None)
        self._module, self._called = module, False

    @property
    def module(self) -> Any:
        """The student's module, as loaded."""
        return self._module

    def _roundtrip(self, function: str, args: tuple, kwargs: dict, echo_args: bool) -> Any:
        # Arguments and replies are copied as the wire format gives them (wire.copied), exactly as with the
        # worker, so both modes see the same copies, conversions and validation.
        sent = wire.copied((tuple(args), dict(kwargs)))
        call = CallRecord(function, tuple(args), dict(kwargs))
        self._generators.keep()
        self._called = True
        with contextlib.redirect_stdout(self._output), contextlib.redirect_stderr(self._output):
            reply = execute(self._module, function, sent[0], sent[1], echo_args=echo_args, restore=False)
        return interpret(wire.copied(reply), call, echo_args=echo_args)

    def call(self, function: str, *args: Any, **kwargs: Any) -> Any:
        return self._roundtrip(function, args, kwargs, False)

    def call_with_args(self, function: str, *args: Any, **kwargs: Any) -> tuple[Any, tuple[Any, ...]]:
        return self._roundtrip(function, args, kwargs, True)

    def call_each(self, function: str, calls: Sequence[Call]) -> Iterator[Any]:
        """The calls one by one, each when its result is wanted (see :func:`grader.student.call_each`)."""
        return (self.call(function, *args, **kwargs) for args, kwargs in calls)

    def output(self) -> str:
        return self._output.text()

    def output_mark(self) -> Any:
        """See :meth:`grader.student.WorkerStudent.output_mark`."""
        return self._output.mark()

    def output_restore(self, mark: Any) -> None:
        self._output.restore(mark)

    def close(self) -> None:
        self._generators.put_back()
        sys.modules.pop(getattr(self._module, "__name__", ""), None)

