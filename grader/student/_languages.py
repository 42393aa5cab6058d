"""The grader's side of the language runners: the factory, and the build step of the compiled languages.

:func:`runner_for` returns the runner of a language (see :class:`grader.student._runners.Runner` for the
contract); C and Fortran are built by the confined compile step
(:func:`grader.sandbox.compile.compile_source`) into a shared library, once per submission; a Python notebook
is read into its cells.
"""

from __future__ import annotations

import ast
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterable, Optional

from grader.errors import ConfigError
from grader.sandbox.compile import LANGUAGES, CompilerNotFound, compile_source, one_file_hint
from grader.student._base import ExerciseLoadError, StudentLoadError
from grader.student._crash_lines import crash_frames_library, crash_location
from grader.student._inprocess import InProcessStudent
from grader.student._execute import CallersGenerators
from grader.student._output import CappedOutput
from grader.student._runners import EXTENSIONS, Build, CompiledRunner, PythonRunner, Runner

__all__ = ["runner_for", "PythonLanguage", "CompiledLanguage", "CompiledInProcessStudent", "COMPILE_TIMEOUT",
           "binding_notes", "binding_index_arguments"]

#: Seconds a compilation may take.
COMPILE_TIMEOUT = 60.0


class PythonLanguage(PythonRunner):
    """Python, with the build step of a Jupyter notebook: read and validated, its cells prepared for the worker
    (see :mod:`grader.student._notebook`); a ``.py`` module needs none."""

    def build(self, source: Path, exercise: Any, limits: Any, *, protected: Iterable[Any] = (),
              disable: Iterable[str] = ()) -> Build:
        if Path(source).suffix.lower() != ".ipynb":
            return Build()
        from grader.sources import graded_functions
        from grader.student._notebook import read_notebook

        notebook = read_notebook(Path(source), graded=graded_functions(exercise))
        return Build(settings={"cells": [list(cell) for cell in notebook.cells]}, notes=notebook.notes)


#: A compiler's complaint that a parameter is not used: what every function still to write says of all of its.
_UNUSED = re.compile(r"\[-Wunused-(?:parameter|dummy-argument)\]")
#: A temporary the compiler made (gfortran's ``__var_3_mmb`` for ``matmul`` of an expression): a warning naming
#: one is about the compiler's own code, never the student's (a known false "used uninitialized" at -O2).
_COMPILERS_OWN = re.compile(r"\b__var_\d+")
#: The first line of one diagnostic: ``file:line:column:`` (gcc, then the message; gfortran, alone).
_DIAGNOSTIC = re.compile(r"^\S[^:\n]*:\d+:\d+:")
#: gcc's line naming the function the diagnostics after it are in.
_IN_FUNCTION = re.compile(r"^\S[^:\n]*: In (?:function|subroutine) '(\w+)':")


def advice_of(warnings: str, source: Path) -> str:
    """The compiler's ``warnings`` without its complaints that the parameters of a function still to write (its
    marking statement still there: see :mod:`grader.sources`) are unused, which a skeleton as handed out gets by
    the dozen, and without those about temporaries of its own (:data:`_COMPILERS_OWN`): either would bury the
    warnings about the code the student wrote."""
    from grader.sources import READERS, still_marked, text_of

    reader, text = READERS.get(source.suffix.lower()), text_of(source)
    if not warnings or reader is None or text is None:
        return warnings
    marked = {name.casefold() for name in still_marked(source, sorted(reader.defines(text)))[0]}
    if not marked and not _COMPILERS_OWN.search(warnings):
        return warnings
    lines = text.splitlines()
    kept: list[str] = []
    entry: list[str] = []
    function = ""

    def flush() -> None:
        text = "\n".join(entry)
        if entry and not _COMPILERS_OWN.search(text) and not (
                _UNUSED.search(text) and _in_unwritten(entry, function, marked, lines)):
            kept.extend(entry)
        entry.clear()

    for line in warnings.splitlines():
        header = _IN_FUNCTION.match(line)
        if header or _DIAGNOSTIC.match(line):
            flush()
        if header:
            function = header.group(1).casefold()
            kept.append(line)
            continue
        entry.append(line)
    flush()
    # A function's header with nothing left under it goes too.
    shown = [line for index, line in enumerate(kept)
             if not (_IN_FUNCTION.match(line) and (index + 1 == len(kept) or _IN_FUNCTION.match(kept[index + 1])))]
    return "\n".join(shown)


