"""Finding the students in a submissions folder, whatever shape the class and the platform produced.

Each entry of the folder is one student, whose id is the entry's name without
extension.  A learning platform's "download all submissions" export (unpacked or
still in its zip) names its entries after the student instead, and gives their name
and platform identifier (see ``PLATFORMS``): Moodle (``Full Name_12345_
assignsubmission_file_``, folders or flat file-name prefixes), Canvas
(``smithjane_23456_78901_lab1.py``, a file per uploaded file), Blackboard
(``Assignment_jdoe_attempt_2026-09-03-22-02-11_lab1.py``) and Brightspace
(``12345-67890 - Jane Doe - Sep 3, 2026 1002 PM/``).  All the entries of one student
are one row: their files together and, of several dated attempts, the latest.

A class folder is read as an export only where its entries are named as the platform
names them: one is enough for a platform whose names carry its own words (Moodle's
``assignsubmission``, Blackboard's ``attempt`` and time, Brightspace's date); Canvas's
names are only a name and numbers, so most of the entries that could be students must
be.  A participant identity creates a row only where the class folder itself is such an
export, or is the export's zip: in a plain class folder, a student's archive or folder
shaped like an export (``bob.zip`` holding ``Carol Target_424242_assignsubmission_file_/``)
is that student's submission, with a note, and never creates or replaces another
student's row.

A file that cannot be a submission (``roster.csv``, ``README.md``: neither a file an
exercise accepts nor an archive) is no student: it is listed as ignored, as are the
entries left out as never a submission (hidden ``.`` names, ``__MACOSX``...).  A path that
is itself one student's submission (a folder holding an exercise's file, that file
alone, or an archive of it) is graded as a class of one, named after it.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

from grader._atomic import readable
from grader.config import LANGUAGE_EXTENSIONS, ExerciseConfig
from grader.errors import UsageError
from grader.grade._archive import (ARCHIVE_SUFFIXES, is_archive, tar_names, zip_junk, zip_names, zip_text,
                                   zip_unpacked_in)
from grader.grade._paths import folder_name, is_junk
from grader.render._view import clean_line

__all__ = ["PLATFORMS", "Accepted", "ClassFolder", "Entry", "Part", "Platform", "Submission", "accepted_files",
           "discover", "discover_class", "platform_entry", "submission_files"]


@dataclass(frozen=True)
class Part:
    """One piece of a student's submission: a path, or an entry inside an archive (``within``), copied as ``target``."""

    path: Path
    target: str
    within: tuple[str, ...] = ()


@dataclass(frozen=True)
class Submission:
    """One student: their id and name, and where their work is.

    ``participant``: the id is a learning platform's identifier of the student (from its export), not a name of
    the instructor's folder.  ``conflict``: why it cannot be graded as theirs (another entry of the class claims the
    same participant, an archive in a format the grader does not open), "" when nothing is wrong.
    """

    id: str
    name: str
    parts: tuple[Part, ...]
    source: str  # where it came from, relative to the submissions folder, for people
    participant: bool = False
    conflict: str = ""
    notes: tuple[str, ...] = ()  # how discovery read it, for the student's report

    def __post_init__(self) -> None:
        # Names read from bytes that are not UTF-8 (a Windows archive's "h\xe9l\xe8ne") become text from here on:
        # reports, links and the gradebook name them, the parts keep the paths as they are.
        for attribute in ("id", "name", "source", "conflict"):
            object.__setattr__(self, attribute, readable(getattr(self, attribute)))
        object.__setattr__(self, "notes", tuple(readable(note) for note in self.notes))


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
    if exercise.kind == "program":  # a whole program's language comes from its suffix, whatever config.yaml lists
        from grader.student._build import LANGUAGES

        found.update(LANGUAGES)
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


@dataclass(frozen=True)
class Entry:
    """What a platform's export says of one of its entries.

    ``rest``: the file's own name where the export gives each file a prefix (a flat layout); "" for the entry of
    a folder (or archive) holding the student's files.  ``when``: the attempt's time, sortable, where the export
    keeps several attempts (of several, the latest is graded).  ``files``: ``False`` for an entry that is no file
    handed in (an online text, the platform's information file), which stands for the student only when they have
    nothing else."""

    platform: str
    name: str
    id: str
    rest: str
    when: str = ""
    files: bool = True


