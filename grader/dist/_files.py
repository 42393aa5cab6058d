"""What both distributions are made of: the grader's own package, a course configuration, course files.

Everything here works on a plan — a mapping from a path inside the output to its
bytes and mode — so that the student repository and the Gradescope bundle are
built the same way, and checked for leaks before anything is written.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

import yaml

import grader
from grader.config import CourseConfig, ExerciseConfig
from grader.errors import ConfigError

__all__ = ["Plan", "FileEntry", "template", "package_files", "course_config_text", "pyproject_text",
           "relative", "select_exercises", "course_files", "exercise_packages", "compilers",
           "install_compilers"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
PACKAGE = Path(grader.__file__).resolve().parent
_SKIPPED_PARTS = {"__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache"}
# What the grader needs at run time when its installed metadata cannot be read.
_FALLBACK_DEPENDENCIES = ("numpy>=1.23", "hypothesis==6.155.2", "scipy>=1.9", "matplotlib>=3.6", "pyyaml>=6",
                          "click>=8.1", "nbformat>=5.7")


@dataclass(frozen=True)
class FileEntry:
    data: bytes
    executable: bool = False


class Plan(dict):
    """Output path (POSIX, relative) -> :class:`FileEntry`."""

    def add(self, path: str, data: bytes | str, *, executable: bool = False) -> None:
        self[path] = FileEntry(data.encode("utf-8") if isinstance(data, str) else data, executable)

    def add_file(self, path: str, source: Path) -> None:
        self.add(path, source.read_bytes(), executable=bool(source.stat().st_mode & 0o111))


def template(name: str, **values: str) -> str:
    """A file of ``templates/`` with each ``@@KEY@@`` replaced (``$`` and ``{}`` stay as they are for YAML/bash)."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    if "@@" in text:
        raise AssertionError(f"template {name}: placeholder left unfilled")
    return text


def package_files(exercise_packages: Optional[Iterable[str]] = None) -> Iterable[tuple[str, Path]]:
    """Every file of the grader package (no caches or compiled files), as (path inside the output, source).

    ``exercise_packages``: the packages of ``grader/exercises/`` to include, by name (see
    :func:`exercise_packages`); ``None``: all of them.  The others' checks and trusted implementations stay out.
    """
    kept = None if exercise_packages is None else set(exercise_packages)
    for path in sorted(PACKAGE.rglob("*")):
        relative_parts = path.relative_to(PACKAGE).parts
        if path.is_dir() or _SKIPPED_PARTS.intersection(relative_parts) or path.suffix in (".pyc", ".pyo"):
            continue
        if kept is not None and len(relative_parts) > 2 and relative_parts[0] == "exercises" \
                and relative_parts[1] not in kept:
            continue
        yield "/".join(("grader", *relative_parts)), path


_EXERCISE_PACKAGE = re.compile(r"grader\.exercises\.([A-Za-z_][A-Za-z0-9_]*)")


def _trusted_sources(exercise: ExerciseConfig, *, hidden: bool) -> list[str]:
    """What the grader imports for ``exercise``: check modules, its plugin or showcase, its bindings."""
    sources = list(exercise.checks + (exercise.hidden_checks if hidden else ()))
    sources += [item for item in (exercise.plugin, exercise.showcase) if item]
    sources += [language.binding for language in exercise.languages.values() if language.binding]
    return sources


def exercise_packages(exercises: Iterable[ExerciseConfig], *, hidden: bool) -> set[str]:
    """The packages of ``grader/exercises/`` that ``exercises`` use (dotted check modules, plugins, bindings,
    and the packages those name in turn)."""
    found: set[str] = set()
    todo = [match.group(1) for exercise in exercises for source in _trusted_sources(exercise, hidden=hidden)
            for match in [_EXERCISE_PACKAGE.match(source)] if match]
    while todo:
        name = todo.pop()
        if name in found or not (PACKAGE / "exercises" / name).is_dir():
            continue
        found.add(name)
        for path in (PACKAGE / "exercises" / name).rglob("*.py"):
            todo += _EXERCISE_PACKAGE.findall(path.read_text(encoding="utf-8"))
    return found


def course_files(exercise: ExerciseConfig, *, hidden: bool) -> list[Path]:
    """The trusted files of the course folder ``exercise`` needs: its check files (hidden ones with ``hidden``),
    its plugin and bindings when they live in the course folder, and the helper modules those import."""
    from grader._modules import course_modules, module_file

    files = []
    for source in _trusted_sources(exercise, hidden=hidden):
        if source.endswith(".py"):
            files.append(exercise.root / source)
        elif not (source == "grader" or source.startswith("grader.")):
            file = module_file(source, exercise.root)
            if file is None:
                raise ConfigError(f"exercise {exercise.id!r}: the module {source!r} is neither in the grader package "
                                  "nor in the course folder: move it into the course folder, or give its path "
                                  "relative to config.yaml")
            files.append(file)
    return course_modules(files, exercise.root)


def relative(config: CourseConfig, path: Path) -> str:
    """``path`` relative to the course root, as POSIX; the course's files must live inside it."""
    try:
        return Path(path).resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        raise ConfigError(f"{path} is outside the course folder {config.root}: move it inside to distribute it") \
            from None


