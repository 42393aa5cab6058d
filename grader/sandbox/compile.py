"""Compiling untrusted C or Fortran source, confined like the code it builds.

:func:`compile_source` copies nothing it is not given: it runs the compiler in
``folder`` (which must hold the source) inside a process that first applies the
worker's confinement (:func:`grader.sandbox._confine.confine`): resource limits,
no network, an unprivileged user, the seccomp filter, and Landlock rules that
let it read only the toolchain and ``folder`` and write only ``folder``.  So an
``#include "/etc/passwd"``, an ``include`` of the reference or an ``.incbin`` of
a course file fails to compile, and the compiler's messages can show nothing
outside the submission but the toolchain's own headers.  A time limit ends a
compilation that never finishes, with everything it started.

The compiler is given a copy of the source and of the files of its own folder
that it includes by their bare name (:func:`local_includes`: ``#include "util.h"``,
Fortran's ``include 'util.inc'``, and what those include in turn), as a compiler at
home finds them next to it: regular files only, never a link, nothing from another
folder.  Nothing else of the student's folder is compiled: a function of another
``.c`` file, or a Fortran module (``.mod``, a compiled file) of another source, is
not part of the build (:func:`one_file_hint` says so when the compiler misses one, but not for a module the
file defines before using it: that one failed to compile, and the hint points to the first error instead).

Messages name files relative to ``folder`` (the compiler runs there on the bare
file name, and any remaining absolute mention of ``folder`` is removed).  The
result is plain data: whether it built, the errors, the warnings (advice for the
student, never scored), and where the artifact (a shared library or an
executable) is.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import re
import stat
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional

from grader import _atomic
from grader._cache import cache_enabled, cache_folder
from grader.sandbox import _tree

__all__ = ["CompileResult", "CompilerNotFound", "LANGUAGES", "Toolchain", "compile_source", "find_compiler",
           "compiler_version", "artifact_name", "self_test", "local_includes", "one_file_hint"]

_COMPILE_MAIN = Path(__file__).resolve().parent / "_compile_main.py"
#: What is kept of the compiler's messages.
_MESSAGE_LIMIT = 64 * 1024
#: A file included by name: C's (and preprocessed Fortran's) ``#include "name"``, Fortran's ``include 'name'``.
_INCLUDE = re.compile(r"""^[ \t]*(?:#[ \t]*include[ \t]*"([^"\n]+)"|include[ \t]*(['"])([^'"\n]+)\2)""",
                      re.IGNORECASE | re.MULTILINE)
#: At most this many included files are copied, each of at most this many bytes (a header, not a data set).
_INCLUDES = 32
_INCLUDE_BYTES = 4 * 1024 * 1024
_TOOLCHAIN_FOLDERS = ("/usr/bin", "/bin", "/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/libexec",
                      "/usr/include", "/usr/local/include", "/usr/local/lib", "/usr/local/bin")


@dataclass(frozen=True)
class Toolchain:
    """How one language is compiled: the compiler and its flags (``{source}`` and ``{output}`` filled in)."""

    language: str
    compiler: str
    common: tuple[str, ...]
    shared: tuple[str, ...]
    executable: tuple[str, ...]
    libraries: tuple[str, ...]
    suffixes: tuple[str, ...]
    install: str  # what to install, in words, when the compiler is missing
    #: Flags placed right before the source: gcc reads ``prog.C`` as C++ unless told the language (gfortran's
    #: suffixes are left to mean what they mean at home: ``.F90``, ``.F`` preprocessed first, ``.f`` fixed form).
    source_flags: tuple[str, ...] = ()


#: A shared library's own calls go to its own functions (Linux's linker): a student's function named like one of
#: the C library (``step``, ``index``, ``random``) is the one their other functions call, as in an executable.
_OWN_CALLS = ("-Wl,-Bsymbolic",) if sys.platform.startswith("linux") else ()