def _in_unwritten(entry: list[str], function: str, marked: set[str], lines: list[str]) -> bool:
    """Whether the diagnostic ``entry`` is about a function of ``marked``: the one gcc named before it, else the
    one whose definition its line holds (gfortran points at the ``subroutine`` or ``function`` statement)."""
    if function:
        return function in marked
    found = _DIAGNOSTIC.match(entry[0])
    number = int(entry[0][: found.end() - 1].rsplit(":", 2)[1]) if found else 0
    line = lines[number - 1].casefold() if 0 < number <= len(lines) else ""
    return any(re.search(rf"\b(?:function|subroutine)\s+{re.escape(name)}\s*\(", line) for name in marked)


class CompiledLanguage(CompiledRunner):
    """C or Fortran, with the build step, and the line a crash happened at (see :meth:`crash_location`)."""

    #: The student's library as built (its debug information maps a crash to a line), once built.
    _library: Optional[Path] = None

    def build(self, source: Path, exercise: Any, limits: Any, *, protected: Iterable[Any] = (),
              disable: Iterable[str] = ()) -> Build:
        binding = _binding(exercise, self.language)
        folder = Path(tempfile.mkdtemp(prefix="grader-lib-"))
        try:
            result = compile_source(Path(source), self.language, folder, output="shared",
                                    memory_mb=limits.memory_mb, file_size_mb=limits.file_size_mb,
                                    processes=limits.processes, timeout=COMPILE_TIMEOUT, protected=protected,
                                    disable=disable)
        except CompilerNotFound as error:
            shutil.rmtree(folder, ignore_errors=True)
            raise StudentLoadError(error.message) from None
        if not result.ok or result.artifact is None:
            shutil.rmtree(folder, ignore_errors=True)
            compiler = LANGUAGES[self.language].compiler
            hint = one_file_hint(result.diagnostics, Path(source))
            why = result.failure or " ".join(filter(None, ["fix the errors below.", hint])).rstrip(".")
            raise StudentLoadError(f"{Path(source).name} does not compile with {compiler}: {why}",
                                   details=f"$ {' '.join(result.command)}\n{result.diagnostics}".strip())
        self._library = result.artifact
        settings = {"library": result.artifact.name, "binding": str(binding),
                    "binding_shown": _course_name(binding, exercise.root)}
        files: tuple[Path, ...] = (result.artifact,)
        crash_frames = crash_frames_library()
        if crash_frames is not None:
            files += (crash_frames,)
            settings["crash_frames"] = crash_frames.name
        return Build(files=files, advice=advice_of(result.warnings, Path(source)),
                     seconds=result.seconds, folder=folder, settings=settings)

    def crash_location(self, output: str) -> str:
        # The line a crash happened at, from the crash handler's frames (see grader.student._crash_lines).
        return crash_location(output, self._library) if self._library is not None else ""


def _binding(exercise: Any, language: str) -> Path:
    """The file of ``exercise``'s binding for ``language``; :class:`ExerciseLoadError` (the exercise's error, never
    the student's) when config.yaml names none or names a file that is not there."""
    try:
        binding = exercise.binding_file()
    except ConfigError as error:
        raise ExerciseLoadError(f"{error}: an error in the exercise, not in the student's code") from None
    if binding is None:
        raise ExerciseLoadError(f"exercise {exercise.id!r} has no binding for {language}: the course's "
                                "config.yaml must name one (an error in the exercise, not in the student's code)")
    if not binding.is_file():
        raise ExerciseLoadError(
            f"exercise {exercise.id!r}: the {language} binding {_course_name(binding, exercise.root)} that "
            "config.yaml names is missing from the course folder (the folder of config.yaml): an error in the "
            "exercise, not in the student's code (the instructor must add the file or correct its path)")
    return binding


