"""The course configuration, ``config.yaml``: exercises, their checks' points, and limits.

A check's entry is either its points (a public check) or ``{points: N, hidden: true}``.
An exercise's ``precision`` (default ``double``) says which floating-point arithmetic its checks accept.
Paths are relative to the folder of ``config.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, Mapping, Optional, Sequence, get_args

import yaml

from grader.errors import ConfigError

__all__ = ["CONFIG_NAME", "PRECISIONS", "Precision", "Limits", "CheckSpec", "Language", "ExerciseConfig",
           "CourseConfig", "find_config", "load_config"]

CONFIG_NAME = "config.yaml"

#: Calls of the student's code spent shrinking a failure when ``config.yaml`` does not say (``shrink_calls``).
DEFAULT_SHRINK_CALLS = 400

#: The arithmetic an exercise accepts, whatever the language: ``double`` (IEEE binary64 throughout) or
#: ``single-or-double`` (results computed in binary32, e.g. C ``float``, Fortran default ``real`` or numpy
#: ``float32``, are as correct as double ones; tolerances are then derived from single-precision error bounds).
Precision = Literal["double", "single-or-double"]
PRECISIONS: tuple[str, ...] = get_args(Precision)


@dataclass(frozen=True)
class Limits:
    """What student code may use.  Times in seconds, sizes in MiB, output in KiB.

    ``call_timeout`` is the ceiling for one call (runaway code is stopped there: "timed out").  Below it, a
    call is judged against the reference's time for the same call, measured on the same machine in the same
    run: it may take ``reference_factor`` times as long, and at least ``reference_floor`` seconds whatever
    the reference takes; slower, it is "too slow" (see :mod:`grader.student._pace`).
    """

    call_timeout: float = 10.0
    reference_factor: float = 50.0
    reference_floor: float = 1.0
    total_timeout: float = 600.0
    memory_mb: int = 1024
    file_size_mb: int = 64
    processes: int = 32
    output_kb: int = 64
    grader_memory_mb: int = 2048


@dataclass(frozen=True)
class CheckSpec:
    points: float
    hidden: bool = False


#: Languages a submission may be written in, and the extensions that name them (a Jupyter notebook is Python;
#: Fortran's ``.f``, ``.for`` and ``.ftn`` are fixed form, as gfortran reads them).
LANGUAGE_EXTENSIONS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "python": (".py", ".ipynb"), "c": (".c",), "fortran": (".f90", ".f95", ".f03", ".f08", ".f", ".for", ".ftn"),
})
#: The Fortran extensions of fixed-form source (in either case; upper case is preprocessed first).
FORTRAN_FIXED_FORM = (".f", ".for", ".ftn")


@dataclass(frozen=True)
class Language:
    """One language an exercise accepts: the submission's file name, the skeleton, the reference solution and,
    for compiled languages, the binding (a trusted Python file that calls the library through the C ABI)."""

    name: str
    module: str
    skeleton: Path
    reference: Optional[Path] = None
    #: Dotted module name, or a ``.py`` path relative to ``config.yaml`` (see :meth:`ExerciseConfig.binding_file`).
    binding: Optional[str] = None


@dataclass(frozen=True)
class ExerciseConfig:
    id: str
    title: str
    module: str
    skeleton: Path
    reference: Optional[Path]
    checks: tuple[str, ...]
    hidden_checks: tuple[str, ...]
    data: tuple[Path, ...]
    points: Mapping[str, CheckSpec]
    root: Path = field(repr=False, default=Path("."))
    #: Dotted name of a module whose ``run(student, exercise, *, seed)`` runs the student's code on the
    #: course data for the reports' visualisation (see :mod:`grader.showcase`); ``None`` when there is none.
    #: Superseded by ``plugin``, whose ``run_showcase`` does the same.
    showcase: Optional[str] = None
    #: The floating-point arithmetic the checks accept (``precision:`` in config.yaml; see :data:`Precision`).
    precision: Precision = "double"
    #: ``module`` (the student writes functions, imported and called) or ``program`` (the student writes a
    #: whole program, run as a process: a Python script, or C or Fortran compiled by the grader).
    kind: str = "module"
    #: Dotted name of the module whose ``plugin`` object draws and describes the exercise (see
    #: :mod:`grader.plugin`); ``None``: the default plugin (no figures, no showcase).
    plugin: Optional[str] = None
    #: The language of ``module`` and ``skeleton`` (the exercise's first language).
    language: str = "python"
    #: Every language the exercise accepts, by name (``python`` from ``module``/``skeleton``/``reference``,
    #: others from the ``languages`` section); see :meth:`for_language`.
    languages: Mapping[str, Language] = field(default_factory=dict, repr=False)
    #: The binding of a compiled language (set by :meth:`for_language`), else ``None``.
    binding: Optional[str] = None
    #: SHA-256 digests of the skeletons as handed out (``shipped:`` in config.yaml, written by ``grader dist``):
    #: a file still identical to one of them is untouched, whatever it says (see :mod:`grader.sources`).
    shipped: tuple[str, ...] = ()
    #: The functions the exercise's checks call, when its checks are loaded (set when grading; not read from
    #: config.yaml): what a submission must make, however it makes them (see :func:`grader.sources.graded_functions`).
    functions: tuple[str, ...] = ()

    def binding_file(self) -> Optional[Path]:
        """The file of :attr:`binding` (a ``.py`` path relative to ``config.yaml`` or a dotted module name)."""
        if self.binding is None:
            return None
        if self.binding.endswith(".py"):
            return self.root / self.binding
        import importlib.util

        try:
            spec = importlib.util.find_spec(self.binding)
        except ImportError:
            spec = None
        if spec is None or not spec.origin:
            raise ConfigError(f"exercise {self.id!r}: the binding module {self.binding!r} cannot be found")
        return Path(spec.origin)

    def language_of(self, path: Path) -> str:
        """The language a submission file is written in, from its extension (the exercise's own file names
        first; an unknown extension means the exercise's first language); raises ``ConfigError`` for a
        language the exercise does not offer."""
        name = Path(path).name
        if self.kind == "program":  # a whole program: any language the grader runs, from the suffix
            suffix, inner = Path(path).suffix.lower(), Path(Path(path).stem).suffix.lower()
            for tried in (suffix, inner):  # a suffix added to the language's ("program.c.txt"): the inner
                for other, suffixes in LANGUAGE_EXTENSIONS.items():
                    if tried in suffixes:
                        return other
            return self.language
        for language in self.languages.values():
            if name == language.module:
                return language.name
        suffix = Path(path).suffix.lower()
        for language in self.languages.values():
            if suffix in LANGUAGE_EXTENSIONS.get(language.name, (Path(language.module).suffix,)):
                return language.name
        for other, suffixes in LANGUAGE_EXTENSIONS.items():
            if suffix in suffixes:
                accepted = ", ".join(language.module for language in self.languages.values())
                raise ConfigError(f"{name}: exercise {self.id!r} is not offered in {other} (it accepts "
                                  f"{accepted})")
        inner = Path(Path(path).stem).suffix.lower()
        if inner and suffix not in {"", *(s for suffixes in LANGUAGE_EXTENSIONS.values() for s in suffixes)}:
            # A file saved with an extension added (Windows hides them: "solution.c.txt"): the language of the one
            # before it, when the exercise is offered in it.
            for language in self.languages.values():
                if inner in LANGUAGE_EXTENSIONS.get(language.name, (Path(language.module).suffix,)):
                    return language.name
        return self.language  # an unknown extension: the exercise's own language

    def for_language(self, name: str) -> "ExerciseConfig":
        """This exercise as seen by a submission in language ``name``: its module and skeleton, its binding.

        ``reference`` stays the Python reference (hidden checks compare with trusted Python code).
        A program exercise runs every language as it is: only ``language`` changes."""
        if self.kind == "program" and name not in self.languages:
            return replace(self, language=name)
        try:
            language = self.languages[name]
        except KeyError:
            known = ", ".join(self.languages) or "none"
            raise ConfigError(f"exercise {self.id!r} is not offered in {name!r} (offered in: {known})") from None
        return replace(self, module=language.module, skeleton=language.skeleton, language=name,
                       binding=language.binding)

    @property
    def max_score(self) -> float:
        return float(sum(spec.points for spec in self.points.values()))

    @property
    def public_max_score(self) -> float:
        return float(sum(spec.points for spec in self.points.values() if not spec.hidden))


@dataclass(frozen=True)
class CourseConfig:
    path: Path
    seed: int
    max_examples: int
    limits: Limits
    exercises: Mapping[str, ExerciseConfig]
    #: Calls of the student's code spent shrinking a failing example to a smaller one; 0 reports the first
    #: failing example found.  Which checks pass or fail never depends on it, only how small the shown
    #: counterexamples are.
    shrink_calls: int = DEFAULT_SHRINK_CALLS

    @property
    def root(self) -> Path:
        return self.path.parent

    def exercise(self, exercise_id: str) -> ExerciseConfig:
        try:
            return self.exercises[exercise_id]
        except KeyError:
            known = ", ".join(sorted(self.exercises)) or "none"
            raise ConfigError(f"no exercise named {exercise_id!r} in {self.path} (known: {known})") from None


def find_config(start: Optional[Path] = None) -> Path:
    """The nearest ``config.yaml`` in ``start`` (default: the current folder) or a folder above it."""
    folder = Path(start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG_NAME).is_file():
            return candidate / CONFIG_NAME
    raise ConfigError(
        f"no {CONFIG_NAME} found in {folder} or any folder above it: "
        "run the command inside the course repository, or pass --config PATH"
    )


def _require(mapping: Mapping[str, Any], key: str, where: str, kind: type) -> Any:
    if key not in mapping:
        raise ConfigError(f"{where}: missing required key {key!r}")
    value = mapping[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ConfigError(f"{where}: {key!r} must be a {kind.__name__}, got {value!r}")
    return value


def _as_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ConfigError(f"{where}: expected a string or a list of strings, got {value!r}")


def _limits(raw: Any, where: str) -> Limits:
    if raw is None:
        return Limits()
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: 'limits' must be a mapping")
    known = {f.name: f.type for f in fields(Limits)}
    unknown = set(raw) - set(known)
    if unknown:
        raise ConfigError(f"{where}: unknown limits {sorted(unknown)} (known: {sorted(known)})")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ConfigError(f"{where}: limit {key!r} must be a positive number, got {value!r}")
        values[key] = float(value) if known[key] in (float, "float") else int(value)
    return Limits(**values)


def _check_specs(raw: Any, where: str) -> Mapping[str, CheckSpec]:
    if not isinstance(raw, dict) or not raw:
        raise ConfigError(f"{where}: 'points' must map each check id to its points")
    specs = {}
    for check_id, value in raw.items():
        if "." not in str(check_id):
            raise ConfigError(f"{where}: check id {check_id!r} must start with its function and a dot")
        if isinstance(value, dict):
            points = value.get("points")
            hidden = value.get("hidden", False)
        else:
            points, hidden = value, False
        if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
            raise ConfigError(f"{where}: points of {check_id!r} must be a number >= 0, got {points!r}")
        if not isinstance(hidden, bool):
            raise ConfigError(f"{where}: 'hidden' of {check_id!r} must be true or false")
        specs[str(check_id)] = CheckSpec(float(points), hidden)
    return MappingProxyType(specs)


def _optional_str(mapping: Mapping[str, Any], key: str, where: str) -> Optional[str]:
    value = mapping.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{where}: {key!r} must be a string, got {value!r}")
    return value


def _precision(raw: Mapping[str, Any], where: str) -> Precision:
    value = raw.get("precision", "double")
    if value not in PRECISIONS:
        raise ConfigError(f"{where}: 'precision' must be one of {', '.join(PRECISIONS)}, got {value!r}")
    return value  # type: ignore[no-any-return]


def _kind(raw: Mapping[str, Any], where: str) -> str:
    kind = raw.get("kind", "module")
    if kind not in ("module", "program"):
        raise ConfigError(f"{where}: 'kind' must be 'module' (functions) or 'program' (a whole program), "
                          f"got {kind!r}")
    return str(kind)


#: The settings each level of config.yaml knows (a key close to one of them is taken for a misspelling of it).
_COURSE_KEYS = ("seed", "max_examples", "shrink_calls", "limits", "exercises")
_EXERCISE_KEYS = ("module", "skeleton", "reference", "languages", "title", "checks", "hidden_checks", "data",
                  "points", "showcase", "precision", "plugin", "kind", "shipped")
_LANGUAGE_KEYS = ("module", "skeleton", "reference", "binding")


def _misspelled(raw: dict, known: Sequence[str], where: str) -> None:
    """Refuse a key that is not a setting but looks like one (``max_exmples``): read as written, it would be
    ignored, and the setting silently keep its default.  Keys like none are left alone (a later version's
    settings travel with a configuration)."""
    import difflib

    for key in raw:
        if str(key) not in known:
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.75)
            if close:
                raise ConfigError(f"{where}: unknown setting {str(key)!r}: did you mean {close[0]!r}?")


def _exercise(exercise_id: str, raw: Any, root: Path) -> ExerciseConfig:
    where = f"exercise {exercise_id!r}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping of settings")
    _misspelled(raw, _EXERCISE_KEYS, where)
    reference = raw.get("reference")
    module = _require(raw, "module", where, str)
    skeleton = root / _require(raw, "skeleton", where, str)
    reference_path = root / reference if isinstance(reference, str) else None
    first = _language_of_file(module, where)
    languages = {first: Language(first, module, skeleton, reference_path)}
    languages.update(_languages(raw.get("languages"), where, root, exclude=first))
    if raw.get("plugin") is not None and raw.get("showcase") is not None:
        raise ConfigError(f"{where}: give either 'plugin' or 'showcase', not both (a plugin has its own showcase)")
    hidden_checks = _as_list(raw.get("hidden_checks"), f"{where}, hidden_checks")
    _refuse_absent(root, [("reference", reference_path)]
                   + [(f"{name} reference", language.reference) for name, language in languages.items()
                      if name != first]
                   + [("hidden_checks", root / item) for item in hidden_checks if item.endswith(".py")]
                   + [(f"{name} binding", root / language.binding) for name, language in languages.items()
                      if language.binding is not None and language.binding.endswith(".py")], where)
    return ExerciseConfig(
        id=exercise_id,
        title=str(raw.get("title", exercise_id)),
        module=module,
        skeleton=skeleton,
        reference=reference_path,
        language=first,
        languages=MappingProxyType(languages),
        checks=_as_list(raw.get("checks"), f"{where}, checks"),
        hidden_checks=hidden_checks,
        data=tuple(root / item for item in _as_list(raw.get("data"), f"{where}, data")),
        points=_check_specs(raw.get("points"), where),
        root=root,
        showcase=_optional_str(raw, "showcase", where),
        precision=_precision(raw, where),
        plugin=_optional_str(raw, "plugin", where),
        kind=_kind(raw, where),
        shipped=tuple(str(digest) for digest in _as_list(raw.get("shipped"), f"{where}, shipped")),
    )


def _refuse_absent(root: Path, files: list[tuple[str, Optional[Path]]], where: str) -> None:
    """A reference, a hidden check or a binding the configuration names must exist when its folder does.  A course copied
    without its private folder (``reference/`` left out of what students get) lists checks whose files are not
    there, and says so; a file missing from a folder that is there is a wrong path, which would otherwise drop the
    hidden checks from every grade, or the time rule judged against the reference, without a word."""
    for key, path in files:
        if path is not None and path.parent.is_dir() and not path.is_file():
            raise ConfigError(f"{where}: {key} {_shown(path, root)} does not exist (its folder does): correct the "
                              f"path in {CONFIG_NAME} (relative to {root})")


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _language_of_file(module: str, where: str) -> str:
    suffix = Path(module).suffix.lower()
    for name, suffixes in LANGUAGE_EXTENSIONS.items():
        if suffix in suffixes:
            return name
    raise ConfigError(f"{where}: cannot tell the language of {module!r} (known extensions: "
                      f"{', '.join(s for suffixes in LANGUAGE_EXTENSIONS.values() for s in suffixes)})")


def _languages(raw: Any, where: str, root: Path, *, exclude: str) -> dict[str, Language]:
    """The ``languages`` section: ``{c: {module, skeleton, reference, binding}, fortran: {...}}``."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: 'languages' must map each language (c, fortran) to its files")
    found = {}
    for name, entry in raw.items():
        here = f"{where}, language {name!r}"
        if name not in LANGUAGE_EXTENSIONS:
            raise ConfigError(f"{here}: unknown language (known: {', '.join(LANGUAGE_EXTENSIONS)})")
        if name == exclude:
            raise ConfigError(f"{here}: already given by the exercise's own 'module'")
        if not isinstance(entry, dict):
            raise ConfigError(f"{here}: expected a mapping with module, skeleton, reference and binding")
        _misspelled(entry, _LANGUAGE_KEYS, here)
        module = _require(entry, "module", here, str)
        if _language_of_file(module, here) != name:
            raise ConfigError(f"{here}: {module!r} is not a {name} file name")
        reference = _optional_str(entry, "reference", here)
        binding = _optional_str(entry, "binding", here)
        if name != "python" and binding is None:
            raise ConfigError(f"{here}: missing required key 'binding' (the Python file that calls the compiled "
                              "functions)")
        found[name] = Language(name=name, module=module, skeleton=root / _require(entry, "skeleton", here, str),
                               reference=root / reference if reference else None,
                               binding=binding)
    return found


