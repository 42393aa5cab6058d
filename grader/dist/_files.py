"""What both distributions are made of: the grader's own package, a course configuration, course files.

Everything here works on a plan — a mapping from a path inside the output to its
bytes and mode — so that the student repository and the Gradescope bundle are
built the same way, and checked for leaks before anything is written.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional

import yaml

import grader
from grader.config import CourseConfig, ExerciseConfig
from grader.errors import ConfigError

__all__ = ["Plan", "FileEntry", "template", "package_files", "course_config_text", "pyproject_text",
           "relative", "select_exercises", "check_sources", "compilers", "install_compilers"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
PACKAGE = Path(grader.__file__).resolve().parent
_SKIPPED_PARTS = {"__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache"}
# What the grader needs at run time when its installed metadata cannot be read.
_FALLBACK_DEPENDENCIES = ("numpy>=1.23", "hypothesis==6.155.2", "scipy>=1.9", "matplotlib>=3.6", "pyyaml>=6",
                          "click>=8.1")


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


def package_files() -> Iterable[tuple[str, Path]]:
    """Every file of the grader package (no caches or compiled files), as (path inside the output, source)."""
    for path in sorted(PACKAGE.rglob("*")):
        relative_parts = path.relative_to(PACKAGE).parts
        if path.is_dir() or _SKIPPED_PARTS.intersection(relative_parts) or path.suffix in (".pyc", ".pyo"):
            continue
        yield "/".join(("grader", *relative_parts)), path


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


def check_sources(exercise: ExerciseConfig, *, hidden: bool) -> list[str]:
    """Check files (relative paths) the exercise needs; dotted sources must live in the grader package."""
    files = []
    for source in exercise.checks + (exercise.hidden_checks if hidden else ()):
        if source.endswith(".py"):
            files.append(source)
        elif not (source == "grader" or source.startswith("grader.")):
            raise ConfigError(f"exercise {exercise.id!r}: check module {source!r} is neither inside the grader "
                              "package nor a .py file of the course: give its path relative to config.yaml")
    return files


def _shipped(exercise: ExerciseConfig) -> list[str]:
    """SHA-256 digests of the skeletons of ``exercise`` in each of its languages, as handed out."""
    from grader.sources import module_names

    return sorted({hashlib.sha256(Path(skeleton).read_bytes()).hexdigest()
                   for _, _, skeleton in module_names(exercise) if Path(skeleton).is_file()})


def course_config_text(config: CourseConfig, exercises: Iterable[ExerciseConfig], *, hidden: bool, note: str) -> str:
    """``config.yaml`` for a distribution: the chosen exercises; without ``hidden``, no hidden check at all.

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
        'grader = "grader.cli:main"\n\n'
        "[tool.setuptools.packages.find]\n"
        'include = ["grader*"]\n\n'
        "[tool.setuptools.package-data]\n"
        '"*" = ["*", "**/*"]\n'
    )