def _course_name(path: Path, root: Path) -> str:
    """``path`` as the course names it (from its configuration's folder), else its name: never a path of the
    grading machine in a student's report."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def binding_notes(exercise: Any) -> tuple[str, ...]:
    """What the report of a submission in ``exercise``'s language says once, from its binding: the binding's
    module-level ``NOTES`` (a literal dict, language -> note) read without running the binding; () if none."""
    notes = _binding_literal(exercise, "NOTES")
    note = notes.get(exercise.language) if isinstance(notes, dict) else None
    return (note,) if isinstance(note, str) and note else ()


def binding_index_arguments(exercise: Any) -> dict[str, dict[str, int]]:
    """The arguments of the contract's functions that hold indices counted from 0, from ``exercise``'s binding:
    its module-level ``INDEX_ARGUMENTS`` (a literal dict, function -> argument name -> position), read without
    running the binding; what is not of that form is left out."""
    declared = _binding_literal(exercise, "INDEX_ARGUMENTS")
    if not isinstance(declared, dict):
        return {}
    return {function: {name: position for name, position in arguments.items()
                       if isinstance(name, str) and isinstance(position, int)}
            for function, arguments in declared.items() if isinstance(function, str) and isinstance(arguments, dict)}


def _binding_literal(exercise: Any, name: str) -> Any:
    """The literal value the module-level ``name`` of ``exercise``'s binding is given (``None``: no binding, no
    such name, or not a literal); the binding is parsed, never run, in the grader."""
    try:
        binding = exercise.binding_file()
    except ConfigError:
        return None
    if binding is None or not binding.is_file():
        return None
    try:
        tree = ast.parse(binding.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) and node.value is not None else []
        if any(isinstance(target, ast.Name) and target.id == name for target in targets):
            try:
                return ast.literal_eval(node.value)  # type: ignore[arg-type]
            except ValueError:
                return None
    return None


_RUNNERS: dict[str, Runner] = {}


def runner_for(language: str) -> Runner:
    """The runner of ``language`` (``python``, ``c`` or ``fortran``); ``ValueError`` for any other."""
    if language not in _RUNNERS:
        if language == "python":
            _RUNNERS[language] = PythonLanguage()
        elif language in ("c", "fortran"):
            _RUNNERS[language] = CompiledLanguage(language, EXTENSIONS[language])
        else:
            raise ValueError(f"no runner for language {language!r} (known: {', '.join(EXTENSIONS)})")
    return _RUNNERS[language]


class CompiledInProcessStudent(InProcessStudent):
    """A C or Fortran submission compiled (confined) and loaded into the grader's own process: trusted code
    only (a crash of the library ends the grader).  What it prints goes to the grader's own output."""

    def __init__(self, path: Path, exercise: Any, limits: Any) -> None:
        from grader.student._languages import runner_for

        self._output = CappedOutput(int(limits.output_kb * 1024))
        self._generators = CallersGenerators()
        runner = runner_for(exercise.language)
        self._build = runner.build(Path(path), exercise, limits)
        assert self._build.folder is not None
        settings = {"folder": str(self._build.folder), "module": Path(path).name, **self._build.settings}
        try:
            runner.prepare(settings)
            self._module = runner.load(settings)
        except StudentLoadError:  # the exercise's binding or the library failed: nothing to close but the build
            self._build.cleanup()
            raise
        self._runner, self._settings = runner, settings
        self._called, self._slow = False, False
        self.advice = self._build.advice

    def _load(self) -> Any:
        """The library loaded again (a copy), for :meth:`fresh_state`."""
        return self._runner.fresh(self._settings, self._module)

    def _roundtrip(self, function: str, args: tuple, kwargs: dict, echo_args: bool) -> Any:
        try:
            return super()._roundtrip(function, args, kwargs, echo_args)
        finally:
            self._runner.after_call()

    def close(self) -> None:
        self._generators.put_back()
        self._build.cleanup()
