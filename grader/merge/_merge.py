"""Joining the output folders of the N shards of a class into one: reports, gradebook and overview.

The merged gradebook and overview are built from the same reports, by the same
functions, as those of a single run, so they are identical to it.  The merge
refuses shards that do not fit together (different N, a share missing or given
twice, another course configuration, another class: a student added, removed or
renamed between the shards' runs) rather than produce a partial gradebook.  Shards
written before ``shard.json`` recorded the class's roster are merged unchecked, with
a note.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from grader.errors import UsageError
from grader.merge._shard import read_shard_manifest
from grader.results import Report

__all__ = ["MergeResult", "merge_outputs"]


@dataclass(frozen=True)
class MergeResult:
    out: Path
    reports: tuple[Report, ...]
    shards: int
    notes: tuple[str, ...] = ()  # what the merge could not check, one line each

    def summary(self) -> str:
        lines = [f"{len(self.reports)} student(s) from {self.shards} shard(s) — {self.out / 'gradebook.csv'}"]
        return "\n".join(lines + [f"note: {note}" for note in self.notes])


def _grouped(manifests: list[tuple[Path, dict]], key: str) -> str:
    """The folders grouped by their manifests' ``key``, each group on its own: ``OUT-1, OUT-3 | OUT-2``."""
    groups: dict[str, list[str]] = {}
    for path, manifest in manifests:
        groups.setdefault(str(manifest.get(key)), []).append(str(path))
    return " | ".join(", ".join(folders) for folders in groups.values())


def _check_shards(manifests: list[tuple[Path, dict]]) -> None:
    counts = sorted({manifest["count"] for _, manifest in manifests})
    if len(counts) != 1:
        raise UsageError(f"the folders come from different splits of the class (N = {', '.join(map(str, counts))}; "
                         f"by split: {_grouped(manifests, 'count')}): pass the N folders of one split")
    count = counts[0]
    courses = {manifest.get("course") for _, manifest in manifests}
    if len(courses) != 1:
        raise UsageError("the shards were graded with different configurations or options (folders graded alike "
                         f"together: {_grouped(manifests, 'course')}): grade them again with the same config.yaml "
                         "and options")
    seen: dict[int, Path] = {}
    for path, manifest in manifests:
        if manifest["index"] in seen:
            raise UsageError(f"shard {manifest['index']}/{count} is given twice ({seen[manifest['index']]} and {path})")
        seen[manifest["index"]] = path
    missing = [f"{index}/{count}" for index in range(1, count + 1) if index not in seen]
    if missing:
        raise UsageError(f"shard{'s' if len(missing) > 1 else ''} {', '.join(missing)} missing: grade "
                         f"{'them' if len(missing) > 1 else 'it'} with --shard, then merge all {count} folders")


def _names(students: set[str], shown: int = 10) -> str:
    """Some of ``students``, sorted and made harmless to print: a class of a thousand is not listed whole."""
    from grader.render._view import clean_line

    names = [clean_line(student) for student in sorted(students)]
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _check_rosters(manifests: list[tuple[Path, dict]]) -> tuple[str, ...]:
    """Refuse shards that saw different classes (the submissions folder changed between their runs): the
    students only some saw could be missing from the gradebook or, removed from the class, still be in it.
    Returns the notes for shards too old to record what they saw."""
    rosters = {path: set(manifest["roster"]) for path, manifest in manifests if "roster" in manifest}
    whole = set().union(*rosters.values())
    graded = set().union(*(manifest["students"] for _, manifest in manifests))
    differences = [f"{path} (shard {manifest['index']}/{manifest['count']}) did not find "
                   f"{_names(whole - rosters[path])}" for path, manifest in manifests
                   if path in rosters and whole - rosters[path]]
    if whole - graded and not differences:
        # The rosters agree, yet a student is in no share: a shard too old to record its class did not see them.
        differences.append(f"no shard graded {_names(whole - graded)}")
    if differences:
        raise UsageError("the shards were graded on different versions of the class (students added, removed or "
                         f"renamed between their runs): {'; '.join(differences)}. Grade every shard again on the "
                         "same submissions folder (each regrades only what is missing or changed), then merge")
    return tuple(_unchecked(path) for path, _ in manifests if path not in rosters)


def _unchecked(path: Path) -> str:
    return (f"{path} was graded by an earlier grader version that does not record the class it saw: the merge "
            "cannot check that every shard saw the same students; grade that shard again to have it checked")


def _copy_folder(source: Path, target: Path) -> None:
    from grader import _atomic

    for path in sorted(source.rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.name.endswith(".partial"):
            _atomic.copy_file(path, target / path.relative_to(source))


def merge_outputs(outs: Sequence[Path], out: Path) -> MergeResult:
    """Merge the output folders ``outs`` of ``grader grade --shard K/N`` (all N of them) into ``out``."""
    from grader.grade._gradebook import GRADEBOOK, write_gradebook
    from grader.grade._outputs import REPORT
    from grader.grade._overview import write_class_overview
    from grader.grade._paths import folder_name

    if not outs:
        raise UsageError("pass the output folders of the shards to merge")
    out = Path(out).resolve()
    folders = [Path(path).resolve() for path in outs]
    for folder in folders:
        if out == folder or folder in out.parents or out in folder.parents:
            raise UsageError(f"--out {out} must be a folder apart from the shards' folders ({folder})")
    manifests = [(folder, read_shard_manifest(folder)) for folder in folders]
    _check_shards(manifests)
    notes = _check_rosters(manifests)
    owner: dict[str, Path] = {}
    reports: list[Report] = []
    for folder, manifest in manifests:
        for student in manifest["students"]:
            if student in owner:
                raise UsageError(f"student {student!r} is in two shards ({owner[student]} and {folder})")
            owner[student] = folder
            source = folder / folder_name(student)
            try:
                report = Report.from_json((source / REPORT).read_text(encoding="utf-8"))
            except (OSError, ValueError, TypeError, KeyError):
                raise UsageError(f"the report of {student!r} in {folder} is missing or unreadable: grade that "
                                 "shard again (it resumes where it stopped)") from None
            reports.append(report)
            target = out / folder_name(student)
            if target.exists():
                shutil.rmtree(target)
            _copy_folder(source, target)
    out.mkdir(parents=True, exist_ok=True)
    # Every shard saw the same submissions folder (checked above, unless too old to say): the first one says what
    # the class run would say.
    first = manifests[0][1]
    # The checks column as the class run wrote it: given by the run, or else read from the reports.
    write_gradebook(reports, out / GRADEBOOK, checks=first.get("checks"))
    write_class_overview(reports, out, ignored=[str(name) for name in first.get("ignored", [])])
    return MergeResult(out=out, reports=tuple(reports), shards=len(manifests), notes=notes)
