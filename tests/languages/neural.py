"""What the perceptron and MLP tests in C and Fortran share: mutants of the references, the course programs.

A mutant is a few text edits of a reference; an edit whose text is not found is an
error, so a mutant can never silently become the correct program.  The course
program of a skeleton is built from the reference's functions and the skeleton's
given program (everything after its ``the course program`` marker).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from grader.results import Report
from grader.sandbox.compile import find_compiler
from tests.languages.conftest import ROOT, SUFFIX

__all__ = ["Mutant", "check_of", "course_program", "failed_checks"]

_MARKER = {"c": "/* ---- the course program", "fortran": "! ---- the course program"}


@dataclass(frozen=True)
class Mutant:
    """A bug: ``edits`` applied to ``reference/<exercise><suffix>``; ``owner`` is the check whose property it
    breaks."""

    name: str
    exercise: str
    language: str
    owner: str
    edits: tuple[tuple[str, str], ...]

    def source(self) -> str:
        text = (ROOT / "reference" / f"{self.exercise}{SUFFIX[self.language]}").read_text(encoding="utf-8")
        for old, new in self.edits:
            if old not in text:
                raise AssertionError(f"mutant {self.name}: {old!r} not found in the reference")
            text = text.replace(old, new)
        return text

    def __str__(self) -> str:
        return f"{self.language}-{self.name}"


def failed_checks(report: Report) -> dict[str, str]:
    """check id -> message of every check that did not pass."""
    return {c.id: c.message for e in report.exercises for c in e.checks if not c.passed}


def check_of(report: Report, check_id: str):
    return next(c for e in report.exercises for c in e.checks if c.id == check_id)


def course_program(exercise: str, language: str, folder: Path) -> subprocess.CompletedProcess:
    """Build the skeleton's course program over the reference's functions and run it in ``folder`` on
    ``iris.data``, as the README says (``gcc -O2 x.c -o x -lm``, ``gfortran -O2 x.f90 -o x``)."""
    suffix = SUFFIX[language]
    skeleton = (ROOT / "exercises" / exercise / f"{exercise}{suffix}").read_text(encoding="utf-8")
    reference = (ROOT / "reference" / f"{exercise}{suffix}").read_text(encoding="utf-8")
    marker = _MARKER[language]
    source = folder / f"{exercise}{suffix}"
    source.write_text(reference + marker + skeleton.split(marker, 1)[1], encoding="utf-8")
    shutil.copy(ROOT / "data" / "iris.data", folder / "iris.data")
    compiler = str(find_compiler(language))
    command = [compiler, "-O2", source.name, "-o", exercise] + (["-lm"] if language == "c" else [])
    subprocess.run(command, cwd=folder, check=True, capture_output=True, timeout=120)
    return subprocess.run([str(folder / exercise)], cwd=folder, capture_output=True, text=True, timeout=120)


def skeleton_program(exercise: str, language: str, folder: Path) -> subprocess.CompletedProcess:
    """Build and run the untouched skeleton's course program in ``folder``."""
    suffix = SUFFIX[language]
    source = folder / f"{exercise}{suffix}"
    shutil.copy(ROOT / "exercises" / exercise / f"{exercise}{suffix}", source)
    shutil.copy(ROOT / "data" / "iris.data", folder / "iris.data")
    command = [str(find_compiler(language)), "-O2", source.name, "-o", exercise] + (["-lm"] if language == "c" else [])
    subprocess.run(command, cwd=folder, check=True, capture_output=True, timeout=120)
    return subprocess.run([str(folder / exercise)], cwd=folder, capture_output=True, text=True, timeout=120)