def select_exercises(config: CourseConfig, wanted: Optional[Iterable[str]]) -> tuple[ExerciseConfig, ...]:
    ids = list(wanted or config.exercises)
    return tuple(config.exercise(exercise_id) for exercise_id in ids)


def compilers(exercises: Iterable[ExerciseConfig]) -> tuple[str, ...]:
    """The compilers grading ``exercises`` may need (``gcc``, ``gfortran``): those of their compiled languages
    (a whole program may be written in any language the grader compiles).  Each is also its Debian package."""
    from grader.sandbox.compile import LANGUAGES

    needed: dict[str, None] = {}
    for exercise in exercises:
        names = LANGUAGES if exercise.kind == "program" else exercise.languages
        for name in names:
            if name in LANGUAGES:
                needed[LANGUAGES[name].compiler] = None
    return tuple(needed)


#: The Debian packages that give a compiler (gcc links nothing without the C library's headers).
_DEBIAN_PACKAGES = {"gcc": "gcc libc6-dev"}


def install_compilers(names: Iterable[str], *, sudo: bool) -> str:
    """Shell lines installing (Debian, Ubuntu) those of the compilers ``names`` that are not on ``PATH``: a
    machine that has them all installs nothing."""
    names = tuple(names)
    if not names:
        return "true  # no compiled language"
    prefix = "sudo " if sudo else ""
    tests = "; ".join(f'command -v {name} >/dev/null || missing="$missing {_DEBIAN_PACKAGES.get(name, name)}"'
                      for name in names)
    return (f'missing=""; {tests}\n'
            f'if [ -n "$missing" ]; then {prefix}apt-get update && {prefix}DEBIAN_FRONTEND=noninteractive apt-get '
            'install -y --no-install-recommends $missing; fi')


def _shipped(exercise: ExerciseConfig) -> list[str]:
    """SHA-256 digests of the skeletons of ``exercise`` in each of its languages, as handed out."""
    from grader.sources import module_names

    return sorted({hashlib.sha256(Path(skeleton).read_bytes()).hexdigest()
                   for _, _, skeleton in module_names(exercise) if Path(skeleton).is_file()})


def course_config_text(config: CourseConfig, exercises: Iterable[ExerciseConfig], *, hidden: bool, note: str,
                       skeletons: Optional[Mapping[str, str]] = None) -> str:
    """``config.yaml`` for a distribution: the chosen exercises; without ``hidden``, no hidden check at all;
    ``skeletons`` (exercise id -> path) replaces the skeleton of those exercises (a starter notebook).

    Unknown keys are kept, so settings added to the configuration later travel with it; the
    reference solution is never named, since it is never shipped.  ``shipped`` lists the digests of the
    skeletons handed out, so that a file left as it was is never taken for the student's work.
    """
    raw = yaml.safe_load(config.path.read_text(encoding="utf-8"))
    out: dict[str, Any] = {key: value for key, value in raw.items() if key != "exercises"}
    out["exercises"] = {}
    by_id = {str(key): value for key, value in raw["exercises"].items()}  # as load_config reads the ids
    for exercise in exercises:
        entry = {key: value for key, value in by_id[exercise.id].items() if key != "reference"}
        if isinstance(entry.get("languages"), dict):  # nor the reference of any other language
            entry["languages"] = {name: {key: value for key, value in language.items() if key != "reference"}
                                  if isinstance(language, dict) else language
                                  for name, language in entry["languages"].items()}
        if not hidden:
            entry.pop("hidden_checks", None)
            entry["points"] = {check_id: value for check_id, value in entry["points"].items()
                               if not exercise.points[str(check_id)].hidden}
        if skeletons and exercise.id in skeletons:
            entry["skeleton"] = skeletons[exercise.id]
        entry["shipped"] = _shipped(exercise)
        out["exercises"][exercise.id] = entry
    header = "".join(f"# {line}\n" if line else "#\n" for line in note.splitlines())
    return header + "\n" + yaml.safe_dump(out, sort_keys=False, allow_unicode=True, default_flow_style=False)


def _dependencies() -> list[str]:
    try:
        requirements = importlib.metadata.requires("grader") or []
    except importlib.metadata.PackageNotFoundError:
        return list(_FALLBACK_DEPENDENCIES)
    return [requirement for requirement in requirements if "extra ==" not in requirement] or \
        list(_FALLBACK_DEPENDENCIES)


def pyproject_text(description: str) -> str:
    """``pyproject.toml`` that installs the copied grader package and what it needs."""
    dependencies = "".join(f'    "{requirement}",\n' for requirement in _dependencies())
    return (
        "[build-system]\n"
        'requires = ["setuptools>=64"]\n'
        'build-backend = "setuptools.build_meta"\n\n'
        "[project]\n"
        'name = "grader"\n'
        f'version = "{grader.__version__}"\n'
        f'description = "{description}"\n'
        'requires-python = ">=3.10"\n'
        f"dependencies = [\n{dependencies}]\n\n"
        "[project.scripts]\n"
        'grader = "grader._command:run"\n\n'
        "[tool.setuptools.packages.find]\n"
        'include = ["grader*"]\n\n'
        "[tool.setuptools.package-data]\n"
        '"*" = ["*", "**/*"]\n'
    )
