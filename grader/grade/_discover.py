"""Finding the students in a submissions folder, whatever shape the class and the platform produced.

Each entry of the folder is one student, whose id is the entry's name without
extension.  Moodle's "download all submissions" layout (``Full Name_12345_
assignsubmission_file_``, as folders or as flat file-name prefixes, unpacked or
still in its zip) gives the student's name and participant number instead.

A participant identity creates a row only where the class folder itself is such an
export (one of its entries is named as Moodle names them), or is the export's zip: in a
plain class folder, a student's archive or folder shaped like an export (``bob.zip``
holding ``Carol Target_424242_assignsubmission_file_/``) is that student's submission,
with a note, and never creates or replaces another student's row.

A file that cannot be a submission (``roster.csv``, ``README.md``: neither a file an
exercise accepts nor an archive) is no student: it is listed as ignored, as are the
entries left out as never a submission (hidden ``.`` names, ``__MACOSX``...).  A path that
is itself one student's submission (a folder holding an exercise's file, that file
alone, or an archive of it) is graded as a class of one, named after it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Optional, Sequence

from grader.config import LANGUAGE_EXTENSIONS, ExerciseConfig
from grader.errors import UsageError
from grader.grade._archive import ARCHIVE_SUFFIXES, is_archive, zip_names
from grader.grade._paths import folder_name, is_junk
from grader.render._view import clean_line

__all__ = ["Accepted", "ClassFolder", "Part", "Submission", "accepted_files", "discover", "discover_class",
           "moodle_entry", "submission_files"]

_MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assign(?:submission|feedback)_(?P<plugin>[a-z]+)_(?P<rest>.*)$")


@dataclass(frozen=True)
class Part:
    """One piece of a student's submission: a path, or an entry inside an archive (``within``), copied as ``target``."""

    path: Path
    target: str
    within: tuple[str, ...] = ()


@dataclass(frozen=True)
class Submission:
    """One student: their id and name, and where their work is.

    ``participant``: the id is a learning platform's participant number (a Moodle export), not a name of the
    instructor's folder.  ``conflict``: why it cannot be graded as theirs (another entry of the class claims the
    same participant), "" when nothing is wrong.
    """

    id: str
    name: str
    parts: tuple[Part, ...]
    source: str  # where it came from, relative to the submissions folder, for people
    participant: bool = False
    conflict: str = ""
    notes: tuple[str, ...] = ()  # how discovery read it, for the student's report


def submission_files(exercise: ExerciseConfig) -> tuple[tuple[str, Path], ...]:
    """``(file name, skeleton)`` of each language a submission of ``exercise`` may be written in
    (``MODULE.py``, ``MODULE.c``...)."""
    files = [(exercise.module, exercise.skeleton)]
    files += [(language.module, language.skeleton) for language in exercise.languages.values()]
    # A Python module may be handed in as a Jupyter notebook of the same name.
    files += [(str(Path(name).with_suffix(".ipynb")), skeleton) for name, skeleton in files
              if Path(name).suffix.lower() == ".py" and exercise.kind != "program"]
    return tuple(dict.fromkeys(files))


def _extensions(exercise: ExerciseConfig) -> set[str]:
    found = {Path(exercise.module).suffix.lower()}
    for name, language in exercise.languages.items():
        found.update(LANGUAGE_EXTENSIONS.get(name, (Path(language.module).suffix.lower(),)))
    return found


@dataclass(frozen=True)
class Accepted:
    """What a submission may hold: the exercises' file names, and where they sit in a clone of the course."""

    names: tuple[str, ...] = ()
    layouts: tuple[str, ...] = ()  # POSIX paths such as exercises/ID/MODULE.py
    extensions: frozenset[str] = frozenset({".py"})

    @property
    def suffixes(self) -> frozenset[str]:
        """File extensions of a single-file submission (``.ipynb``: a Jupyter notebook, a Python submission)."""
        return self.extensions | {".ipynb"}

    def is_submission_file(self, name: str) -> bool:
        return is_archive(name) or Path(name).suffix.lower() in self.suffixes

    def holds_one(self, relative: Iterable[str]) -> bool:
        """Whether paths (POSIX, relative to a folder) show that folder is one student's submission."""
        wanted = {name.casefold() for name in self.names} | {layout.casefold() for layout in self.layouts}
        return any(path.casefold() in wanted for path in relative)