LANGUAGES: dict[str, Toolchain] = {
    # C: the GNU dialect of C11, as a plain "gcc file.c" (the course's command) accepts it: typeof,
    # statement expressions, M_PI and the POSIX declarations of the C library compile as they do at home.
    "c": Toolchain(
        language="c", compiler="gcc",
        common=("-std=gnu11", "-O2", "-g", "-Wall", "-Wextra", "-fdiagnostics-color=never", "-fmax-errors=30"),
        shared=("-fPIC", "-shared", *_OWN_CALLS), executable=(), libraries=("-lm",), suffixes=(".c",),
        source_flags=("-x", "c"),
        install="C submissions need gcc: install it (Debian/Ubuntu: 'apt-get install gcc'; macOS: "
                "'xcode-select --install'; Windows: MSYS2's 'pacman -S mingw-w64-ucrt-x86_64-gcc' or WSL)"),
    "fortran": Toolchain(
        language="fortran", compiler="gfortran",
        common=("-O2", "-g", "-Wall", "-fcheck=bounds", "-fdiagnostics-color=never", "-fmax-errors=30"),
        shared=("-fPIC", "-shared", *_OWN_CALLS), executable=(), libraries=(),
        suffixes=(".f90", ".f95", ".f03", ".f08", ".f", ".for", ".ftn"),
        install="Fortran submissions need gfortran: install it (Debian/Ubuntu: 'apt-get install gfortran'; "
                "macOS: 'brew install gcc'; Windows: MSYS2's 'pacman -S mingw-w64-ucrt-x86_64-gcc-fortran' or WSL)"),
}


