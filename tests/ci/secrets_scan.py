"""Finding the instructor's secrets in a folder: reference code, hidden check code, hidden check ids.

Code is matched by its function bodies, three consecutive code lines at a time
(blank lines, comments and docstrings left out, indentation ignored), so a copy
is found even when reformatted around it or pasted into another file.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterable

from grader.config import ExerciseConfig

_WINDOW = 3


def _code_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def body_windows(path: Path) -> set[str]:
    """Every run of three consecutive code lines in the function bodies of ``path`` (the whole body if shorter)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    windows = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:]  # the docstring says what, not how
        if not body:
            continue
        code = _code_lines("\n".join(lines[body[0].lineno - 1: body[-1].end_lineno]))
        windows.update("\n".join(code[i: i + _WINDOW]) for i in range(max(len(code) - _WINDOW + 1, 1)))
    return windows


def secrets_of(exercises: Iterable[ExerciseConfig]) -> tuple[set[str], set[str]]:
    """(code windows, literal strings) that must never leave the instructor's hands."""
    windows: set[str] = set()
    strings: set[str] = set()
    for exercise in exercises:
        if exercise.reference is not None:
            windows |= body_windows(exercise.reference)
        for source in exercise.hidden_checks:
            if source.endswith(".py"):
                windows |= body_windows(exercise.root / source)
                strings.add(Path(source).stem)
        strings |= {check_id for check_id, spec in exercise.points.items() if spec.hidden}
    return windows, strings


def leaks(folder: Path, windows: set[str], strings: set[str]) -> list[str]:
    """``file: what`` for every secret found in any file under ``folder`` (binary files included, as text)."""
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        code = "\n".join(_code_lines(text))
        name = path.relative_to(folder).as_posix()
        found += [f"{name}: code {window.splitlines()[0]!r}..." for window in windows if window in code]
        found += [f"{name}: {string!r}" for string in strings if string in text or string in name]
    return found