def accepted_files(exercises: Iterable[ExerciseConfig]) -> Accepted:
    """What the submissions of ``exercises`` may hold."""
    names: list[str] = []
    layouts: list[str] = []
    extensions: set[str] = {".py"}
    for exercise in exercises:
        extensions |= _extensions(exercise)
        for name, skeleton in submission_files(exercise):
            names.append(name)
            try:
                folder = Path(skeleton).parent.relative_to(exercise.root)
            except ValueError:
                continue
            if folder.parts:
                layouts.append((folder / name).as_posix())
    return Accepted(tuple(dict.fromkeys(names)), tuple(dict.fromkeys(layouts)), frozenset(extensions))


@dataclass(frozen=True)
class ClassFolder:
    """The students found, the entries ignored as no submission, and whether the path was one student's."""

    students: tuple[Submission, ...]
    ignored: tuple[str, ...] = ()
    single: bool = False


def moodle_entry(name: str) -> Optional[tuple[str, str, str]]:
    """``(full name, participant id, rest)`` of a Moodle export entry name, else ``None``."""
    found = _MOODLE.match(name)
    if found is None:
        return None
    return found["name"].strip(), found["id"], found["rest"]


def _stem(name: str) -> str:
    lowered = name.lower()
    for suffix in (*ARCHIVE_SUFFIXES, ".py", ".ipynb"):
        if lowered.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name.rsplit(".", 1)[0] if "." in name[1:] else name


class _Class:
    """Collects students, grouping Moodle's flat files by participant."""

    def __init__(self, accepted: Accepted) -> None:
        self.students: list[Submission] = []
        self.flat: dict[tuple[str, str], list[tuple[Part, str]]] = defaultdict(list)
        self.accepted = accepted
        self.ignored: list[str] = []
        #: Entries of a participant from another plugin than files (Moodle's online text, comments).
        self.besides: list[Submission] = []

    def add(self, name: str, parts: tuple[Part, ...], source: str, *, is_file: bool = False,
            notes: tuple[str, ...] = ()) -> None:
        moodle = moodle_entry(name)
        if moodle is None and is_file and not self.accepted.is_submission_file(name):
            self.ignored.append(source)
            return
        if moodle is None:
            stem = _stem(name)
            self.students.append(Submission(id=stem, name=stem, parts=parts, source=source, notes=notes))
        elif moodle[2] and not moodle[2].startswith("."):
            # Flat layout: each file carries the prefix; the rest is the file's own name.
            self.flat[(moodle[0], moodle[1])].append((Part(parts[0].path, moodle[2], parts[0].within), source))
        else:
            submission = Submission(id=moodle[1], name=moodle[0], parts=parts, source=source, participant=True)
            plugin = _MOODLE.match(name)
            (self.students if plugin is None or plugin["plugin"] == "file" else self.besides).append(submission)

    def done(self) -> list[Submission]:
        for (name, number), items in self.flat.items():
            sources = ", ".join(source for _, source in items)
            parts = tuple(part for part, _ in items)
            # Files of one participant come from one place: the export's folder, or one archive of it.
            places = {part.path if part.within else part.path.parent for part in parts}
            conflict = _conflict(number, [source for _, source in items]) if len(places) > 1 else ""
            self.students.append(Submission(id=number, name=name, parts=parts, source=sources, participant=True,
                                            conflict=conflict))
        # A participant's online text (or comments) beside their files is not code: the files are their
        # submission.  Without files, the entry is all they handed in, and stands for them.
        with_files = {student.id for student in self.students if student.participant}
        for entry in self.besides:
            if entry.id in with_files:
                self.ignored.append(entry.source)
            else:
                self.students.append(entry)
                with_files.add(entry.id)
        return _claimed_once(self.students)