@dataclass(frozen=True)
class Platform:
    """How a learning platform names the entries of its "download all submissions" export.

    ``marked``: its names carry its own words, so that one entry so named tells a class folder is its export
    (Canvas's are only a name and numbers: most entries must be).  ``numbered``: it renames a file handed in again
    under a name already used (``lab1-1.py``, ``lab1-2.py``: the highest number is the latest)."""

    name: str
    pattern: re.Pattern[str]
    read: Callable[[re.Match[str]], Entry]
    marked: bool = True
    numbered: bool = False
    #: The platform as it names the entries of one export, told by all their names and what its information
    #: files say (read by name; ``None``: as it names any).
    fit: Optional[Callable[[Platform, Sequence[str], Callable[[str], str]], Platform]] = None

    def entry(self, name: str) -> Optional[Entry]:
        found = self.pattern.match(name)
        return None if found is None else self.read(found)

    def fitted(self, names: Sequence[str], read: Callable[[str], str] = lambda name: "") -> Platform:
        """The platform as it names the entries of the export whose entries are ``names`` (``read``: the text of
        one of its files, "" when it cannot be read)."""
        return self if self.fit is None else self.fit(self, names, read)


def _moodle(found: re.Match[str]) -> Entry:
    rest = found["rest"]
    # A rest starting with a dot is the entry's own suffix (the folder handed in as an archive), not a file name.
    return Entry("Moodle", found["name"].strip(), found["id"], "" if rest.startswith(".") else rest,
                 files=found["plugin"] == "file")


def _canvas(found: re.Match[str]) -> Entry:
    return Entry("Canvas", found["name"] or found["id"], found["id"], found["rest"] or "",
                 files=found["other"] is None)


def _blackboard(found: re.Match[str]) -> Entry:
    return Entry("Blackboard", found["id"], found["id"], found["rest"] or "", when=found["when"],
                 files=found["other"] is None)


_BLACKBOARD = (r"^(?P<assignment>{assignment})_(?P<id>{id})_attempt_(?P<when>\d{{4}}(?:-\d{{2}}){{5}})"
               r"(?:_(?P<rest>.+)|(?P<other>\.txt))$")


_BLACKBOARD_USER = re.compile(r"^Name:.*\((?P<id>[^()\s]+)\)\s*$", re.MULTILINE)


def _blackboard_fit(platform: Platform, names: Sequence[str], read: Callable[[str], str]) -> Platform:
    """Blackboard as it names the entries of one export, where a username may hold ``_`` (``ann_lee``): every name
    starts with the assignment's, told by an attempt's information file (``Name: Ann Lee (ann_lee)``), else as the
    longest prefix ending in ``_`` common to them all (leaving each a username).  Names of one student only, without
    an information file naming them, cannot tell where the assignment ends: the username is then the part after
    its last ``_``, as any Blackboard name alone is read."""
    named = [name for name in names if platform.pattern.match(name)]
    for name in named:
        found = platform.pattern.match(name)
        user = _BLACKBOARD_USER.search(read(name)) if found is not None and found["other"] else None
        ending = "" if user is None or found is None else f"_{user['id']}_attempt_{found['when']}.txt"
        if ending and name.endswith(ending) and len(name) > len(ending):
            fitted = _blackboard_named(platform, name[:-len(ending)], named)
            if fitted is not None:
                return fitted
    common = os.path.commonprefix(named)
    common = common[:common.rfind("_")]
    while common:
        fitted = _blackboard_named(platform, common, named)
        if fitted is not None:
            return fitted
        common = common[:max(common.rfind("_"), 0)]
    return platform


def _blackboard_named(platform: Platform, assignment: str, names: Sequence[str]) -> Optional[Platform]:
    """Blackboard reading the assignment's name as ``assignment``, if every one of ``names`` then names a user."""
    pattern = re.compile(_BLACKBOARD.format(assignment=re.escape(assignment), id=r"[^\s]+?"))
    return replace(platform, pattern=pattern) if all(pattern.match(name) for name in names) else None


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _brightspace(found: re.Match[str]) -> Entry:
    hour = int(found["hour"]) % 12 + (12 if found["half"] == "PM" else 0)
    when = (f"{found['year']}-{_MONTHS.index(found['month']) + 1:02d}-{int(found['day']):02d} "
            f"{hour:02d}:{found['minute']}")
    return Entry("Brightspace", found["name"].strip(), found["id"], found["rest"] or "", when=when)


