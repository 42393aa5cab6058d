"""Which students a shard grades, and the manifest each shard leaves in its output folder.

Invariants: every student id belongs to exactly one of the N shares, decided by a
hash of the id alone (stable under re-runs, additions and the order of discovery);
``shard.json`` lists the ids a shard graded and the roster of the whole class it
saw (every id discovered, before the shard's selection), so a merge can check that
the shards saw the same class and cover it exactly once.  A manifest written
before rosters were recorded has none (``roster`` is then absent, not empty).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from grader.errors import UsageError

__all__ = ["SHARD_MANIFEST", "Shard", "parse_shard", "read_shard_manifest", "write_shard_manifest"]

SHARD_MANIFEST = "shard.json"
_FORMAT = 1
T = TypeVar("T")


@dataclass(frozen=True)
class Shard:
    """The ``index``-th (1-based) of ``count`` shares of a class."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def owns(self, student: str) -> bool:
        """Whether this share grades ``student`` (a hash of the id: the same on every run and machine)."""
        digest = hashlib.sha256(student.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def select(self, students: Iterable[T], key=lambda student: student.id) -> list[T]:
        return [student for student in students if self.owns(key(student))]


def parse_shard(text: str) -> Shard:
    """``"K/N"`` as a :class:`Shard`, with 1 <= K <= N; a clear error otherwise."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not match:
        raise UsageError(f"--shard takes K/N, e.g. 2/8 for the second of eight shares (got {text!r})")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or not 1 <= index <= count:
        raise UsageError(f"--shard {text}: K must be between 1 and N (N at least 1)")
    return Shard(index, count)


def write_shard_manifest(out: Path, shard: Shard, students: Sequence[str], course: str, version: str, *,
                         roster: Sequence[str], checks: str | None = None, ignored: Sequence[str] = ()) -> None:
    """``shard.json``: the split, the students graded, the roster of the class the shard saw, and what the
    whole class's gradebook and overview need besides the reports (which checks the scores come from, the
    entries ignored as no submission)."""
    from grader import _atomic

    # The roster as plain ids: about 20 bytes a student, small enough for any class, and it lets the merge
    # name the students the shards saw differently (a digest could only say that they differ).
    document = {"format": _FORMAT, "shard": str(shard), "index": shard.index, "count": shard.count,
                "course": course, "grader_version": version, "students": sorted(students),
                "roster": sorted(roster), "ignored": list(ignored), **({"checks": checks} if checks else {})}
    _atomic.write_text(Path(out) / SHARD_MANIFEST, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def read_shard_manifest(out: Path) -> dict:
    path = Path(out) / SHARD_MANIFEST
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{out} has no {SHARD_MANIFEST}: pass folders written by 'grader grade --shard K/N'") \
            from None
    except (OSError, ValueError) as error:
        raise UsageError(f"{path} cannot be read ({error}): grade that shard again") from None
    # No roster is a manifest of an earlier version, still merged; a roster that is not a list of ids is damage.
    valid = (isinstance(document, dict) and document.get("format") == _FORMAT
             and isinstance(document.get("index"), int) and isinstance(document.get("count"), int)
             and _ids(document.get("students")) and _ids(document.get("roster", [])))
    if not valid:
        raise UsageError(f"{path} is not a shard manifest of this grader version: grade that shard again")
    return document


def _ids(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(student, str) for student in value)
