"""Grading the same submission once per test run, whichever test and whichever xdist worker asks first.

Several tests grade the same corpus member with the same configuration (a mutant's
check in one file, its diagnosis in another, its precision in a third).
:func:`grade_submission` is :func:`grader.grade_submission` with its result kept for
the rest of the run (:func:`once` does the same for any grading): the key is everything
that decides a report (the configuration, the submitted files' names and bytes, the
keyword arguments), the report is stored
in a folder shared by the workers of the run (see :func:`use_folder`, called by
``tests/conftest.py``), and a lock per key makes a second worker asking for the same
grading wait for the first rather than grade it again.  Outside a test run (no
folder), it just grades.

Only for reports that do not depend on when they were made: the durations of the
checks are those of the first grading.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, TypeVar

import grader
from grader.results import Report

try:
    import fcntl
except ImportError:  # Windows: no lock, at worst two workers grade the same submission
    fcntl = None  # type: ignore[assignment]

__all__ = ["grade_submission", "key", "once", "use_folder"]

T = TypeVar("T")

_FOLDER: Optional[Path] = None
_SEEN: dict[str, Any] = {}


def use_folder(folder: Optional[Path]) -> None:
    """Keep the reports of this run in ``folder`` (shared by its workers); ``None``: keep nothing."""
    global _FOLDER
    _FOLDER = folder
    _SEEN.clear()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)


def key(config: Any, modules: dict[str, Optional[Path]], kwargs: dict[str, Any]) -> str:
    """The key of a grading: the configuration, each exercise's file (name and bytes), the other arguments."""
    digest = hashlib.sha256(repr(config).encode("utf-8"))
    for exercise_id, path in sorted(modules.items()):
        digest.update(f"\0{exercise_id}\0".encode("utf-8"))
        if path is not None:
            digest.update(Path(path).name.encode("utf-8") + b"\0" + Path(path).read_bytes())
    digest.update(repr(sorted(kwargs.items())).encode("utf-8"))
    return digest.hexdigest()


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


def once(key: str, compute: Callable[[], T]) -> T:
    """``compute()``, done once per run for ``key`` (which must name everything that decides the result)."""
    if _FOLDER is None:
        return compute()
    if key in _SEEN:
        return _SEEN[key]
    stored = _FOLDER / f"{key}.pickle"
    with _locked(_FOLDER / f"{key}.lock"):
        if stored.is_file():
            result = pickle.loads(stored.read_bytes())
        else:
            result = compute()
            partial = stored.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(pickle.dumps(result))
            partial.replace(stored)
    _SEEN[key] = result
    return result


def grade_submission(config: Any, modules: dict[str, Optional[Path]], **kwargs: Any) -> Report:
    """:func:`grader.grade_submission`, done once per run for the same configuration, files and arguments."""
    return once(key(config, modules, kwargs), lambda: grader.grade_submission(config, modules, **kwargs))