class CompilerNotFound(Exception):
    """The compiler a language needs is not installed; ``message`` says what to install."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CompileResult:
    """What came of one compilation.  ``diagnostics``: every message of the compiler (errors and warnings),
    paths relative to the source; ``warnings``: the same when it built (advice), else ""."""

    ok: bool
    diagnostics: str
    warnings: str
    artifact: Optional[Path]
    seconds: float
    command: tuple[str, ...]
    protections: dict[str, Any] = field(default_factory=dict)
    #: Why it failed, in one line, when the compiler did not simply report errors (time limit, crash...).
    failure: str = ""


def find_compiler(language: str) -> Optional[str]:
    """The full path of the compiler for ``language``, or None when it is not installed."""
    toolchain = _toolchain(language)
    return shutil.which(toolchain.compiler)


@lru_cache(maxsize=None)
def compiler_version(language: str) -> str:
    """The compiler's first ``--version`` line, or "" when it is missing."""
    compiler = find_compiler(language)
    if compiler is None:
        return ""
    try:
        done = subprocess.run([compiler, "--version"], capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return ""
    return (done.stdout.splitlines() or [""])[0].strip()


_SELF_TEST = {"c": "double twice(double x) { return 2 * x; }\n",
              "fortran": "function twice(x) result(y) bind(C, name='twice')\n  use iso_c_binding\n"
                         "  real(c_double), value :: x\n  real(c_double) :: y\n  y = 2 * x\nend function twice\n"}


def self_test(language: str) -> str:
    """One line for ``grader doctor``: the compiler of ``language``, its version, and a confined build."""
    toolchain = _toolchain(language)
    compiler = find_compiler(language)
    if compiler is None:
        return f"{language}: not found. {toolchain.install}"
    folder = Path(tempfile.mkdtemp(prefix="grader-doctor-", dir=_build_parent()))
    try:
        source = folder / f"probe{toolchain.suffixes[0]}"
        source.write_text(_SELF_TEST[language], encoding="utf-8")
        result = compile_source(source, language, folder / "out")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    built = (f"a confined build took {result.seconds:.2f} s" if result.ok
             else f"a confined build FAILED: {result.failure or result.diagnostics[:300]}")
    return f"{language}: {compiler} ({compiler_version(language) or 'version unknown'}); {built}"


def artifact_name(stem: str, output: str) -> str:
    """The file name of what is built from ``stem``: ``stem.so`` (``.dylib``, ``.dll``) or ``stem``.

    A stem that cannot name the artifact as it is gets its unusual characters replaced by ``_``: one that is not
    valid text (a Latin-1 name unpacked from an archive: the worker is told the artifact's name as text), one
    that starts with ``-`` (read as an option), and ``tmp``, the compiler's temporary folder beside it."""
    if not _plain_name(stem) or stem.startswith("-") or stem == "tmp":
        stem = re.sub(r"[^A-Za-z0-9_.]", "_", stem.encode("utf-8", "surrogateescape").decode("ascii", "replace"))
        stem = f"_{stem}" if stem in ("tmp", "") or stem.startswith(".") else stem
    if output == "shared":
        suffix = {"darwin": ".dylib", "win32": ".dll"}.get(sys.platform, ".so")
        return stem + suffix
    return stem + (".exe" if os.name == "nt" else "")


def _plain_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes of a file name, kept by Python as lone surrogates
        return False
    return name.isprintable()


def local_includes(source: Path, folder: Optional[Path] = None) -> dict[str, bytes]:
    """The files of ``source``'s own folder (or of ``folder``) that it includes by their bare name, and those they
    include in turn: name -> content, in the order found.

    What a compiler at home reads next to the file (``gcc prog.c`` finds ``#include "util.h"`` beside it):
    regular files only, opened without following a link (nothing outside the student's folder is read), named
    without a folder (``"../x.h"``, ``"sub/x.h"`` are not copied: the compiler then says it cannot find them);
    at most :data:`_INCLUDES` files of :data:`_INCLUDE_BYTES` bytes each.  A file that is not there is left to
    the compiler's own message.
    """
    source = Path(source)
    found: dict[str, bytes] = {}
    pending = [source.read_bytes()]
    while pending and len(found) < _INCLUDES:
        text = pending.pop(0).decode("latin-1")
        for match in _INCLUDE.finditer(text):
            name = match.group(1) or match.group(3)
            if name in found or name == source.name or len(found) >= _INCLUDES or not _bare(name):
                continue
            data = _read_regular((source.parent if folder is None else Path(folder)) / name)
            if data is not None:
                found[name] = data
                pending.append(data)
    return found


def _bare(name: str) -> bool:
    """A name without a folder, other than the build folder's own ``tmp``."""
    return name not in (".", "..", "tmp") and "/" not in name and "\\" not in name and "\0" not in name


def _read_regular(path: Path) -> Optional[bytes]:
    """The content of ``path`` if it is a regular file (not a link) of at most :data:`_INCLUDE_BYTES` bytes."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > _INCLUDE_BYTES:
            return None
        return handle.read(_INCLUDE_BYTES + 1)[:_INCLUDE_BYTES]


#: What a compiler says when it misses a file it was not given: an include (gcc and clang name the file; its
#: line, shown under the message, tells a quoted include from a system one), a Fortran module, another source's
#: function.
_MISSING_INCLUDE = re.compile(r"fatal error: '?([^'\n]+?)'?(?:: No such file or directory| file not found)")
_MISSING_FORTRAN_INCLUDE = re.compile(r"Can(?:no|')t open included file")
_MISSING_MODULE = re.compile(r"Cannot open module file [\u2018'`\"]?([\w$]+)\.mod")
#: A Fortran module's own statement (``module name`` alone on its line, not ``module procedure f`` or ``module
#: function f()``) and a ``use`` of a module (``use name``, ``use, intrinsic :: name``, ``use :: name, only: f``).
_MODULE_STATEMENT = r"^[ \t]*module[ \t]+{}[ \t]*(?:[!;].*)?\r?$"
_USE_STATEMENT = r"^[ \t]*use[ \t]*(?:,[ \t]*\w+[ \t]*)?(?:::)?[ \t]*{}\b"
_MISSING_FUNCTION = re.compile(r"undefined reference to")
#: gfortran's first error (not a warning), and the places it names (``file.f90:115:9:``).
_FIRST_ERROR = re.compile(r"^(?:Fatal )?Error:", re.MULTILINE)
_PLACE = re.compile(r"^[^\s:]+:(\d+):", re.MULTILINE)


#: Visual Studio's "secure" functions (fopen_s, scanf_s...), named in an implicit declaration or undefined reference.
_MICROSOFT = re.compile(r"\b((?:fopen|freopen|fscanf|scanf|sscanf|printf|fprintf|sprintf|snprintf|strcpy|strncpy|strcat"
                        r"|strncat|gets|strtok|memcpy|localtime|gmtime|ctime|getenv|qsort)_s)\b")


def one_file_hint(diagnostics: str, source: Optional[Path] = None) -> str:
    """A sentence for a build that missed a file of the student's folder, "" for any other failure.

    A Fortran module that ``source`` defines before its first use is not missing: it failed to compile, and
    gfortran's "Cannot open module file" only follows from the errors before it, so the sentence sends the
    student to the first error instead of to another file.
    """
    modules = _MISSING_MODULE.findall(diagnostics)
    text = _text(source) if modules else ""
    failed = [name for name in modules if _defined_before_use(name, text)]
    if failed:
        line = _first_error_line(diagnostics)
        return (f"Your module {failed[0]} did not compile, so the code that uses it cannot find it (\"Cannot "
                f"open module file\"): fix the first error{f' (line {line})' if line else ''}, the later ones "
                "may follow from it.")
    if modules:
        return ("Only your file is compiled: a Fortran module it uses must be in the same file, before the code "
                "that uses it (or check its name's spelling).")
    if _MISSING_FORTRAN_INCLUDE.search(diagnostics) or any(
            re.search(r'#\s*include\s*"' + re.escape(name) + '"', diagnostics)
            for name in _MISSING_INCLUDE.findall(diagnostics)):
        return ("Only your file is compiled, with the files of its own folder it includes by their name alone "
                "(#include \"util.h\", include 'util.inc'): a file in another folder is not given to the compiler; "
                "put it next to your file, or its content in your file.")
    microsoft = sorted(set(_MICROSOFT.findall(diagnostics)))
    if microsoft:
        return (f"{', '.join(microsoft)}: Microsoft's (Visual Studio's) own version{'s' if len(microsoft) > 1 else ''} "
                f"of standard C functions, which other compilers do not have: use "
                f"{', '.join(name[:-2] for name in microsoft)} (gcc and every C compiler have them).")
    if _MISSING_FUNCTION.search(diagnostics):
        return ("Only your file is compiled (with the headers it includes): a function defined in another source "
                "file is not part of the build; put it in your file (or check its name's spelling).")
    return ""


def _text(source: Optional[Path]) -> str:
    """The student's file as text ("" without one, or if it cannot be read: the hint then says what it says
    without it)."""
    try:
        return Path(source).read_bytes().decode("latin-1") if source is not None else ""
    except OSError:
        return ""


def _defined_before_use(module: str, text: str) -> bool:
    """Whether ``text`` has the statement of Fortran module ``module`` before any ``use`` of it (both case-
    insensitive, as Fortran names are)."""
    name = re.escape(module)
    defined = re.search(_MODULE_STATEMENT.format(name), text, re.IGNORECASE | re.MULTILINE)
    used = re.search(_USE_STATEMENT.format(name), text, re.IGNORECASE | re.MULTILINE)
    return defined is not None and (used is None or defined.start() < used.start())


def _first_error_line(diagnostics: str) -> str:
    """The line of the first error of ``diagnostics`` ("" if none is named): the place named last before it,
    as the warnings before it name theirs too."""
    error = _FIRST_ERROR.search(diagnostics)
    places = _PLACE.findall(diagnostics, 0, error.end()) if error else []
    return places[-1] if places else ""


def _toolchain(language: str) -> Toolchain:
    try:
        return LANGUAGES[language]
    except KeyError:
        raise ValueError(f"no compiler known for language {language!r} (known: {', '.join(LANGUAGES)})") from None


@lru_cache(maxsize=None)
def _search_folders(compiler: str) -> tuple[str, ...]:
    """The compiler's own install folder (``-print-search-dirs``), where its passes and specs live."""
    try:
        done = subprocess.run([compiler, "-print-search-dirs"], capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return ()
    for line in done.stdout.splitlines():
        if line.startswith("install:"):
            return (os.path.realpath(line.partition(":")[2].strip()),)
    return ()


def _toolchain_folders(compiler: str) -> list[str]:
    folders = {*_TOOLCHAIN_FOLDERS, os.path.dirname(compiler), os.path.dirname(os.path.realpath(compiler)),
               *_search_folders(compiler)}
    return sorted(folder for folder in folders if os.path.isdir(folder))


def _relative(text: str, folder: Path) -> str:
    for prefix in {str(folder), os.path.realpath(folder)}:
        text = text.replace(prefix.rstrip(os.sep) + os.sep, "").replace(prefix, ".")
    return text


#: What marks a source (or a file it includes) as using OpenMP: a C pragma or header, a Fortran sentinel (``!$omp``,
#: ``!$`` conditional lines, fixed form's ``c$omp``), ``omp_lib``, a call of the runtime (``omp_get_wtime``).
#: Without regard to case: Fortran's names are (``USE OMP_LIB``, ``OMP_GET_WTIME()``).
_OPENMP = re.compile(rb"#\s*pragma\s+omp|omp\.h|^[ \t]*!\$|^[c*]\$|\bomp_\w+", re.MULTILINE | re.IGNORECASE)


def _uses_openmp(*texts: bytes) -> bool:
    return any(_OPENMP.search(text) for text in texts)


def _command(toolchain: Toolchain, compiler: str, source: str, output: str, artifact: str,
             openmp: bool = False) -> list[str]:
    kind = toolchain.shared if output == "shared" else toolchain.executable
    common = list(toolchain.common)
    if "clang" in compiler_version(toolchain.language).lower():  # macOS's gcc is clang: its own error limit
        common = [flag if not flag.startswith("-fmax-errors=") else "-ferror-limit=" + flag.partition("=")[2]
                  for flag in common]
    elif openmp:
        # OpenMP, which the course allows (its pragmas, omp_lib, omp_get_wtime...), as "gcc -fopenmp" builds it;
        # the worker runs it on one thread (OMP_NUM_THREADS=1) unless the code asks for more.  Apple's clang
        # has no OpenMP runtime: there the pragmas are ignored, as without the flag.  Only for code that uses it:
        # gfortran's -fopenmp implies -frecursive, which puts every local array on the stack, and a large one
        # that the student's own build keeps in static memory would overflow it.
        common.append("-fopenmp")
    # A file name that starts with "-" would be read as an option.
    source = f".{os.sep}{source}" if source.startswith("-") else source
    return [compiler, *common, *kind, *toolchain.source_flags, source, "-o", artifact, *toolchain.libraries]


_grader_libraries: dict[Path, Optional[Path]] = {}


def grader_library(source: Path) -> Optional[Path]:
    """The shared library built from the grader's own C file ``source`` (Linux: a library the student's code runs
    with, see ``grader/student/*.c``), built once per process into a folder removed when the process ends, and
    kept in the build cache; None where it cannot be built (not Linux, no C compiler)."""
    if not sys.platform.startswith("linux"):
        return None
    if source not in _grader_libraries:
        folder = Path(tempfile.mkdtemp(prefix="grader-library-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        try:
            result = compile_source(source, "c", folder, output="shared")
            _grader_libraries[source] = result.artifact if result.ok else None
        except (CompilerNotFound, OSError, ValueError):
            _grader_libraries[source] = None
    path = _grader_libraries[source]
    return path if path is not None and path.is_file() else None


def compile_source(source: Path, language: str, folder: Path, *, output: str = "shared",
                   memory_mb: int = 1024, file_size_mb: int = 64, processes: int = 32, timeout: float = 30.0,
                   protected: Iterable[Path] = (), disable: Iterable[str] = ()) -> CompileResult:
    """Compile the file ``source`` into ``folder`` as a shared library or an executable.

    The compiler sees only a copy of ``source`` in a private build folder (messages name it by its bare file
    name), with copies of the files of its folder it includes (:func:`local_includes`); ``output`` is
    ``"shared"`` or ``"executable"``; the artifact, named by :func:`artifact_name` after the source's stem, is copied into ``folder`` (created if needed) and ``CompileResult.artifact`` is its
    path there.  ``protected`` paths must stay unreadable (they are never given to the compiler's rules);
    ``disable`` names protections to switch off (see :data:`grader.sandbox.SWITCHES`).  Raises
    :class:`CompilerNotFound` when the language's compiler is not installed, ``ValueError`` for an unknown
    language or output, ``FileNotFoundError`` when ``source`` is not in ``folder``.
    """
    if output not in ("shared", "executable"):
        raise ValueError(f"output must be 'shared' or 'executable', not {output!r}")
    toolchain = _toolchain(language)
    compiler = find_compiler(language)
    if compiler is None:
        raise CompilerNotFound(toolchain.install)
    folder = Path(folder).resolve()
    source = Path(source)
    if not source.is_file():
        raise FileNotFoundError(f"{source} not found")
    name = _build_name(source, toolchain)
    includes = {included: data for included, data in local_includes(source).items()
                if included != name and included != artifact_name(Path(name).stem, output)}
    text = source.read_bytes()
    openmp = _uses_openmp(text, *includes.values())
    key = _build_key(language, compiler, _command(toolchain, compiler, name, output,
                                                  artifact_name(Path(name).stem, output), openmp),
                     text, includes, disable)
    built = _builds().load(key, folder)
    if built is not None:
        return built
    # The compiler works in a private folder of its own (reachable by the unprivileged user it runs as),
    # holding only a copy of the source and of the files it includes; the artifact is then copied into ``folder``.
    build = Path(tempfile.mkdtemp(prefix="grader-build-", dir=_build_parent()))
    try:
        shutil.copyfile(source, build / name)
        for included, data in includes.items():
            (build / included).write_bytes(data)
        result = _compile_in(build, name, toolchain, compiler, output, memory_mb=memory_mb,
                             file_size_mb=file_size_mb, processes=processes, timeout=timeout,
                             protected=protected, disable=disable, openmp=openmp)
        if result.ok and result.artifact is not None:
            _builds().save(key, result)
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / result.artifact.name
            shutil.copyfile(result.artifact, target)
            target.chmod(0o755)
            result = replace(result, artifact=target)
        return result
    finally:
        shutil.rmtree(build, ignore_errors=True)


def _build_key(language: str, compiler: str, command: list[str], source: bytes, includes: dict[str, bytes],
               disable: Iterable[str]) -> str:
    """Everything that decides a build: the compiler (its path and version), its command, the source and the files
    it includes, and the protections switched off (the result reports the compiler's)."""
    digest = hashlib.sha256()
    parts = [language, compiler, compiler_version(language), json.dumps(command), json.dumps(sorted(set(disable)))]
    parts += [f"{name}:{hashlib.sha256(data).hexdigest()}" for name, data in sorted(includes.items())]
    for part in parts:
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(source)
    return digest.hexdigest()


class _BuildStore:
    """Successful builds kept in the user's cache folder (``builds/``), so that the same source is compiled once:
    a student's next ``grader check`` of an unchanged file, the tests of a suite.  Each entry is the artifact and
    the result (messages included: the report's advice is the same); an entry that cannot be read is ignored and
    the source compiled again.  Only the grader writes there: the compiler and the student's code, confined, can
    write only their own folders.  ``GRADER_NO_CACHE=1`` turns it off with the example cache."""

    def __init__(self, folder: Optional[Path]) -> None:
        self.folder = folder

    def load(self, key: str, into: Path) -> Optional[CompileResult]:
        if self.folder is None:
            return None
        entry = self.folder / key
        try:
            saved = json.loads((entry / "result.json").read_text(encoding="utf-8"))
            artifact = entry / str(saved["artifact"])
            if saved.get("key") != key or Path(saved["artifact"]).name != saved["artifact"] or not artifact.is_file():
                return None
            into.mkdir(parents=True, exist_ok=True)
            target = into / artifact.name
            shutil.copyfile(artifact, target)
            target.chmod(0o755)
            return CompileResult(ok=True, diagnostics=str(saved["diagnostics"]), warnings=str(saved["warnings"]),
                                 artifact=target, seconds=0.0, command=tuple(str(part) for part in saved["command"]),
                                 protections=dict(saved["protections"]), failure="")
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, key: str, result: CompileResult) -> None:
        if self.folder is None or result.artifact is None:
            return
        entry = self.folder / key
        document = {"key": key, "artifact": result.artifact.name, "diagnostics": result.diagnostics,
                    "warnings": result.warnings, "command": list(result.command), "protections": result.protections}
        try:
            entry.mkdir(parents=True, exist_ok=True)
            _atomic.write_bytes(entry / result.artifact.name, result.artifact.read_bytes())
            _atomic.write_text(entry / "result.json", json.dumps(document))  # last: the entry is whole once it is there
        except (OSError, TypeError, ValueError):
            pass


def _builds() -> _BuildStore:
    return _BuildStore(cache_folder() / "builds" if cache_enabled() else None)


def _build_name(source: Path, toolchain: Toolchain) -> str:
    """The name of the copy the compiler is given: the source's own when its suffix is one of the language's in any
    case (the case kept: messages name the student's file; see :attr:`Toolchain.source_flags`), else the stem with
    the language's usual suffix (the compiler tells the language from the suffix)."""
    if source.suffix.lower() in toolchain.suffixes:
        return source.name
    return source.stem + toolchain.suffixes[0]


def _build_parent() -> Optional[str]:
    """Where build folders go: the temporary folder, unless another user (the unprivileged one the compiler
    may run as) cannot reach it, then ``/tmp``."""
    folder = tempfile.gettempdir()
    if os.name != "posix":
        return folder
    path = Path(folder).resolve()
    for part in (path, *path.parents):
        try:
            if not part.stat().st_mode & 0o001:
                return "/tmp" if os.path.isdir("/tmp") else folder
        except OSError:
            return folder
    return folder


def _compile_in(folder: Path, name: str, toolchain: Toolchain, compiler: str, output: str, *, memory_mb: int,
                file_size_mb: int, processes: int, timeout: float, protected: Iterable[Path],
                disable: Iterable[str], openmp: bool = False) -> CompileResult:
    artifact = artifact_name(Path(name).stem, output)
    command = _command(toolchain, compiler, name, output, artifact, openmp)
    (folder / "tmp").mkdir(exist_ok=True)
    token = f"grader-compile-{uuid.uuid4().hex}"
    env = {"PATH": os.pathsep.join(dict.fromkeys([os.path.dirname(compiler), "/usr/bin", "/bin"])),
           "HOME": str(folder), "TMPDIR": str(folder / "tmp"), "LANG": "C", "LC_ALL": "C",
           "GRADER_WORKER": token}
    if os.name == "nt":
        env.update({name: os.environ[name] for name in ("SYSTEMROOT", "SYSTEMDRIVE", "WINDIR") if name in os.environ})
    cgroup, _ = _tree.create_cgroup(processes) if "cgroup" not in set(disable) else (None, "")
    report_read, report_write = os.pipe()
    settings = {
        "folder": str(folder), "command": command, "report_fd": report_write,
        "readable": _toolchain_folders(compiler), "readable_what": f"the {toolchain.compiler} toolchain",
        "protected": sorted(str(Path(path).resolve()) for path in protected),
        "disable": sorted(set(disable)),
        "limits": {"memory_mb": memory_mb, "file_size_mb": file_size_mb, "processes": processes},
        "cgroup": str(cgroup.path) if cgroup else "", "cgroup_pids": bool(cgroup and cgroup.pids_limit),
    }
    started = time.perf_counter()
    process = None
    try:
        process = subprocess.Popen(
            [sys.executable, "-I", "-B", str(_COMPILE_MAIN)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, pass_fds=(report_write,), cwd=folder, env=env,
            start_new_session=os.name == "posix")
        os.close(report_write)
        report_write = -1
        if cgroup is not None:
            try:
                cgroup.add(process.pid)
            except OSError:
                cgroup.remove()
                cgroup = None
        try:
            messages, _ = process.communicate(json.dumps(settings).encode("utf-8"), timeout=timeout)
            failure = ""
        except subprocess.TimeoutExpired:
            _tree.kill_tree(process, cgroup=cgroup, token=token)
            messages, _ = process.communicate()
            failure = f"the compiler did not finish within {timeout:g} s"
        with os.fdopen(report_read, "r", encoding="utf-8") as report:
            report_read = -1
            raw = report.read()
    finally:
        for fd in (report_read, report_write):
            if fd >= 0:
                os.close(fd)
        if process is not None:
            _tree.kill_tree(process, cgroup=cgroup, token=token)
        if cgroup is not None:
            cgroup.remove()
    seconds = time.perf_counter() - started
    try:
        protections = json.loads(raw) if raw else {}
    except ValueError:
        protections = {}
    text = _relative(messages[:_MESSAGE_LIMIT].decode("utf-8", "replace"), folder)
    if not protections and not failure:
        failure = "the confined compiler process failed to start"
    built = (folder / artifact).is_file()
    code = process.returncode if process is not None else -1
    if not failure and code != 0 and code is not None and code < 0:
        failure = f"the compiler was killed by signal {-code}"
    ok = not failure and code == 0 and built
    shown = [Path(command[0]).name, *command[1:]]
    return CompileResult(ok=ok, diagnostics=text.strip(), warnings=text.strip() if ok else "",
                         artifact=folder / artifact if ok else None, seconds=seconds, command=tuple(shown),
                         protections=protections, failure=failure)
