"""An exercise: its configuration, its checks and its plugin, loaded from the files the configuration names.

Check sources are Python modules, given either by dotted name
(``grader.exercises.NAME.checks``) or by a path to a ``.py`` file relative to
``config.yaml`` (hidden checks live in instructor-only files such as ``reference/``);
the folder of ``config.yaml`` is on the import path while they load (see :mod:`grader._modules`).
Every check found must have points in the configuration and vice versa, and every
check has strategies and passes ``fail()`` only counterexample keys the reports read; no two checks of a
module have functions of one name (the later would hide the earlier from its module's names).  The
plugin (see :mod:`grader.plugin`) draws and describes what only the exercise knows.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from grader._modules import import_trusted
from grader.authoring import Check, counterexample_key_problem, fail_keys, replaced_checks
from grader.config import CheckSpec, ExerciseConfig
from grader.errors import ConfigError
from grader.plugin import DEFAULT_PLUGIN, ExercisePlugin, plugin_for

__all__ = ["BoundCheck", "Exercise", "load_exercise"]


@dataclass(frozen=True)
class BoundCheck:
    """A check with its points and visibility from the configuration."""

    check: Check
    spec: CheckSpec

    @property
    def id(self) -> str:
        return self.check.id


@dataclass(frozen=True)
class Exercise:
    config: ExerciseConfig
    checks: tuple[BoundCheck, ...]
    hidden_available: bool
    plugin: ExercisePlugin = DEFAULT_PLUGIN

    @property
    def id(self) -> str:
        return self.config.id

    @property
    def functions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(bound.check.function for bound in self.checks))


def _import_source(source: str, root: Path) -> object:
    return import_trusted(source, root, what="check module")


def _checks_of(module: object) -> Iterable[Check]:
    """The checks of the module: those it declares and those it imports by name (a shared set of checks)."""
    return (value for value in vars(module).values() if isinstance(value, Check))


@functools.lru_cache(maxsize=1024)
def _fail_keys(test: Callable[..., Any]) -> tuple[tuple[str, int], ...]:
    """:func:`fail_keys` of a check's test, read once: every grading loads the exercise again, and parsing
    the source of each check was a tenth of the loading."""
    return tuple(fail_keys(test))


def _refuse_unrunnable(item: Check, source: str) -> None:
    """What is wrong with a check before it runs: no strategy to feed it, counterexample keys no report reads."""
    if not item.strategies:
        raise ConfigError(f"check {item.id!r} (in {source}) has no strategies: give each argument of the test its "
                          "Hypothesis strategy, e.g. @check(..., x=arrays()); without one every student would get "
                          "an error of the check")
    for key, line in _fail_keys(item.test):
        problem = counterexample_key_problem(key)
        if problem:
            raise ConfigError(f"check {item.id!r} (in {source}, line {line}) passes {key!r} to fail(): {problem}")


def _refuse_replaced(module: object, source: str) -> None:
    """Two checks whose functions have one name in the module (a copied check): the second replaced the first
    among the module's names, where the checks are found, so the first would silently never run."""
    for earlier, later in replaced_checks(module):
        name = getattr(later.test, "__name__", "?")
        raise ConfigError(f"the check module {source} defines two check functions named {name!r}: {earlier.id!r} "
                          f"(line {earlier.line}) and {later.id!r} (line {later.line}); the second "
                          f"replaces the first, so {earlier.id!r} would never run: give each check function a "
                          "name of its own")


def _hidden_sources_present(config: ExerciseConfig) -> bool:
    return all(not source.endswith(".py") or (config.root / source).is_file() for source in config.hidden_checks)


def load_exercise(config: ExerciseConfig, *, hidden: bool = False) -> Exercise:
    """Load the public checks of ``config`` and, when ``hidden`` and their files exist, the hidden ones."""
    include_hidden = hidden and bool(config.hidden_checks) and _hidden_sources_present(config)
    sources = [(source, False) for source in config.checks]
    if include_hidden:
        sources += [(source, True) for source in config.hidden_checks]
    found: dict[str, BoundCheck] = {}
    for source, from_hidden_source in sources:
        module = _import_source(source, config.root)
        _refuse_replaced(module, source)
        for item in _checks_of(module):
            _refuse_unrunnable(item, source)
            unknown = [suspect for suspect in item.suspects if suspect not in config.points]
            if unknown:
                raise ConfigError(f"check {item.id!r} (in {source}) names as suspects {', '.join(map(repr, unknown))}, "
                                  f"which are no checks of exercise {config.id!r}: correct the ids (see "
                                  f"'grader list')")
            spec = config.points.get(item.id)
            if spec is None:
                raise ConfigError(f"check {item.id!r} (in {source}) has no points in config.yaml: add it under "
                                  f"exercises.{config.id}.points")
            if spec.hidden != from_hidden_source:
                where = "hidden_checks" if from_hidden_source else "checks"
                raise ConfigError(f"check {item.id!r} is in {where} but config.yaml marks it "
                                  f"{'hidden' if spec.hidden else 'public'}")
            if item.id in found:
                raise ConfigError(f"check {item.id!r} is defined twice")
            found[item.id] = BoundCheck(item, spec)
    expected = {cid for cid, spec in config.points.items() if include_hidden or not spec.hidden}
    missing = sorted(expected - set(found))
    if missing and not include_hidden and config.hidden_checks and _hidden_sources_present(config):
        hidden_ids = {item.id for source in config.hidden_checks for item in _checks_of(_import_source(source,
                                                                                                      config.root))}
        for check_id in missing:
            if check_id in hidden_ids:
                raise ConfigError(f"check {check_id!r} is in hidden_checks but config.yaml marks it public")
    if missing:
        raise ConfigError(f"config.yaml gives points to checks that do not exist: {', '.join(missing)}")
    return Exercise(config=config, checks=tuple(found.values()), hidden_available=include_hidden,
                    plugin=plugin_for(config))
