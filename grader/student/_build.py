"""Turning a program submission into something to run: its language, and for C and Fortran an executable.

The language comes from the file's suffix.  C and Fortran are compiled once per
submission by the sandbox's confined compile step
(:func:`grader.sandbox.compile.compile_source`) when this installation has it;
until then by the system compiler directly, with a time limit (the source is
compiled, never run, outside the sandbox).  Fortran gets ``-fcheck=bounds`` so
that an index out of range (the course's ``int(rand*n)`` picking index 0) stops
the program with a message naming the array and the index, which the grader can
explain.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LANGUAGES", "Built", "BuildFailed", "build_program", "language_of"]

LANGUAGES = {".py": "python", ".c": "c", ".f90": "fortran", ".f95": "fortran", ".f03": "fortran",
             ".f08": "fortran", ".f": "fortran"}
_COMPILERS = {
    "c": ("gcc", ["-O2", "-std=gnu11", "-w"], ["-lm"]),
    "fortran": ("gfortran", ["-O2", "-fcheck=bounds", "-g", "-ffree-line-length-none", "-w"], []),
}
_COMPILE_TIMEOUT = 60.0
_MESSAGES = 8000


@dataclass(frozen=True)
class Built:
    executable: Path
    messages: str = ""


class BuildFailed(Exception):
    """The program could not be compiled; ``details`` holds the compiler's messages."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.message, self.details = message, details


def language_of(path: Path) -> str:
    """``python``, ``c`` or ``fortran``, from the file's suffix; ``ValueError`` for anything else."""
    language = LANGUAGES.get(Path(path).suffix.lower())
    if language is None:
        known = ", ".join(sorted(LANGUAGES))
        raise ValueError(f"{Path(path).name}: cannot tell its language from its suffix (known: {known})")
    return language


def _confined(source: Path, language: str, folder: Path) -> Built | None:
    try:
        from grader.sandbox.compile import compile_source  # type: ignore[import-not-found]
    except ImportError:
        return None
    result = compile_source(source.read_text(encoding="utf-8", errors="replace"), language, folder,
                            output="executable")
    messages = str(getattr(result, "messages", "") or getattr(result, "output", ""))[-_MESSAGES:]
    path = getattr(result, "path", None) or getattr(result, "executable", None)
    if not getattr(result, "ok", bool(path)) or path is None:
        raise BuildFailed(f"{source.name} does not compile: fix the first error the compiler reports "
                          "(line numbers refer to your file)", messages)
    return Built(Path(path), messages)


def build_program(source: Path, language: str, folder: Path) -> Built:
    """An executable built from ``source`` in ``folder``; raises :class:`BuildFailed` with the messages."""
    if language == "python":
        return Built(Path(source))
    built = _confined(Path(source), language, Path(folder))
    if built is not None:
        return built
    compiler, flags, libraries = _COMPILERS[language]
    found = shutil.which(compiler)
    if found is None:
        raise BuildFailed(f"cannot compile {source.name}: the {compiler} compiler is not installed on the "
                          "grading machine")
    target_source = Path(folder) / Path(source).name
    shutil.copyfile(source, target_source)
    executable = Path(folder) / "program"
    command = [found, *flags, "-o", str(executable), target_source.name, *libraries]
    try:
        done = subprocess.run(command, cwd=folder, capture_output=True, timeout=_COMPILE_TIMEOUT,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise BuildFailed(f"compiling {source.name} took more than {_COMPILE_TIMEOUT:g} s: stopped") from None
    messages = (done.stdout + done.stderr).decode("utf-8", "replace")[-_MESSAGES:]
    if done.returncode != 0 or not executable.is_file():
        raise BuildFailed(f"{source.name} does not compile: fix the first error the compiler reports "
                          "(line numbers refer to your file)", messages)
    return Built(executable, messages)