#: The exports understood, each a pattern giving the student's name, identifier and the file's own name.
PLATFORMS: tuple[Platform, ...] = (
    # Full Name_12345_assignsubmission_file_ (a folder), or that prefix then the file's name (older exports).
    Platform("Moodle", re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assign(?:submission|feedback)_(?P<plugin>[a-z]+)_"
                                  r"(?P<rest>.*)$"), _moodle),
    # Assignment Name_username_attempt_YYYY-MM-DD-HH-MM-SS_file, and ..._attempt_....txt (the attempt's details).
    # A username may hold "_": see _blackboard_fit.
    Platform("Blackboard", re.compile(_BLACKBOARD.format(assignment=".+", id=r"[^_\s]+")), _blackboard,
             fit=_blackboard_fit),
    # 12345-67890 - First Last - Sep 3, 2026 1002 PM (a folder; older exports: then " - " and the file's name).
    Platform("Brightspace", re.compile(r"^(?P<id>\d+-\d+) - (?P<name>.+?) - (?P<month>" + "|".join(_MONTHS) +
                                       r") (?P<day>\d{1,2}), (?P<year>\d{4}) (?P<hour>\d{1,2}):?(?P<minute>\d{2}) "
                                       r"(?P<half>[AP]M)(?: - (?P<rest>.+))?$"), _brightspace),
    # lastfirst[_LATE]_userid_fileid_file (anonymous grading: anon_ID for lastfirst_userid), or ..._userid_text.html
    # (an online text) and ..._link.html (a URL).
    Platform("Canvas", re.compile(r"^(?:(?P<name>\w+?)_)??(?:LATE_)?(?P<id>anon_[^\W_]+|\d+)_"
                                  r"(?:\d+_(?P<rest>.+)|(?P<other>text\.html|link\.html))$"), _canvas,
             marked=False, numbered=True),
)


def platform_entry(name: str, platforms: Iterable[Platform] = PLATFORMS) -> Optional[Entry]:
    """What the first of ``platforms`` naming an entry ``name`` says of it, else ``None``."""
    return next((entry for entry in (platform.entry(name) for platform in platforms) if entry is not None), None)


def _marked_entry(name: str) -> Optional[Entry]:
    """The entry ``name`` as a platform whose names carry its own words names it: a name that cannot be a
    student's or instructor's own by chance (``ML_2024_1_tp`` could be; ``Ana B_7_assignsubmission_file_`` cannot)."""
    return platform_entry(name, (platform for platform in PLATFORMS if platform.marked))


def _export_platform(names: Sequence[tuple[str, bool]], accepted: Accepted, *, top: bool,
                     read: Callable[[str], str] = lambda name: "") -> Optional[Platform]:
    """The platform whose export the entries ``(name, is file)`` are: the one naming most of them, when it names
    more of them than are left that could be a student's (files no exercise accepts, as an export's
    ``index.html``, do not count).  At the top of a class folder, the instructor's, one entry is enough for a
    platform whose names carry its own words."""
    best: Optional[tuple[int, Platform]] = None
    for platform in PLATFORMS:
        named = [platform.entry(name) is not None for name, _ in names]
        hits = sum(named)
        others = sum(1 for (name, is_file), hit in zip(names, named)
                     if not hit and (not is_file or accepted.is_submission_file(name)))
        if hits and (hits > others or (top and platform.marked)) and (best is None or hits > best[0]):
            best = (hits, platform)
    return None if best is None else best[1].fitted([name for name, _ in names], read)


#: Archive formats students use that the grader does not open (no unpacker in Python's standard library): their
#: student gets a row, in error, saying what to hand in instead, rather than being left out as no submission.
#: A file compressed on its own (``MODULE.py.gz``) or a zip of a newer method (``.zipx``) is one too.
UNOPENED_ARCHIVES = {".rar": "RAR", ".7z": "7-Zip", ".gz": "gzip", ".bz2": "bzip2", ".xz": "xz", ".zst": "Zstandard",
                     ".lzma": "LZMA", ".zipx": "ZIPX", ".cab": "cabinet", ".arj": "ARJ"}


def unopened(name: str) -> str:
    """Why the file ``name`` cannot be graded, if it is an archive the grader does not open; else ""."""
    kind = "" if is_archive(name) else UNOPENED_ARCHIVES.get(Path(name).suffix.lower())
    return (f"{name} is a {kind} archive, which the grader does not open: hand in a .zip (or .tar.gz) of your "
            "files, or the files themselves") if kind else ""


def _stem(name: str) -> str:
    lowered = name.lower()
    for suffix in (*ARCHIVE_SUFFIXES, ".py", ".ipynb"):
        if lowered.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    base, _, suffix = name.rpartition(".")
    if base and f".{suffix.lower()}" in UNOPENED_ARCHIVES:  # hana.py.gz, jo.tar.zst: the student's name
        return _stem(base)
    return name.rsplit(".", 1)[0] if "." in name[1:] else name