def load_config(path: Optional[Path] = None) -> CourseConfig:
    """Read and validate ``config.yaml`` (default: the nearest one, see :func:`find_config`)."""
    path = Path(path).resolve() if path else find_config()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path} is not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    where = str(path)
    _misspelled(raw, _COURSE_KEYS, where)
    seed = raw.get("seed", 0)
    max_examples = raw.get("max_examples", 50)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ConfigError(f"{where}: 'seed' must be a whole number")
    if isinstance(max_examples, bool) or not isinstance(max_examples, int) or max_examples < 1:
        raise ConfigError(f"{where}: 'max_examples' must be a whole number >= 1")
    shrink_calls = raw.get("shrink_calls", DEFAULT_SHRINK_CALLS)
    if isinstance(shrink_calls, bool) or not isinstance(shrink_calls, int) or shrink_calls < 0:
        raise ConfigError(f"{where}: 'shrink_calls' must be a whole number >= 0 (0: show the first failing "
                          f"example found, unshrunk)")
    exercises_raw = raw.get("exercises")
    if not isinstance(exercises_raw, dict) or not exercises_raw:
        raise ConfigError(f"{where}: 'exercises' must list at least one exercise")
    exercises = {str(key): _exercise(str(key), value, path.parent) for key, value in exercises_raw.items()}
    return CourseConfig(
        path=path,
        seed=seed,
        max_examples=max_examples,
        shrink_calls=shrink_calls,
        limits=_limits(raw.get("limits"), where),
        exercises=MappingProxyType(exercises),
    )
