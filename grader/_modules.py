"""Importing the course's trusted modules: check modules, hidden checks and plugins, by path or dotted name.

**The rule** (documented in docs/authoring.md): while the grader imports a course's trusted modules, the folder
of its ``config.yaml`` comes first on the import path, as a script's own folder does for ``python script.py``.
So a check module, a hidden-check file or a plugin may import a helper module of the course folder by its
dotted name from there (``from helpers.linreg import design_matrices`` for ``helpers/linreg.py``), and a
plugin or check module may be named by dotted name (``plugins.linreg``) or by path (``plugins/linreg.py``).
Student code never sees this: it runs in its own worker process.

A module given by path is imported under its dotted name when its path, relative to the course folder, is one
(``checks/linreg.py`` is ``checks.linreg``), so that a helper importing it gets the same module, not a copy;
otherwise under a private name.  Any exception while importing becomes a :class:`ConfigError` that names the
file and line, in words for the instructor.
"""

from __future__ import annotations

import ast
import errno
import importlib
import os
import importlib.util
import re
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Iterable, Optional

from grader.errors import ConfigError

__all__ = ["import_trusted", "course_on_path", "course_of", "module_name_of", "module_file", "course_modules"]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


#: Course folders put on the import path, latest first, each with the modules of its folder that loading its
#: trusted modules imported: a process that loads another course (a test suite, a dist self-check) forgets
#: those, so that a helper's name means this course's helper.  Nothing else is ever forgotten.
_COURSES: dict[str, set[str]] = {}
_PACKAGE = str(Path(__file__).resolve().parent) + os.sep


def course_on_path(root: Path) -> None:
    """Put the course folder ``root`` first on the import path, forgetting the modules that loading another
    course imported from its folder before in this process."""
    folder = str(Path(root).resolve())
    if next(iter(_COURSES), None) == folder and sys.path and sys.path[0] == folder:
        return
    for other, names in _COURSES.items():
        if other == folder:
            continue
        for name in sorted(names):
            module = sys.modules.get(name)
            if module is not None and not any(place.startswith(folder + os.sep) for place in _places(module)):
                del sys.modules[name]
        names.clear()
        # Off the path too: a regular package of the same name there (checks/__init__.py) would win over this
        # course's namespace package (a checks/ folder without one), wherever it comes on the path.
        while other in sys.path:
            sys.path.remove(other)
    while folder in sys.path:
        sys.path.remove(folder)
    sys.path.insert(0, folder)
    owned = _COURSES.pop(folder, set())
    reordered = {folder: owned, **_COURSES}
    _COURSES.clear()
    _COURSES.update(reordered)
    importlib.invalidate_caches()


def course_of(path: Path) -> Optional[Path]:
    """The course folder put on the import path (see :func:`course_on_path`) that holds the file ``path`` (the
    innermost one), or ``None`` when it is no course's (the grader's own exercises, a module imported otherwise)."""
    file = str(Path(path).resolve())
    folders = [folder for folder in _COURSES if file.startswith(folder + os.sep)]
    return Path(max(folders, key=len)) if folders else None


def _record(root: Path, before: set[str]) -> None:
    """Remember the modules of the folder ``root`` that an import just added (see :func:`course_on_path`)."""
    folder = str(Path(root).resolve())
    for name in set(sys.modules) - before:
        if any(place.startswith(folder + os.sep) and not place.startswith(_PACKAGE)  # the grader's own stay
               for place in _places(sys.modules[name])):
            _COURSES.setdefault(folder, set()).add(name)


def _places(module: ModuleType) -> list[str]:
    """Where ``module`` comes from: its file, or for a folder without ``__init__.py`` (a namespace package,
    which has no file) the folders of its path."""
    file = getattr(module, "__file__", None)
    if file:
        return [str(file)]
    try:
        return [str(place) + os.sep for place in getattr(module, "__path__", None) or ()]
    except Exception:  # a module object of any kind: one that cannot tell is nobody's
        return []


def module_name_of(path: Path, root: Path) -> str:
    """The dotted name of the file ``path`` inside the course folder ``root``, or a private name when it has
    none (outside the folder, or a part that is not an identifier)."""
    path, root = Path(path).resolve(), Path(root).resolve()
    try:
        parts = path.with_suffix("").relative_to(root).parts
    except ValueError:
        parts = ()
    if parts and all(_IDENTIFIER.match(part) for part in parts):
        return ".".join(parts)
    return "_grader_course_" + "_".join(path.with_suffix("").parts[-3:]).replace("-", "_").replace(".", "_")


def _where(error: BaseException) -> str:
    """Where the module raised: its own line, rather than the grader's, when the grader raised for it (``@check``
    refusing an id is the line of that ``@check``)."""
    frames = traceback.extract_tb(error.__traceback__)
    inside = [frame for frame in frames if "importlib" not in frame.filename]
    theirs = [frame for frame in inside if not str(Path(frame.filename).resolve()).startswith(_PACKAGE)]
    if not (theirs or inside):
        return ""
    frame = (theirs or inside)[-1]
    return f" ({frame.filename}, line {frame.lineno})"