class _Class:
    """Collects students, grouping a platform's entries by student."""

    def __init__(self, accepted: Accepted, platform: Optional[Platform] = None) -> None:
        self.students: list[Submission] = []
        self.accepted = accepted
        self.platform = platform
        #: A student's files named with the platform's prefix (a flat layout), by (name, identifier).
        self.flat: dict[tuple[str, str], list[tuple[Part, str, Entry]]] = defaultdict(list)
        #: The platform's folders (or archives) each holding a student's files, with what their names say.
        self.folders: list[tuple[Submission, Entry]] = []
        self.ignored: list[str] = []
        #: Entries that are no file handed in (Moodle's online text or comments, Canvas's online text, Blackboard's
        #: information file): they stand for a student only when nothing else does.
        self.besides: list[Submission] = []
        #: Zips of the export inside the export's own folder whose files differ from those unpacked there.
        self.copies: list[str] = []

    def add(self, name: str, parts: tuple[Part, ...], source: str, *, is_file: bool = False,
            notes: tuple[str, ...] = (), platform: Optional[Platform] = None) -> None:
        """Add the entry ``name``, read as named by ``platform`` (by default the class's, if it is an export)."""
        reader = platform or self.platform
        entry = None if reader is None else reader.entry(name)
        if entry is None and is_file and unopened(name):
            stem = _stem(name)
            self.students.append(Submission(id=stem, name=stem, parts=parts, source=source, notes=notes,
                                            conflict=unopened(name)))
        elif entry is None and is_file and not self.accepted.is_submission_file(name):
            self.ignored.append(source)
        elif entry is None:
            stem = _stem(name) if is_file else name  # a folder's name is all its own (jean.dupont)
            self.students.append(Submission(id=stem, name=stem, parts=parts, source=source, notes=notes))
        elif entry.rest:
            # Flat layout: each file carries the prefix; the rest is the file's own name.
            self.flat[(entry.name, entry.id)].append((Part(parts[0].path, entry.rest, parts[0].within), source, entry))
        else:
            submission = Submission(id=entry.id, name=entry.name, parts=parts, source=source, participant=True)
            if entry.files:
                self.folders.append((submission, entry))
            else:
                self.besides.append(submission)

    def done(self) -> list[Submission]:
        for (name, number), items in self.flat.items():
            self.students.append(_flat_student(name, number, items, self.copies))
        self.students.extend(_latest_folders(self.folders))
        # A participant's online text (or comments, or the platform's information file) beside their files is not
        # code: the files are their submission.  Without files, the entry is all they handed in, and stands for them.
        with_files = {student.id for student in self.students if student.participant}
        for entry in self.besides:
            if entry.id in with_files:
                self.ignored.append(entry.source)
            else:
                self.students.append(entry)
                with_files.add(entry.id)
        return _claimed_once(self.students, self.copies)


def _latest(items: Sequence[tuple[Part, str, Entry]]) -> tuple[list[tuple[Part, str, Entry]], list[str]]:
    """The items of the latest attempt, and the sources of the earlier ones (left out)."""
    latest = max(entry.when for _, _, entry in items)
    return ([item for item in items if item[2].when == latest],
            [source for _, source, entry in items if entry.when != latest])


_NUMBERED = re.compile(r"^(?P<stem>.+)-(?P<number>\d+)(?P<suffix>(?:\.[A-Za-z][A-Za-z0-9]*)*(?:\.[A-Za-z0-9]*)?)$")


def _renumbered(items: list[tuple[Part, str, Entry]], platform: str) -> tuple[list[tuple[Part, str, Entry]], list[str]]:
    """``platform``'s numbering of a file handed in again undone: of ``lab1.py``, ``lab1-1.py``, ``lab1-2.py``,
    the highest number is the latest, graded as ``lab1.py``, which the first ``lab1.py`` then leaves (it is
    left out); the other numbered copies keep their names.  Notes say so."""
    copies: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for index, (part, _, _) in enumerate(items):
        found = _NUMBERED.match(part.target)
        name, number = (found["stem"] + found["suffix"], int(found["number"])) if found else (part.target, 0)
        copies[name].append((number, index))
    renamed: dict[int, str] = {}
    dropped: set[int] = set()
    notes: list[str] = []
    for name, numbered in copies.items():
        number, index = max(numbered)
        if number == 0:
            continue
        renamed[index] = name
        replaced = [other for copy, other in numbered if copy == 0]
        dropped.update(replaced)
        notes.append(f"{items[index][0].target} graded as {name}: {platform} numbers a file handed in again under "
                     "the same name, the highest number being the latest" + (f" ({name} left out)" if replaced else ""))
    kept = [(replace(part, target=renamed[index]), source, entry) if index in renamed else (part, source, entry)
            for index, (part, source, entry) in enumerate(items) if index not in dropped]
    return kept, notes


def _flat_student(name: str, number: str, items: list[tuple[Part, str, Entry]], copies: Sequence[str]) \
        -> Submission:
    """One student of a flat layout: their files of the latest attempt."""
    sources = [source for _, source, _ in items]
    # Files of one participant come from one place: the export's folder, or one archive of it.
    places = {part.path if part.within else part.path.parent for part, _, _ in items}
    conflict = _conflict(number, sources, copies) if len(places) > 1 else ""
    kept, older = _latest(items)
    notes = [f"graded the latest attempt; earlier ones left out: {', '.join(older)}"] if older else []
    platform = next(platform for platform in PLATFORMS if platform.name == items[0][2].platform)
    if platform.numbered:
        kept, renamed = _renumbered(kept, platform.name)
        notes += renamed
    return Submission(id=number, name=name, parts=tuple(part for part, _, _ in kept),
                      source=", ".join(source for _, source, _ in kept), participant=True, conflict=conflict,
                      notes=tuple(notes))


