"""Language runners: how a submission written in one language is found, built, loaded, called and cleaned up.

A :class:`Runner` works on both sides of the sandbox, and its methods say which:

- **in the grader** (trusted): :meth:`Runner.find` picks the submission's file in a folder;
  :meth:`Runner.build` prepares what the worker needs (a compiled library for C and
  Fortran, built by the confined compile step of :mod:`grader.sandbox.compile`) and
  raises :class:`StudentLoadError` with the compiler's diagnostics when it cannot;
  :meth:`Runner.explain_death` turns the last words of a worker that died into a
  verdict (a Fortran runtime error names its line); :meth:`Build.cleanup` removes
  what was built.
- **in the worker**: :meth:`Runner.prepare` runs before confinement and may only import
  trusted code (the exercise's binding); :meth:`Runner.load`, after confinement, loads
  the student's code and returns an object whose attributes are the contract's
  functions; :meth:`Runner.call` calls one by name on plain data and returns a plain reply;
  :meth:`Runner.after_call` flushes what the code printed, so it reaches the output
  pipe (never the grader's channel) before the reply.

:func:`grader.student._languages.runner_for` is the factory, keyed by language (``python``,
``c``, ``fortran``); the grader's side of the compiled languages (the build) lives there, so that
this module, which the worker imports, needs nothing but the standard library and the worker's
own modules.
"""

from __future__ import annotations

import abc
import os
import re
import shutil
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from grader.student._base import ExerciseLoadError, StudentLoadError
from grader.student._execute import execute

__all__ = ["Build", "Runner", "PythonRunner", "CompiledRunner", "worker_runner", "EXTENSIONS"]

_SIGNAL_HINTS = {
    "SIGSEGV": "a segmentation fault: an access outside an array, through a bad or NULL pointer (did a malloc "
               "fail?), or a stack overflow (a very large local array, or recursion without end)",
    "SIGBUS": "a bus error: an access to memory that is not there",
    "SIGABRT": "abort() was called, by your code, a failed assert, or the C library on a corrupted heap "
               "(a write past the end of a malloc'ed array, a double free)",
    "SIGFPE": "an arithmetic error, such as an integer division by zero",
    "SIGILL": "an illegal instruction",
}
#: The same in Fortran's terms, where they differ (no malloc or abort(); arrays allocated, pointers associated).
_FORTRAN_SIGNAL_HINTS = {
    "SIGSEGV": "a segmentation fault: an access outside an array (bounds are checked only where the compiler "
               "knows them), through an array never allocated or a pointer never associated, or a stack overflow "
               "(a very large local array, or recursion without end)",
    "SIGABRT": "the run-time library stopped the program, often on a corrupted heap (a write past the end of an "
               "allocated array)",
}
_FORTRAN_UNPLACED = re.compile(r"^Fortran runtime error: ([^\n]*)", re.MULTILINE)
_FORTRAN_ERROR_STOP = re.compile(r"^ERROR STOP ?([^\n]*)", re.MULTILINE)
_FORTRAN_ALLOCATION = re.compile(r"In file '([^']+)', around line (\d+): (Error allocating [^\n]*)")
_FORTRAN_ERROR = re.compile(r"At line (\d+) of file ([^\s(]+)[^\n]*\n(?:.*\n)*?Fortran runtime error: ([^\n]*)")