def _raised(what: str, source: str, error: BaseException, root: Path) -> ConfigError:
    if isinstance(error, SyntaxError):
        return ConfigError(f"the {what} {source} is not valid Python: {error.msg} ({error.filename}, line "
                           f"{error.lineno})")
    hint = ""
    if isinstance(error, ModuleNotFoundError) and error.name:
        top = error.name.split(".")[0]
        course = Path(root).resolve()
        local = (course / top).is_dir() or (course / f"{top}.py").is_file()
        hint = (": a helper of the course folder is imported by its dotted name from the folder of config.yaml "
                "(e.g. 'from helpers.mine import x' for helpers/mine.py)" if local else
                f": {top} is not installed where the grader runs; install it there (pip install ...), or import "
                "only what the grader's environment has")
    return ConfigError(f"cannot import the {what} {source}: {type(error).__name__}: {error}{_where(error)}{hint}")


def _from_file(path: Path, root: Path) -> ModuleType:
    """The module of the file ``path``, executed once per process under :func:`module_name_of`."""
    name = module_name_of(path, root)
    loaded = sys.modules.get(name)
    if loaded is not None and Path(getattr(loaded, "__file__", None) or "").resolve() == path:
        return loaded
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path} cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def import_trusted(source: str, root: Optional[Path], *, what: str) -> ModuleType:
    """The module ``source`` of the course at ``root``: a ``.py`` path relative to ``root`` or a dotted name.

    ``what`` names it in errors ("check module", "plugin"...).  ``root`` ``None``: the import path as it is, paths
    relative to the current folder (drawing a report again, where the course folder is unknown).  Raises
    :class:`ConfigError` when it is missing, is not valid Python or raises while it is imported.
    """
    if root is not None:
        course_on_path(root)
    before = set(sys.modules)
    try:
        return _import(source, Path.cwd() if root is None else Path(root), what)
    finally:
        if root is not None:
            _record(root, before)


def _import(source: str, root: Path, what: str) -> ModuleType:
    if source.endswith(".py"):
        path = (Path(root) / source).resolve()
        if not path.is_file():
            raise ConfigError(f"{what} {source} not found (looked in {path.parent})")
        try:
            return _from_file(path, Path(root))
        except MemoryError:  # the grader's own ceiling (grader._ceiling): its verdict, not the module's fault
            raise
        except Exception as error:
            _out_of_memory(error)
            raise _raised(what, source, error, root) from None
    if not _DOTTED.match(source):
        raise ConfigError(f"{what} {source!r} must be the dotted name of a Python module or the path of a .py file "
                          "relative to config.yaml")
    try:
        return importlib.import_module(source)
    except MemoryError:
        raise
    except Exception as error:
        _out_of_memory(error)
        raise _raised(what, repr(source), error, root) from None


def _out_of_memory(error: Exception) -> None:
    """Raise :class:`MemoryError` for a system call the grader's memory ceiling made fail (``ENOMEM``): importing
    reads files, and the ceiling can be reached there as anywhere, which is its verdict, not the module's fault."""
    if isinstance(error, OSError) and error.errno == errno.ENOMEM:
        raise MemoryError(str(error)) from None


def module_file(name: str, root: Path) -> Optional[Path]:
    """The file of the dotted module ``name`` inside the course folder ``root`` (``a/b.py`` or
    ``a/b/__init__.py``), or ``None`` when the folder has none."""
    base = Path(root).joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_names(path: Path, name: str) -> Iterable[str]:
    """Every module name an ``import`` of the file ``path`` (the module ``name``) may load: ``import a.b`` gives
    ``a`` and ``a.b``; ``from a import b`` gives ``a`` and ``a.b`` (``b`` may be a module); relative imports are
    resolved against ``name``."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return
    package = name.split(".")[:-1] if path.name != "__init__.py" else name.split(".")
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bases = [alias.name for alias in node.names]
            subs: list[str] = []
        elif isinstance(node, ast.ImportFrom):
            parent = package[: len(package) - node.level + 1] if node.level else []
            base = ".".join([*parent, *(node.module.split(".") if node.module else [])])
            bases = [base] if base else []
            subs = [f"{base}.{alias.name}" for alias in node.names if base and alias.name != "*"]
        else:
            continue
        for full in [*bases, *subs]:
            parts = full.split(".")
            yield from (".".join(parts[:count]) for count in range(1, len(parts) + 1))


def course_modules(files: Iterable[Path], root: Path, *, skip: Iterable[str] = ("grader",)) -> list[Path]:
    """``files`` (trusted modules of the course folder ``root``) and every module of the folder they import,
    directly or not: what a copy of the course needs for them to import.  Top-level names in ``skip`` (the
    grader's own package) are not followed."""
    root = Path(root).resolve()
    skipped = set(skip)
    found: dict[Path, None] = {}
    todo = [Path(file).resolve() for file in files]
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found[path] = None
        # The packages holding it are imported first: their __init__.py travels with it.
        todo += [folder / "__init__.py" for folder in path.parents if root in folder.parents
                 and (folder / "__init__.py").is_file()]
        for name in _imported_names(path, module_name_of(path, root)):
            if name.split(".")[0] in skipped:
                continue
            file = module_file(name, root)
            if file is not None:
                todo.append(file.resolve())
    return list(found)