def _conflict(number: str, sources: Sequence[str]) -> str:
    return (f"participant {number} appears more than once in the class folder ({'; '.join(sources)}): a submission "
            "may claim another student's number, so none of them is graded as theirs; keep only the real one and "
            "grade again")


def _claimed_once(students: list[Submission]) -> list[Submission]:
    """Each participant number claimed by one entry only: a student's own archive shaped like an export must not
    stand in for another student (their row of the gradebook would get its grade).  Every entry claiming a
    number that another also claims gets a conflict instead of a grade."""
    claims: dict[str, list[Submission]] = defaultdict(list)
    for student in students:
        if student.participant:
            claims[student.id].append(student)
    shared = {number: [claim.source for claim in claimed] for number, claimed in claims.items() if len(claimed) > 1}
    return [replace(student, conflict=_conflict(student.id, shared[student.id]))
            if student.participant and student.id in shared else student for student in students]


def _wrapped(names: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    """The single folder wrapping every member of an archive, if there is one and it is not a student's."""
    firsts = {parts[0] for parts in names}
    # The wrapping folder's own entry ("TP1/", which zip -r and Finder write) is no member of its own.
    if len(firsts) == 1 and any(len(parts) > 1 for parts in names):
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


def _is_file(entry: Path) -> bool:
    return entry.is_symlink() or not entry.is_dir()


def _claims_note(relative: str, tops: Iterable[str]) -> str:
    """The note of an entry of a plain class folder shaped like an export: graded as its own, claiming nobody."""
    claims = [f"{moodle[0]} ({moodle[1]})" for moodle in map(moodle_entry, tops) if moodle is not None]
    shown = ", ".join(claims[:3]) + (f" and {len(claims) - 3} more" if len(claims) > 3 else "")
    return (f"{relative} is shaped like a learning-platform export (it names {shown}): in a class folder that is "
            "not such an export it is graded as this student's own submission, never as another student's; "
            "to grade an export, grade its folder or zip itself")


def _add_entry(found: _Class, entry: Path, relative: str, *, export: bool) -> None:
    """Add the entry ``relative`` of the class folder; ``export``: the class folder is a learning-platform export,
    whose entries may hold others (an unpacked export or its zip inside it)."""
    if not entry.is_symlink() and entry.is_dir() and moodle_entry(entry.name) is None and _is_moodle_folder(entry):
        if not export:
            tops = [child.name for child in _entries(entry, ())]
            found.add(entry.name, (Part(entry, entry.name),), relative, notes=(_claims_note(relative, tops),))
            return
        for child in _entries(entry, ()):
            found.add(child.name, (Part(child, child.name),), f"{relative}/{child.name}", is_file=_is_file(child))
        return
    if not entry.is_symlink() and entry.is_file() and entry.name.lower().endswith(".zip"):
        shaped = _moodle_zip(entry)
        if shaped is not None and not export:
            found.add(entry.name, (Part(entry, entry.name),), relative, is_file=True,
                      notes=(_claims_note(relative, shaped[1]),))
            return
        if shaped is not None:
            wrap, tops = shaped
            for top in tops:
                found.add(top, (Part(entry, top, (*wrap, top)),), f"{relative}:{'/'.join((*wrap, top))}")
            return
    found.add(entry.name, (Part(entry, entry.name),), relative, is_file=_is_file(entry))


def _cleaned(students: Iterable[Submission]) -> list[Submission]:
    """Ids and names as every output shows them: on one line, control and bidirectional characters made visible
    (``\\x1b``, ``\\u202e``), so no gradebook, page or report carries them raw."""
    return [replace(student, id=clean_line(student.id), name=clean_line(student.name)) for student in students]


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
            student = replace(student, id=candidate)
        taken.add(folder_name(candidate).casefold())
        unique.append(student)
    return unique


def _folder_is_one_submission(folder: Path, accepted: Accepted) -> bool:
    """A folder holding an exercise's file at its root (or as in a clone of the course), and no student folders.

    A folder whose subfolders hold exercise files is a class, even with a stray exercise file at its top; a
    student's folder wrapped once more (``dave/dave-main/MODULE.py``) is read as a class of that folder."""
    if moodle_entry(folder.name) is not None:
        return True
    if not any((folder / candidate).is_file() for candidate in (*accepted.names, *accepted.layouts)):
        return False
    children = [child for child in folder.iterdir() if not is_junk(child.name)]
    return not any(child.is_dir() and not child.is_symlink()
                   and (moodle_entry(child.name) is not None
                        or any((child / name).is_file() for name in accepted.names))
                   for child in children)


def _zip_is_one_submission(archive: Path, names: Sequence[tuple[str, ...]], accepted: Accepted) -> bool:
    if _moodle_zip(archive) is not None:
        return False
    wrap = _wrapped(names)
    return accepted.holds_one("/".join(parts[len(wrap):]) for parts in names if len(parts) > len(wrap))


def _one_submission(path: Path, accepted: Accepted) -> bool:
    """Whether ``path`` is one student's submission rather than a class's folder or export."""
    if path.is_dir():
        return _folder_is_one_submission(path, accepted)
    lowered = path.name.lower()
    if lowered.endswith(".zip"):
        names = zip_names(path)
        return bool(names) and _zip_is_one_submission(path, names, accepted)
    return is_archive(lowered) or path.suffix.lower() in accepted.suffixes


def _zip_tops(found: _Class, archive: Path) -> None:
    export = _moodle_zip(archive)
    names = zip_names(archive)
    if not names:
        raise UsageError(f"{archive} is not a readable zip archive of submissions")
    wrap, tops = export if export is not None else (_wrapped(names), None)
    folders = {parts[len(wrap)] for parts in names if len(parts) > len(wrap) + 1}
    for top in tops or dict.fromkeys(parts[len(wrap)] for parts in names if len(parts) > len(wrap)):
        found.add(top, (Part(archive, top, (*wrap, top)),), "/".join((*wrap, top)), is_file=top not in folders)


def discover_class(submissions: Path, *, skip: Iterable[Path] = (), accepted: Accepted = Accepted()) \
        -> ClassFolder:
    """The students of ``submissions``: a folder (or Moodle zip) of submissions, or one student's submission
    (``accepted`` says what a submission may hold: see :func:`accepted_files`); sorted by id.
    ``skip``: paths to leave out."""
    submissions = Path(submissions)
    if not submissions.exists():
        raise UsageError(f"{submissions} not found: pass the folder holding the class's submissions")
    found = _Class(accepted)
    if _one_submission(submissions, accepted):
        found.add(submissions.name, (Part(submissions, submissions.name),), submissions.name)
        return ClassFolder(tuple(_cleaned(found.done())), single=True)
    if submissions.is_file() and submissions.name.lower().endswith(".zip"):
        _zip_tops(found, submissions)
    elif submissions.is_dir():
        entries = _entries(submissions, skip)
        export = any(moodle_entry(entry.name) is not None for entry in entries)
        for entry in entries:
            _add_entry(found, entry, entry.name, export=export)
        # Left out as never a submission, but listed: a student's entry is never dropped unseen.
        found.ignored = sorted([*found.ignored, *(child.name for child in submissions.iterdir()
                                                   if is_junk(child.name))], key=lambda name: (name.casefold(), name))
    else:
        raise UsageError(f"{submissions} is not a folder of submissions, a zip of them, or one student's "
                         f"submission (a .py file, an archive, or a folder holding the exercise's file)")
    students = sorted(_cleaned(found.done()), key=lambda student: (student.id.casefold(), student.id, student.source))
    return ClassFolder(tuple(_unique(students)), tuple(found.ignored))


def discover(submissions: Path, *, skip: Iterable[Path] = (), accepted: Accepted = Accepted()) \
        -> list[Submission]:
    """Every student of the folder (or Moodle zip) ``submissions``, sorted by id; see :func:`discover_class`."""
    return list(discover_class(submissions, skip=skip, accepted=accepted).students)