def _latest_folders(folders: Sequence[tuple[Submission, Entry]]) -> list[Submission]:
    """The platform's folders of the students: of one student's dated folders in one place (Brightspace keeps one
    per submission), the latest, with a note naming the others, left out."""
    dated: dict[tuple[str, object], list[tuple[Submission, Entry]]] = defaultdict(list)
    found: list[Submission] = []
    for submission, entry in folders:
        part = submission.parts[0]
        if entry.when:
            dated[(entry.id, (part.path, part.within[:-1]) if part.within else part.path.parent)].append(
                (submission, entry))
        else:
            found.append(submission)
    for attempts in dated.values():
        latest = max(attempts, key=lambda attempt: attempt[1].when)[0]
        older = [submission.source for submission, _ in attempts if submission is not latest]
        notes = (f"graded the latest submission, {latest.source}; earlier ones left out: {', '.join(older)}",)
        found.append(replace(latest, notes=latest.notes + notes) if older else latest)
    return found


def _conflict(number: str, sources: Sequence[str], copies: Sequence[str] = ()) -> str:
    """Why participant ``number``, claimed by the entries ``sources``, is graded for none of them; ``copies``: zips
    of the export in its own folder (the usual cause, then said in its own words)."""
    listed = "; ".join(sources)
    copy = next((copy for copy in copies if any(source.startswith(f"{copy}:") for source in sources)), None)
    if copy is not None:
        return (f"participant {number} appears more than once in the class folder ({listed}): {copy} is the export "
                "again, but its files differ from the ones unpacked here, so none of them is graded as theirs; keep "
                "only one copy of the export (the zip or its unpacked entries) and grade again")
    return (f"participant {number} appears more than once in the class folder ({listed}): a submission "
            "may claim another student's number, so none of them is graded as theirs; keep only the real one and "
            "grade again")


def _claimed_once(students: list[Submission], copies: Sequence[str] = ()) -> list[Submission]:
    """Each participant number claimed by one entry only: a student's own archive shaped like an export must not
    stand in for another student (their row of the gradebook would get its grade).  Every entry claiming a
    number that another also claims gets a conflict instead of a grade."""
    claims: dict[str, list[Submission]] = defaultdict(list)
    for student in students:
        if student.participant:
            claims[student.id].append(student)
    shared = {number: [claim.source for claim in claimed] for number, claimed in claims.items() if len(claimed) > 1}
    return [replace(student, conflict=_conflict(student.id, shared[student.id], copies))
            if student.participant and student.id in shared else student for student in students]


