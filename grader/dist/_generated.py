"""What ``grader dist`` must never ship from an exercise folder: files produced by running or checking the
code, and a skeleton whose functions are already implemented.

Generated files are recognised by name: caches and compiled files, the grader's report folders, the course's
output files (``*_output_*.dat``), and whatever the exercise folder's own ``.gitignore`` lists (the same
patterns keep them out of the students' commits).  A skeleton is read as text and parsed, never imported.
"""

from __future__ import annotations

import ast
import fnmatch
from pathlib import Path
from typing import Iterable, Sequence

__all__ = ["GENERATED_PATTERNS", "ignore_patterns", "is_generated", "implemented_functions"]

#: Always left out, whatever the exercise folder says.
GENERATED_PATTERNS: tuple[str, ...] = (
    "__pycache__/", "*.pyc", "*.pyo", ".pytest_cache/", ".hypothesis/", ".mypy_cache/", ".ruff_cache/",
    ".ipynb_checkpoints/", ".DS_Store", "report/", "grader-report/", "*_output_*.dat", "*.partial",
    "*.o", "*.so", "*.mod", "a.out",  # what compiling a C or Fortran skeleton leaves
)


def ignore_patterns(folder: Path) -> tuple[str, ...]:
    """The built-in patterns and those of ``folder/.gitignore`` (comments, blanks and negations left out)."""
    patterns = list(GENERATED_PATTERNS)
    try:
        lines = (folder / ".gitignore").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith(("#", "!")):
            patterns.append(line.lstrip("/"))
    return tuple(patterns)


def is_generated(relative: Path, patterns: Sequence[str]) -> bool:
    """Whether the file ``relative`` (to the exercise folder) matches a pattern, by any part of its path.

    ``name/`` matches a folder anywhere on the path; ``a/b`` (with a slash inside) matches from the folder's
    root; any other pattern matches a file or folder name anywhere.
    """
    parts = relative.parts
    for pattern in patterns:
        folder_only = pattern.endswith("/")
        pattern = pattern.rstrip("/")
        if "/" in pattern:
            if fnmatch.fnmatchcase(relative.as_posix(), pattern) or \
                    fnmatch.fnmatchcase(relative.as_posix(), pattern + "/*"):
                return True
            continue
        names = parts[:-1] if folder_only else parts
        if any(fnmatch.fnmatchcase(name, pattern) for name in names):
            return True
    return False


def _raises_not_implemented(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(raised, ast.Name) and raised.id == "NotImplementedError":
                return True
    return False


def implemented_functions(source: str, functions: Iterable[str]) -> list[str]:
    """Those of ``functions`` defined at the top of the Python ``source`` that no longer raise
    ``NotImplementedError`` (a skeleton's functions to complete all do).  Raises ``SyntaxError``."""
    wanted = set(functions)
    return [node.name for node in ast.parse(source).body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in wanted
            and not _raises_not_implemented(node)]
