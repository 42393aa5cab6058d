"""Finding the students in a submissions folder, whatever shape the class and the platform produced.

Each entry of the folder is one student, whose id is the entry's name without
extension.  Moodle's "download all submissions" layout (``Full Name_12345_
assignsubmission_file_``, as folders or as flat file-name prefixes, unpacked or
still in its zip) gives the student's name and participant number instead.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence

from grader.errors import UsageError
from grader.grade._archive import ARCHIVE_SUFFIXES, zip_names
from grader.grade._paths import folder_name, is_junk

__all__ = ["Part", "Submission", "discover", "moodle_entry"]

_MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assign(?:submission|feedback)_(?P<plugin>[a-z]+)_(?P<rest>.*)$")


@dataclass(frozen=True)
class Part:
    """One piece of a student's submission: a path, or an entry inside an archive (``within``), copied as ``target``."""

    path: Path
    target: str
    within: tuple[str, ...] = ()


@dataclass(frozen=True)
class Submission:
    """One student: their id and name, and where their work is."""

    id: str
    name: str
    parts: tuple[Part, ...]
    source: str  # where it came from, relative to the submissions folder, for people


def moodle_entry(name: str) -> Optional[tuple[str, str, str]]:
    """``(full name, participant id, rest)`` of a Moodle export entry name, else ``None``."""
    found = _MOODLE.match(name)
    if found is None:
        return None
    return found["name"].strip(), found["id"], found["rest"]


def _stem(name: str) -> str:
    lowered = name.lower()
    for suffix in (*ARCHIVE_SUFFIXES, ".py"):
        if lowered.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name.rsplit(".", 1)[0] if "." in name[1:] else name


class _Class:
    """Collects students, grouping Moodle's flat files by participant."""

    def __init__(self) -> None:
        self.students: list[Submission] = []
        self.flat: dict[tuple[str, str], list[tuple[Part, str]]] = defaultdict(list)

    def add(self, name: str, parts: tuple[Part, ...], source: str) -> None:
        moodle = moodle_entry(name)
        if moodle is None:
            stem = _stem(name)
            self.students.append(Submission(id=stem, name=stem, parts=parts, source=source))
        elif moodle[2] and not moodle[2].startswith("."):
            # Flat layout: each file carries the prefix; the rest is the file's own name.
            self.flat[(moodle[0], moodle[1])].append((Part(parts[0].path, moodle[2], parts[0].within), source))
        else:
            self.students.append(Submission(id=moodle[1], name=moodle[0], parts=parts, source=source))

    def done(self) -> list[Submission]:
        for (name, number), items in self.flat.items():
            sources = ", ".join(source for _, source in items)
            self.students.append(Submission(id=number, name=name, parts=tuple(part for part, _ in items),
                                            source=sources))
        return self.students


def _wrapped(names: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    """The single folder wrapping every member of an archive, if there is one and it is not a student's."""
    firsts = {parts[0] for parts in names}
    if len(firsts) == 1 and all(len(parts) > 1 for parts in names):
        only = next(iter(firsts))
        if moodle_entry(only) is None:
            return (only,)
    return ()


def _moodle_zip(path: Path) -> Optional[tuple[tuple[str, ...], list[str]]]:
    """``(wrapping folder, top-level entries)`` when the zip is a whole class's Moodle export."""
    names = zip_names(path)
    if not names:
        return None
    wrap = _wrapped(names)
    tops = list(dict.fromkeys(parts[len(wrap)] for parts in names if len(parts) > len(wrap)))
    if tops and all(moodle_entry(top) is not None for top in tops):
        return wrap, tops
    return None


def _is_moodle_folder(folder: Path) -> bool:
    names = [child.name for child in folder.iterdir() if not is_junk(child.name)]
    return bool(names) and all(moodle_entry(name) is not None for name in names)


def _entries(folder: Path, skip: Iterable[Path]) -> list[Path]:
    skipped = {item.resolve() for item in skip}
    children = [child for child in folder.iterdir() if not is_junk(child.name)]
    children = [child for child in children if child.is_symlink() or child.resolve() not in skipped]
    return sorted(children, key=lambda child: (child.name.casefold(), child.name))


def _add_entry(found: _Class, entry: Path, relative: str) -> None:
    if not entry.is_symlink() and entry.is_dir() and moodle_entry(entry.name) is None and _is_moodle_folder(entry):
        for child in _entries(entry, ()):
            found.add(child.name, (Part(child, child.name),), f"{relative}/{child.name}")
        return
    if not entry.is_symlink() and entry.is_file() and entry.name.lower().endswith(".zip"):
        export = _moodle_zip(entry)
        if export is not None:
            wrap, tops = export
            for top in tops:
                found.add(top, (Part(entry, top, (*wrap, top)),), f"{relative}:{'/'.join((*wrap, top))}")
            return
    found.add(entry.name, (Part(entry, entry.name),), relative)


def _unique(students: list[Submission]) -> list[Submission]:
    """Ids made unique, and so their folders in OUT (compared case-insensitively, as some file systems do):
    later duplicates get a suffix."""
    taken: set[str] = set()
    unique = []
    for student in students:
        candidate, number = student.id, 1
        while folder_name(candidate).casefold() in taken:
            number += 1
            candidate = f"{student.id} ({number})"
        if candidate != student.id:
            student = Submission(id=candidate, name=student.name, parts=student.parts, source=student.source)
        taken.add(folder_name(candidate).casefold())
        unique.append(student)
    return unique


def discover(submissions: Path, *, skip: Iterable[Path] = ()) -> list[Submission]:
    """Every student of the folder (or Moodle zip) ``submissions``, sorted by id; ``skip``: paths to leave out."""
    submissions = Path(submissions)
    found = _Class()
    if submissions.is_file() and submissions.name.lower().endswith(".zip"):
        export = _moodle_zip(submissions)
        names = zip_names(submissions)
        if not names:
            raise UsageError(f"{submissions} is not a readable zip archive of submissions")
        wrap, tops = export if export is not None else (_wrapped(names), None)
        for top in tops or dict.fromkeys(parts[len(wrap)] for parts in names if len(parts) > len(wrap)):
            found.add(top, (Part(submissions, top, (*wrap, top)),), "/".join((*wrap, top)))
    elif submissions.is_dir():
        for entry in _entries(submissions, skip):
            _add_entry(found, entry, entry.name)
    else:
        raise UsageError(f"{submissions} is not a folder of submissions (nor a zip of them)")
    students = sorted(found.done(), key=lambda student: (student.id.casefold(), student.id, student.source))
    return _unique(students)