def _wrapped(names: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    """The single folder wrapping every member of an archive, if there is one and it is not a student's."""
    firsts = {parts[0] for parts in names}
    # The wrapping folder's own entry ("TP1/", which zip -r and Finder write) is no member of its own.
    if len(firsts) == 1 and any(len(parts) > 1 for parts in names):
        only = next(iter(firsts))
        if _marked_entry(only) is None:
            return (only,)
    return ()


#: A zip that is a class's export: its platform, wrapping folder and top-level entries ``(name, is file)``.
_Export = tuple[Platform, tuple[str, ...], list[tuple[str, bool]]]


def _export_zip(path: Path, accepted: Accepted, *, top: bool = False) -> Optional[_Export]:
    """What the zip ``path`` is, when it is a class's export (``top``: it is the class itself)."""
    names = zip_names(path)
    if not names:
        return None
    wrap = _wrapped(names)
    folders = {parts[len(wrap)] for parts in names if len(parts) > len(wrap) + 1}
    tops = [(name, name not in folders)
            for name in dict.fromkeys(parts[len(wrap)] for parts in names if len(parts) > len(wrap))]
    platform = _export_platform(tops, accepted, top=top, read=lambda name: zip_text(path, (*wrap, name)))
    return None if platform is None else (platform, wrap, tops)


def _folder_platform(folder: Path, accepted: Accepted) -> Optional[Platform]:
    """The platform whose export the folder (inside the class folder) is, if it is one."""
    children = _entries(folder, ())
    return _export_platform([(child.name, _is_file(child)) for child in children], accepted, top=False,
                            read=lambda name: _small_text(folder / name))


def _small_text(path: Path, limit: int = 64 * 1024) -> str:
    """The text of the small regular file ``path`` (an export's information file); "" otherwise."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > limit:
            return ""
        return path.read_bytes()[:limit].decode("utf-8", errors="replace")
    except OSError:
        return ""


def _entries(folder: Path, skip: Iterable[Path]) -> list[Path]:
    skipped = {item.resolve() for item in skip}
    children = [child for child in folder.iterdir() if not is_junk(child.name)]
    children = [child for child in children if child.is_symlink() or child.resolve() not in skipped]
    return sorted(children, key=lambda child: (child.name.casefold(), child.name))


def _is_file(entry: Path) -> bool:
    return entry.is_symlink() or not entry.is_dir()


def _claims_note(relative: str, tops: Iterable[str], platform: Platform) -> str:
    """The note of an entry of a plain class folder shaped like an export: graded as its own, claiming nobody."""
    named = (platform.entry(top) for top in tops)
    claims = list(dict.fromkeys(f"{entry.name} ({entry.id})" for entry in named if entry is not None))
    shown = ", ".join(claims[:3]) + (f" and {len(claims) - 3} more" if len(claims) > 3 else "")
    return (f"{relative} is shaped like a learning-platform export (it names {shown}): in a class folder that is "
            "not such an export it is graded as this student's own submission, never as another student's; "
            "to grade an export, grade its folder or zip itself")


def _add_entry(found: _Class, entry: Path, relative: str, *, export: bool) -> None:
    """Add the entry ``relative`` of the class folder; ``export``: the class folder is a learning-platform export,
    whose entries may hold others (an unpacked export or its zip inside it)."""
    if export and found.platform is not None and found.platform.entry(entry.name) is not None:
        # A student's own entry of the export (their folder, or a file they handed in, even an archive holding
        # names shaped like the export's): theirs, never read as other students' entries.
        found.add(entry.name, (Part(entry, entry.name),), relative, is_file=_is_file(entry))
        return
    folder = not entry.is_symlink() and entry.is_dir()
    platform = _folder_platform(entry, found.accepted) if folder else None
    if platform is not None:
        children = _entries(entry, ())
        if not export:
            found.add(entry.name, (Part(entry, entry.name),), relative,
                      notes=(_claims_note(relative, [child.name for child in children], platform),))
            return
        for child in children:
            found.add(child.name, (Part(child, child.name),), f"{relative}/{child.name}", is_file=_is_file(child),
                      platform=platform)
        return
    if not entry.is_symlink() and entry.is_file() and entry.name.lower().endswith(".zip"):
        shaped = _export_zip(entry, found.accepted)
        if shaped is not None and not export:
            found.add(entry.name, (Part(entry, entry.name),), relative, is_file=True,
                      notes=(_claims_note(relative, [name for name, _ in shaped[2]], shaped[0]),))
            return
        if shaped is not None and zip_unpacked_in(entry, shaped[1], entry.parent):
            # The export's own zip left beside its unpacked entries: the same students, graded once.
            found.ignored.append(f"{relative} (the export already unpacked here: remove one)")
            return
        if shaped is not None:
            platform, wrap, tops = shaped
            if export and all((entry.parent / top).exists() for top, _ in tops):
                found.copies.append(relative)  # the same entries as the folder's own, in other versions
            for top, is_file in tops:
                found.add(top, (Part(entry, top, (*wrap, top)),), f"{relative}:{'/'.join((*wrap, top))}",
                          is_file=is_file, platform=platform)
            return
    found.add(entry.name, (Part(entry, entry.name),), relative, is_file=_is_file(entry))


def _cleaned(students: Iterable[Submission]) -> list[Submission]:
    """Ids and names as every output shows them: on one line, control and bidirectional characters made visible
    (``\\x1b``, ``\\u202e``), so no gradebook, page or report carries them raw."""
    return [replace(student, id=clean_line(student.id), name=clean_line(student.name)) for student in students]


def _unique(students: list[Submission]) -> list[Submission]:
    """Ids made unique, and so their folders in OUT (compared case-insensitively, as some file systems do):
    later duplicates get a suffix, and a note on each entry of the same id names them all (see :func:`_twins`).
    A suffix never makes the id another entry has of its own (``sam.zip`` beside folders ``sam`` and ``sam (2)``
    is ``sam (3)``): a gradebook imported by id must not give one student's score to another."""
    taken: set[str] = set()
    own = {folder_name(student.id).casefold() for student in students}
    unique = []
    for student in students:
        candidate, number = student.id, 1
        while folder_name(candidate).casefold() in taken or (candidate != student.id
                                                             and folder_name(candidate).casefold() in own):
            number += 1
            candidate = f"{student.id} ({number})"
        if candidate != student.id:
            student = replace(student, id=candidate)
        taken.add(folder_name(candidate).casefold())
        unique.append(student)
    return _twins(unique, [_twin_key(student.id) for student in students])


#: A browser's numbering of a second download of one name (``alice (1).py`` beside ``alice.py``).
_DOWNLOADED_AGAIN = re.compile(r" \(\d+\)$")


def _twin_key(student_id: str) -> str:
    """What entries of one student share: their id, a browser's ``(N)`` of a second download left out, compared
    as :func:`_unique` compares folders."""
    return folder_name(_DOWNLOADED_AGAIN.sub("", student_id)).casefold()


def _entry_words(student: Submission) -> str:
    """The entry of the class folder ``student`` came from, as the instructor sees it (``the folder sam/``)."""
    part = student.parts[0] if len(student.parts) == 1 else None
    if part is not None and not part.within and not part.path.is_symlink() and part.path.is_dir():
        return f"the folder {student.source}/"
    return student.source


def _twins(students: list[Submission], keys: Sequence[str]) -> list[Submission]:
    """Entries that had one id (``keys``: each student's before it was made unique), such as ``sam/`` and
    ``sam.zip`` as unzipping an archive in place leaves them, are each graded, never merged or dropped unseen: a
    note on each names them all, for the instructor to keep one.  Entries already told apart by a conflict (a
    participant number claimed twice) say so themselves."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, (student, key) in enumerate(zip(students, keys)):
        if not student.conflict:
            groups[key].append(index)
    noted = list(students)
    for group in (group for group in groups.values() if len(group) > 1):
        entries = _listed([_entry_words(students[index]) for index in group])
        ids = _listed([students[index].id for index in group])
        two = len(group) == 2
        note = (f"{entries} are {'both' if two else 'all'} in the class folder: graded as {ids}; "
                f"remove {'one' if two else 'all but one'} of them")
        for index in group:
            noted[index] = replace(students[index], notes=(*students[index].notes, note))
    return noted


def _listed(items: Sequence[str]) -> str:
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _grader_output(entry: Path, accepted: Accepted) -> bool:
    """Whether the entry of a class folder is an earlier ``OUT`` of the grader (``--out CLASS/graded1``): its
    gradebook beside students' folders holding their stamp, and no file of a submission of its own (a student's
    folder once given as ``OUT`` stays that student's)."""
    from grader.grade._gradebook import GRADEBOOK
    from grader.grade._outputs import STAMP

    if entry.is_symlink() or not entry.is_dir() or not (entry / GRADEBOOK).is_file():
        return False
    children = [child for child in entry.iterdir() if not is_junk(child.name)]
    if any(accepted.is_submission_file(child.name) for child in children if child.is_file()):
        return False
    return any(not child.is_symlink() and child.is_dir() and (child / STAMP).is_file() for child in children)


def _folder_is_one_submission(folder: Path, accepted: Accepted) -> bool:
    """A folder holding an exercise's file at its root (or as in a clone of the course), and no student's entry.

    A folder whose subfolders hold exercise files, or whose archives hold whole submissions, is a class, even with
    a stray exercise file at its top (the skeleton left in the download folder); a student's folder wrapped once
    more (``dave/dave-main/MODULE.py``) is read as a class of that folder.  Bare files are no such sign: a
    student's folder may hold helpers beside their exercise's file."""
    if _marked_entry(folder.name) is not None:
        return True
    if not any((folder / candidate).is_file() for candidate in (*accepted.names, *accepted.layouts)):
        return False
    children = [child for child in folder.iterdir() if not is_junk(child.name)]
    return not any(_students_entry(child, accepted) for child in children)


def _students_entry(child: Path, accepted: Accepted) -> bool:
    """Whether the entry of a folder is a whole student's: a folder named as a platform names one or holding an
    exercise's file, or an archive of a submission or of an export (a student's own folder holds neither)."""
    if child.is_symlink():
        return False
    if child.is_dir():
        return _marked_entry(child.name) is not None or any((child / name).is_file() for name in accepted.names)
    lowered = child.name.lower()
    if not child.is_file() or not is_archive(lowered):
        return False
    if lowered.endswith(".zip"):
        names = zip_names(child)
        return bool(names) and (_export_zip(child, accepted) is not None or _holds_submission(names, accepted))
    return _holds_submission(tar_names(child), accepted)


def _holds_submission(names: Sequence[tuple[str, ...]], accepted: Accepted) -> bool:
    """Whether an archive's members ``names`` are one submission: an exercise's file at their top, once a
    wrapping folder is left out, or as in a clone of the course."""
    wrap = _wrapped(names)
    return accepted.holds_one("/".join(parts[len(wrap):]) for parts in names if len(parts) > len(wrap))


def _zip_is_one_submission(archive: Path, names: Sequence[tuple[str, ...]], accepted: Accepted) -> bool:
    """A zip holding an exercise's file at its top (or as in a clone of the course), and no student folders:
    as :func:`_folder_is_one_submission` reads the same files unzipped."""
    if _export_zip(archive, accepted) is not None or not _holds_submission(names, accepted):
        return False
    wrap = _wrapped(names)
    wanted = {name.casefold() for name in accepted.names}
    return not any(len(parts) > len(wrap) + 1 and (_marked_entry(parts[len(wrap)]) is not None
                                                   or (len(parts) == len(wrap) + 2 and parts[-1].casefold() in wanted))
                   for parts in names)


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
    names = zip_names(archive)
    if not names:
        raise UsageError(f"{archive} is not a readable zip archive of submissions")
    export = _export_zip(archive, found.accepted, top=True)
    if export is None:
        wrap = _wrapped(names)
        folders = {parts[len(wrap)] for parts in names if len(parts) > len(wrap) + 1}
        tops = [(name, name not in folders)
                for name in dict.fromkeys(parts[len(wrap)] for parts in names if len(parts) > len(wrap))]
    else:
        found.platform, wrap, tops = export
    for top, is_file in tops:
        found.add(top, (Part(archive, top, (*wrap, top)),), "/".join((*wrap, top)), is_file=is_file)
    # Left out as never a submission, but listed, as for the class unpacked: at the zip's top or the class's.
    found.ignored = sorted([*found.ignored, *("/".join(parts) for parts in zip_junk(archive)
                                              if len(parts) <= len(wrap) + 1)], key=lambda name: (name.casefold(), name))


def _stray_noted(students: list[Submission], accepted: Accepted) -> list[Submission]:
    """A file at the top of a class, named as an exercise's file (``MODULE.py`` beside the students' entries), is
    most often the skeleton left in the download folder: it keeps its row, as every entry that may be a
    submission does (never dropped unseen), with a note telling the instructor to remove it if it is no student's."""
    if len(students) < 2:
        return students
    wanted = {name.casefold() for name in accepted.names}
    return [replace(student, notes=(*student.notes, _stray_note(student))) if _is_stray(student, wanted)
            else student for student in students]


def _is_stray(student: Submission, wanted: set[str]) -> bool:
    part = student.parts[0] if len(student.parts) == 1 else None
    return (part is not None and not student.participant and part.target.casefold() in wanted
            and (bool(part.within) or (not part.path.is_symlink() and part.path.is_file())))


def _stray_note(student: Submission) -> str:
    return (f"{clean_line(student.source)} is at the top of the class folder and named as the exercise's file, not "
            "after a student: it is graded as a student of its own; if it is no student's submission (the "
            "exercise's skeleton left there), remove it from the class folder and grade again")


def discover_class(submissions: Path, *, skip: Iterable[Path] = (), accepted: Accepted = Accepted()) \
        -> ClassFolder:
    """The students of ``submissions``: a folder (or a platform's zip) of submissions, or one student's submission
    (``accepted`` says what a submission may hold: see :func:`accepted_files`); sorted by id.
    ``skip``: paths to leave out."""
    submissions = Path(submissions)
    if not submissions.exists():
        raise UsageError(f"{submissions} not found: pass the folder holding the class's submissions")
    found = _Class(accepted)
    if _one_submission(submissions, accepted):
        # Named as a platform names a student's entry, in its own words: that student (a Moodle folder...).
        found.platform = next((platform for platform in PLATFORMS
                               if platform.marked and platform.entry(submissions.name) is not None), None)
        found.add(submissions.name, (Part(submissions, submissions.name),), submissions.name,
                  is_file=_is_file(submissions))
        return ClassFolder(tuple(_cleaned(found.done())), single=True)
    if submissions.is_file() and submissions.name.lower().endswith(".zip"):
        _zip_tops(found, submissions)
    elif submissions.is_dir():
        entries = _entries(submissions, skip)
        found.platform = _export_platform([(entry.name, _is_file(entry)) for entry in entries], accepted, top=True,
                                          read=lambda name: _small_text(submissions / name))
        for entry in entries:
            if _grader_output(entry, accepted):
                found.ignored.append(entry.name)
            else:
                _add_entry(found, entry, entry.name, export=found.platform is not None)
        # Left out as never a submission, but listed: a student's entry is never dropped unseen.
        found.ignored = sorted([*found.ignored, *(child.name for child in submissions.iterdir()
                                                   if is_junk(child.name))], key=lambda name: (name.casefold(), name))
    else:
        raise UsageError(f"{submissions} is not a folder of submissions, a zip of them, or one student's "
                         f"submission (a .py file, an archive, or a folder holding the exercise's file)")
    students = sorted(_stray_noted(_cleaned(found.done()), accepted),
                      key=lambda student: (student.id.casefold(), student.id, student.source))
    return ClassFolder(tuple(_unique(students)), tuple(found.ignored))


def discover(submissions: Path, *, skip: Iterable[Path] = (), accepted: Accepted = Accepted()) \
        -> list[Submission]:
    """Every student of the folder (or a platform's zip) ``submissions``, sorted by id; see :func:`discover_class`."""
    return list(discover_class(submissions, skip=skip, accepted=accepted).students)