@dataclass
class Build:
    """What the grader prepared for the worker: files to copy into its folder, settings to send it, and the
    compiler's warnings (advice for the student).  :meth:`cleanup` removes the build folder."""

    files: tuple[Path, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    advice: str = ""
    seconds: float = 0.0
    folder: Optional[Path] = None
    #: What the report says about how the submission was read (a notebook's dropped magics...).
    notes: tuple[str, ...] = ()

    def cleanup(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


class Runner(abc.ABC):
    """How one language's submissions are found, built, loaded and called (see the module docstring)."""

    language: str = ""
    extensions: tuple[str, ...] = ()

    # --- in the grader --------------------------------------------------------------------------------------

    def find(self, folder: Path, module: str) -> Optional[Path]:
        """The submission's file ``module`` in ``folder`` (or in ``exercises/<any>/`` below it), or None."""
        direct = Path(folder) / module
        if direct.is_file():
            return direct
        found = sorted(Path(folder).glob(f"exercises/*/{module}"))
        return found[0] if found else None

    def build(self, source: Path, exercise: Any, limits: Any, *, protected: Iterable[Any] = (),
              disable: Iterable[str] = ()) -> Build:
        """Prepare ``source`` for the worker; raises :class:`StudentLoadError` when it cannot be built."""
        return Build()

    #: Whether the traceback of an exception raised by a call is the student's (Python's own code) to show.
    shows_traceback: bool = True

    def describe_signal(self, name: str, where: str = "") -> str:
        """``name`` (e.g. ``SIGSEGV``) and ``where`` it happened (" at line 12 of prog.c", or "") with what it
        usually means in this language."""
        return name + where

    def crash_location(self, output: str) -> str:
        """Where the crash that ended a worker happened, from its last words ``output``: " at line 12 of
        prog.c", or "" when they do not tell."""
        return ""

    def describe_raised(self, function: str, type_name: str, message: str) -> str:
        """What a call of ``function`` that ended in an exception (``type_name``: ``message``) did, said in this
        language's terms."""
        return f"{function} raised {type_name}: {message}".rstrip(": ")

    def describe_missing(self, function: str) -> Optional[str]:
        """What a call of ``function``, which the submission does not define, is in this language's terms (None:
        as the call's exception says it)."""
        return None

    def speak(self, text: str) -> str:
        """``text`` (a check's message, a value of its counterexample) in this language's terms."""
        return text

    #: What this language counts arrays from: the numbers a check marked as counted from 0 (a row, a label's
    #: value: see :func:`grader.authoring.index`) are shown plus this, as the student's code numbers them.
    index_base: int = 0

    def raised_by_exercise(self, mro: tuple[str, ...]) -> bool:
        """Whether an exception a call ended in (``mro``: its classes' names) is the exercise's own error rather than
        the student's: never, where the student's code raises itself."""
        return False

    def explain_death(self, output: str) -> Optional[str]:
        """A verdict from what a worker that ended printed last (e.g. a runtime error), or None."""
        return None

    # --- in the worker --------------------------------------------------------------------------------------

    def prepare(self, settings: dict[str, Any]) -> None:
        """Before confinement: import the trusted code :meth:`load` needs."""
        return None

    @abc.abstractmethod
    def load(self, settings: dict[str, Any]) -> Any:
        """After confinement: load the submission in ``settings["folder"]``; returns an object whose attributes
        are the contract's functions.  Raises :class:`StudentLoadError` with a readable message."""

    def fresh(self, settings: dict[str, Any], loaded: Any) -> Any:
        """What :meth:`load` returns, loaded again with the state it had after its first load (the variables of the
        student's module or library), or ``loaded`` where it cannot be; may raise (the first load then stands).
        The worker asks before each check, so that no check depends on the calls made before it."""
        return loaded

    def call(self, loaded: Any, function: str, args: Any, kwargs: Any, *, echo_args: bool = False) -> dict:
        """Call ``function`` of what :meth:`load` returned, by name, on plain data; returns the plain reply
        (see :func:`grader.student._execute.execute`: a value, a raised exception, not implemented, missing)."""
        # In the worker each call starts from seeded global generators: nothing to restore after it.
        return execute(loaded, function, args, kwargs, echo_args=echo_args, restore=False)

    def after_call(self) -> None:
        """Flush what the student's code printed during the call."""
        return None


#: An array element as checks write it, Python's way: a name, then its whole-number indices (``w1[2, 0]``).
_ELEMENT = re.compile(r"\b([A-Za-z_]\w*)\[(\d+(?:, ?\d+)*)\]")


class PythonRunner(Runner):
    """Python: the module is imported in the worker; nothing to build.  A Jupyter notebook (``.ipynb``) is read
    in the grader (the build of :class:`grader.student._languages.PythonLanguage`), and its cells, sent with
    the settings (``cells``), run in the worker."""

    language = "python"
    extensions = (".py", ".ipynb")

    def prepare(self, settings: dict[str, Any]) -> None:
        from grader.student._inprocess import load_cells, load_module

        self._load_module, self._load_cells = load_module, load_cells

    def load(self, settings: dict[str, Any]) -> Any:
        module = str(settings["module"])
        if "cells" in settings:
            return self._load_cells([(str(name), str(source)) for name, source in settings["cells"]],
                                    name=os.path.splitext(module)[0], shown=module)
        path = os.path.join(str(settings["folder"]), module)
        return self._load_module(Path(path), name=os.path.splitext(module)[0])

    def fresh(self, settings: dict[str, Any], loaded: Any) -> Any:
        return self.load(settings)


#: The exceptions an exercise's binding raises to say what the student's compiled code did (a status returned, an
#: array written past its end, a value out of range): see docs/authoring.md.
_BINDING_VERDICTS = frozenset({"ValueError", "RuntimeError", "IndexError", "ArithmeticError", "MemoryError",
                               "NotImplementedError"})


#: What an instructor is told after any fault of the binding itself.
_BINDING_FAULT = ("an error in the exercise, not in the student's code (the instructor must fix the binding; the "
                  "points are not the student's)")


def binding_error(shown: str, path: str, error: BaseException, *, when: str = "") -> str:
    """What an instructor reads when the exercise's binding (file ``path``, named ``shown`` as the course names
    it) raised ``error``: importing it (``when`` empty) or ``when`` it ran; what, and the binding's line where
    (its own for a syntax error)."""
    if isinstance(error, SyntaxError):
        said = f"SyntaxError: {error.msg}"
        line = error.lineno if error.filename == path else None
    else:
        detail = str(error).strip().splitlines()
        said = f"{type(error).__name__}: {detail[0]}" if detail else type(error).__name__
        # The binding's innermost line: where it raised, or where it called what raised.
        lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == path]
        line = lines[-1] if lines else None
    where = f" in {shown} line {line}" if line else ""
    what = f"raised {said}{where} {when}" if when else f"cannot be imported: {said}{where}"
    return f"the exercise's binding {shown} {what}: {_BINDING_FAULT}"


class CompiledRunner(Runner):
    """C and Fortran: compiled (confined) into a shared library in the grader (the build is in
    :class:`grader.student._languages.CompiledLanguage`), loaded with ``ctypes`` in the worker, called through
    the exercise's binding (``bind(library, language)`` returns the functions)."""

    def __init__(self, language: str, extensions: tuple[str, ...]) -> None:
        self.language = language
        self.extensions = extensions
        # Fortran's arrays (and the labels and classes that index them) count from 1: its binding adds 1 to
        # what it passes and takes 1 from what it returns.
        self.index_base = 1 if language == "fortran" else 0
        self._binding: Any = None
        self._libc: Any = None
        self._copies = 0  # the copies of the library loaded for a fresh state (see fresh)

    #: A compiled call raises only in the trusted binding, whose Python traceback is none of the student's.
    shows_traceback = False

    def describe_raised(self, function: str, type_name: str, message: str) -> str:
        # The binding words its exceptions in the language's terms (an array written past its end, a status
        # returned); their Python class names would mean nothing to a C or Fortran student.
        if not message:
            return f"{function} failed"
        # A message that begins with the function's name ("train wrote past the end of...") is not prefixed again.
        return message if message.startswith(f"{function} ") else f"{function}: {message}"

    def describe_missing(self, function: str) -> Optional[str]:
        # The library exports no such symbol: a misspelt name, a whole program handed in for the functions, or a
        # Fortran procedure without the C name the binding looks for.
        if self.language == "fortran":
            return (f"{function}: your code defines no procedure {function} callable from C: check its name and "
                    f'that it is declared with bind(C, name="{function}") as in the skeleton')
        return f"{function}: your code defines no function {function}: check its name (as in the skeleton)"

    def speak(self, text: str) -> str:
        from grader.wire import RNG_TEXT

        # The binding hands the compiled code the generator's seed, not a numpy Generator.
        text = RNG_TEXT.sub(lambda found: "seed" if found[1] == "seed" else f"seed {found[1]}", text)
        # An element of an array named with its indices (``w[1, 0]``): Fortran's w(2, 1), C's w[1][0].
        return _ELEMENT.sub(self._element, text)

    def _element(self, found: re.Match) -> str:
        indices = [int(index) for index in found[2].split(",")]
        if self.language == "fortran":
            return f"{found[1]}({', '.join(str(index + 1) for index in indices)})"
        return found[1] + "".join(f"[{index}]" for index in indices)

    def raised_by_exercise(self, mro: tuple[str, ...]) -> bool:
        # Compiled code raises nothing: the binding raises, and says what the student's code did with the exceptions
        # of _BINDING_VERDICTS; any other (a TypeError, a NameError...) is a fault of the binding itself.
        return not any(name in _BINDING_VERDICTS for name in mro)

    def describe_signal(self, name: str, where: str = "") -> str:
        hint = (_FORTRAN_SIGNAL_HINTS if self.language == "fortran" else {}).get(name) or _SIGNAL_HINTS.get(name)
        return f"{name}{where} ({hint})" if hint else name + where

    def explain_death(self, output: str) -> Optional[str]:
        if self.language != "fortran":
            return None
        tail = output[-20000:]
        matches = list(_FORTRAN_ERROR.finditer(tail))
        if matches:
            line, file, message = matches[-1].groups()
            return f"Fortran runtime error at line {line} of {os.path.basename(file)}: {message.strip()}"
        allocations = list(_FORTRAN_ALLOCATION.finditer(tail))
        if allocations:
            file, line, message = allocations[-1].groups()
            return (f"Fortran runtime error around line {line} of {os.path.basename(file)}: {message.strip()} "
                    "(more than the memory limit)")
        # Without a line: a runtime error of an intrinsic (EXECUTE_COMMAND_LINE...), or the code's own error stop.
        unplaced = list(_FORTRAN_UNPLACED.finditer(tail))
        if unplaced:
            return f"Fortran runtime error: {unplaced[-1].group(1).strip()}"
        stops = list(_FORTRAN_ERROR_STOP.finditer(tail))
        if stops:
            said = stops[-1].group(1).strip()
            return f"ERROR STOP{f' ({said})' if said else ''}: an error stop statement of your code ended the program"
        return None

    def prepare(self, settings: dict[str, Any]) -> None:
        import ctypes
        import importlib.util

        path = str(settings["binding"])
        shown = str(settings.get("binding_shown") or os.path.basename(path))
        spec = importlib.util.spec_from_file_location("_exercise_binding", path)
        if spec is None or spec.loader is None:
            raise ExerciseLoadError(f"the exercise's binding {shown} cannot be imported: {_BINDING_FAULT}")
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as error:  # whatever the binding raises is its own fault: the student's code is not run yet
            raise ExerciseLoadError(binding_error(shown, path, error)) from None
        self._binding = module
        self._libc = ctypes.CDLL(None)
        # The Fortran runtime reads these when the library is loaded: unbuffered output (nothing lost in a
        # crash), and a runtime error without a backtrace of addresses.
        os.environ["GFORTRAN_UNBUFFERED_ALL"] = "1"
        os.environ["GFORTRAN_ERROR_BACKTRACE"] = "0"
        from grader.student._compiled import print_aside_in

        print_aside_in(os.path.abspath(str(settings["folder"])))
        # The grader's crash handler (trusted, built by the grader), which tells the line of a crash: before the
        # student's library is loaded, and before confinement (it loads the unwinder).
        crash_frames = settings.get("crash_frames")
        if crash_frames:
            try:
                ctypes.CDLL(os.path.abspath(str(crash_frames))).grader_crash_frames_install()
            except (OSError, AttributeError):
                pass  # no line in a crash's verdict, nothing else lost

    def load(self, settings: dict[str, Any]) -> Any:
        import ctypes

        path = os.path.join(str(settings["folder"]), str(settings["library"]))
        try:
            library = ctypes.CDLL(path)
        except OSError as error:
            reason = str(error).replace(os.path.dirname(path) + os.sep, "")
            missing = re.search(r"undefined symbol: (\w+)", reason)
            if missing:
                # Only the student's file is compiled (with the headers it includes): a function it declares but
                # defines in another source file is missing when the library is loaded.
                raise StudentLoadError(
                    f"the compiled {settings['module']} cannot be loaded: it uses {missing.group(1)}, which it does "
                    "not define. Only your file is compiled (with the headers it includes): a function defined in "
                    "another source file is not part of the build; put it in your file (or check its name's "
                    "spelling).") from None
            raise StudentLoadError(f"the compiled {settings['module']} cannot be loaded ({reason})") from None
        return self._bind(library, settings)

    def fresh(self, settings: dict[str, Any], loaded: Any) -> Any:
        # A library already loaded is not loaded again by its name: a copy under another name is, with its own
        # static (C) and saved (Fortran) variables as the build left them.
        import ctypes
        import shutil

        self._copies += 1
        library = str(settings["library"])
        folder = str(settings["folder"])
        # Under the same file name, which a crash's frames are told by (see grader.student._crash_lines).
        place = os.path.join(folder, f".fresh{self._copies}")
        os.mkdir(place)
        copy = os.path.join(place, os.path.basename(library))
        try:
            shutil.copyfile(os.path.join(folder, library), copy)
            return self._bind(ctypes.CDLL(copy), settings)
        finally:  # the loaded copy stays mapped
            if os.path.exists(copy):
                os.unlink(copy)
            os.rmdir(place)

    def _bind(self, library: Any, settings: dict[str, Any]) -> Any:
        """The contract's functions, from the binding's ``bind``: what it raises is its own fault, but for the
        exceptions by which a binding says what the student's compiled code did."""
        try:
            return self._binding.bind(library, self.language)
        except Exception as error:
            if not self.raised_by_exercise(tuple(kind.__name__ for kind in type(error).__mro__)):
                raise StudentLoadError(f"the compiled {settings['module']} cannot be loaded: {error}") from None
            path = str(settings["binding"])
            shown = str(settings.get("binding_shown") or os.path.basename(path))
            raise ExerciseLoadError(binding_error(shown, path, error, when=f"when it bound the compiled "
                                                  f"{settings['module']}")) from None

    def after_call(self) -> None:
        if self._libc is not None:
            self._libc.fflush(None)


EXTENSIONS = {"python": (".py", ".ipynb"), "c": (".c",), "fortran": (".f90", ".f95", ".f03", ".f08", ".f", ".for", ".ftn")}


def worker_runner(language: str) -> Runner:
    """The worker's side of the runner of ``language``: what it needs to load and call (no build step, which
    runs in the grader: see :func:`grader.student._languages.runner_for`)."""
    if language == "python":
        return PythonRunner()
    if language in ("c", "fortran"):
        return CompiledRunner(language, EXTENSIONS[language])
    raise ValueError(f"no runner for language {language!r} (known: {', '.join(EXTENSIONS)})")

