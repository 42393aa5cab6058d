"""Turning a program submission into something to run: its language, and for C and Fortran an executable.

The language comes from the file's suffix.  C and Fortran are compiled once per
submission by the sandbox's confined compile step
(:func:`grader.sandbox.compile.compile_source`, with ``-fcheck=bounds`` for
Fortran, so an index out of range stops the program with a message naming the
array and the index, which the grader explains); every run uses that one
executable.  Python scripts need no build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

__all__ = ["LANGUAGES", "Built", "BuildFailed", "build_program", "language_of"]

LANGUAGES = {".py": "python", ".c": "c", ".f90": "fortran", ".f95": "fortran", ".f03": "fortran",
             ".f08": "fortran", ".f": "fortran", ".for": "fortran",
             ".ftn": "fortran"}
_MESSAGES = 8000
#: Messages of gcc and gfortran for a variable used without a declaration (an undeclared array in Fortran with
#: ``implicit none`` makes its assignments "unclassifiable statements").
_UNDECLARED = re.compile(r"undeclared|has no IMPLICIT type|Unclassifiable statement", re.IGNORECASE)


@dataclass(frozen=True)
class Built:
    executable: Path
    warnings: str = ""


class BuildFailed(Exception):
    """The program could not be compiled; ``details`` holds the compiler's messages."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.message, self.details = message, details


def language_of(path: Path) -> str:
    """``python``, ``c`` or ``fortran``, from the file's suffix; ``ValueError`` for anything else."""
    language = LANGUAGES.get(Path(path).suffix.lower())
    if language is None and Path(path).suffix.lower() == ".ipynb":
        raise ValueError(f"{Path(path).name}: a notebook is not a whole program: hand in the program as a script "
                         "(in Jupyter: File > Save and Export Notebook As > Executable Script)")
    if language is None:
        known = ", ".join(sorted(LANGUAGES))
        raise ValueError(f"{Path(path).name}: cannot tell its language from its suffix (known: {known})")
    return language


def build_program(source: Path, language: str, folder: Path, *, protected: Iterable[Path] = (),
                  disable: Iterable[str] = (), memory_mb: int = 1024) -> Built:
    """An executable built from ``source`` into ``folder``; raises :class:`BuildFailed` with the messages."""
    if language == "python":
        return Built(Path(source))
    from grader.sandbox.compile import CompilerNotFound, compile_source, one_file_hint

    try:
        result = compile_source(Path(source), language, Path(folder), output="executable", memory_mb=memory_mb,
                                protected=protected, disable=disable)
    except CompilerNotFound as missing:
        raise BuildFailed(f"cannot compile {Path(source).name} on this machine: {missing}") from None
    if not result.ok or result.artifact is None:
        why = result.failure or "fix the first error the compiler reports (line numbers refer to your file)"
        if _UNDECLARED.search(result.diagnostics):
            why += (". A variable may be used without being declared (the course's own incomplete programs "
                    "forget one): declare it with its type, e.g. 'float total;' in C or 'real, allocatable :: "
                    "values(:,:)' in Fortran")
        hint = one_file_hint(result.diagnostics, Path(source))
        if hint:
            why += ". " + hint.rstrip(".")
        raise BuildFailed(f"compile error: {Path(source).name} does not compile: {why}",
                          result.diagnostics[-_MESSAGES:])
    return Built(Path(result.artifact), result.warnings[-_MESSAGES:])
