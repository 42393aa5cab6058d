"""Preparing one student's submission in the scratch area: copy or unpack it, find each module, read it.

When one exercise is graded, a submission's only source file is graded as its module whatever its name, and a
note says so (unless it is the class folder's entry itself, named after the student), except the file of another
exercise of the course (``lab2.py`` when grading ``lab1``) that does not define this one's functions: that is
missing, saying so.

The submissions folder is only ever read.  Everything that follows (unpacking
nested archives, renaming a module, converting its encoding) happens on the
private copy.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional

from grader.config import LANGUAGE_EXTENSIONS, ExerciseConfig
from grader.errors import ConfigError
from grader.grade._archive import Caps, SubmissionProblem, Unpacked, copy_entry, extract, is_archive
from grader.grade._discover import Submission, submission_files, unopened
from grader.grade._paths import is_junk
from grader.grade._source import read_source
from grader.render._view import LANGUAGE_NAMES
from grader.sandbox.compile import local_includes
from grader.sources import (READERS, Candidate, Choice, choose, copy_of, defines_none, exercise_of, file_names,
                            written_elsewhere, written_for)
from grader.results import Status

#: Why an exercise of a submission cannot be graded: its status (``missing`` or ``error``) and a message.
Problem = tuple[Status, str]
_NO_PROBLEM: Problem = ("graded", "")

__all__ = ["Prepared", "prepare", "locate"]

_UNWRAP_LEVELS = 5
_NESTED_ROUNDS = 2


@dataclass(frozen=True)
class Prepared:
    """A student's submission ready to grade.

    ``modules`` maps each exercise to the module to grade in the scratch area
    (``None``: nothing to grade); ``problems`` gives, for those, the status
    (``missing`` or ``error``) and the message of their report; ``used`` names
    the file graded, as a path inside the submission; ``digests`` hash its bytes (and those of the files of
    its folder a C or Fortran source includes, compiled with it).
    """

    modules: Mapping[str, Optional[Path]]
    problems: Mapping[str, Problem] = field(default_factory=dict)
    used: Mapping[str, str] = field(default_factory=dict)
    digests: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def _files(root: Path) -> list[Path]:
    found = []
    for folder, folders, names in os.walk(root):  # the scratch copy holds no links: nothing to follow
        folders[:] = sorted(name for name in folders if not is_junk(name))
        found += [Path(folder) / name for name in sorted(names) if not is_junk(name)]
    return found


def _unwrap(root: Path) -> Path:
    """Below folders that only wrap one folder (``repo-main/``, a zip's own folder)."""
    for _ in range(_UNWRAP_LEVELS):
        children = [child for child in root.iterdir() if not is_junk(child.name)]
        if len(children) != 1 or not children[0].is_dir():
            break
        root = children[0]
    return root


#: Suffix of the folder an archive found in a submission is unpacked into, next to it (see _expand_archives).
_UNPACKED = ".contents"


def _shown(path: Path, raw: Path) -> str:
    """``path`` as the student knows it: relative to their submission, a file of an archive inside the archive
    (``leo.zip/Lab1/lab1.py``), never the scratch folder it was unpacked into."""
    parts = path.relative_to(raw).parts
    return "/".join(part[:-len(_UNPACKED)] if part.endswith(_UNPACKED) and is_archive(part[:-len(_UNPACKED)])
                    else part for part in parts)


def _listing(files: list[Path], raw: Path) -> str:
    names = [_shown(path, raw) for path in files[:8]]
    return ", ".join(names) + (f" and {len(files) - 8} more" if len(files) > 8 else "")


def _named(raw: Path, root: Path, exercise: ExerciseConfig, name: str,
           files: list[Path]) -> tuple[list[Path], Problem]:
    """The files ``name`` of the submission: at its top and at their place in the course layout (both, when both
    are there: the one completed is chosen), else the one nearest the top whatever the case of its name; several
    at that depth are a problem."""
    places = [root / name]
    try:
        places.append(root / exercise.skeleton.relative_to(exercise.root).with_name(name))
    except ValueError:
        pass
    placed = [place for place in dict.fromkeys(places) if place.is_file()]
    if placed:
        # Beside each: the same name in another case, or a browser's numbered copy (``lab1 (1).py``): a skeleton
        # left as handed out must not hide the copy the student completed (the exact name first, on a tie).
        copies = [path for path in files if path not in placed and path.parent in {place.parent for place in placed}
                  and copy_of(path.name, name)]
        return placed + copies, _NO_PROBLEM
    # Else a copy so named (``Lab1.py``, ``lab1 (1).py`` downloaded again), even alone: the nearest the top.
    named = [path for path in files if copy_of(path.name, name)]
    if not named:
        return [], _NO_PROBLEM
    depth = min(len(path.relative_to(raw).parts) for path in named)
    nearest = [path for path in named if len(path.relative_to(raw).parts) == depth]
    if len({path.parent for path in nearest}) == 1:
        # Copies side by side (``lab1.py`` and ``lab1 (1).py``): the one completed is chosen, the exact name first.
        return sorted(nearest, key=lambda path: path.name != name), _NO_PROBLEM
    return [], ("error", f"the submission holds several {name} ({_listing(nearest, raw)}): keep only the one to grade")


def _locate(raw: Path, exercise: ExerciseConfig, unpacked: Unpacked,
            single: bool, entry: str = "") -> tuple[list[Path], Problem, str]:
    """``(modules, (status, problem), note)`` of one exercise in the unpacked submission ``raw``: every file of
    its names found (``MODULE.py`` and ``MODULE.ipynb``: :func:`grader.sources.choose` picks the one completed).
    ``entry``: the name of the student's entry in the class folder (``alice.py``: a lone file so named is their
    entry itself, named after them; "" for an upload, whose files are named by the student's choice)."""
    module = exercise.module
    root = _unwrap(raw) if raw.is_dir() else raw
    if exercise.kind == "program":
        return _locate_program(raw, root, exercise, unpacked, single)
    files = _files(raw) if raw.is_dir() else []
    hits: list[Path] = []
    for name in _names(exercise):
        named, problem = _named(raw, root, exercise, name, files)
        if problem != _NO_PROBLEM:
            return [], problem, ""
        hits += named
    if hits:
        if any(path.name in _names(exercise) for path in hits):
            return hits, _NO_PROBLEM, ""
        note = (f"graded {_shown(hits[0], raw)} as {module} (a copy of that name: no {module} in the submission)"
                if len(hits) == 1 else f"no {module} in the submission: graded a copy of that name")
        return hits, _NO_PROBLEM, note
    links = [link for link in unpacked.links if link.rsplit("/", 1)[-1].casefold() == module.casefold()]
    if links:
        return [], ("missing", f"{links[0]} is a link, not the file itself: symbolic links (and an archive's hard "
                                 "links) are never followed, so it was not graded; "
                                 f"submit the file {module} itself"), ""
    suffixes = LANGUAGE_EXTENSIONS.get(exercise.language, (Path(module).suffix.lower(),))
    sources = [path for path in files if path.suffix.lower() in suffixes]
    if single and len(sources) == 1:
        if files == sources and sources[0].parent == raw and sources[0].name == entry:
            return sources[:1], _NO_PROBLEM, ""  # the class folder's entry itself, named after the student
        # Any other name is the student's choice of file (an upload, ``lab2.py``): they are told how it was read.
        language = LANGUAGE_NAMES.get(exercise.language, exercise.language)
        return sources[:1], _NO_PROBLEM, f"graded {_shown(sources[0], raw)} as {module} (the only {language} file)"
    if not files:
        return [], _empty(module, unpacked), ""
    archived = next((unopened(_shown(path, raw)) for path in files if unopened(path.name)), "")
    if archived:
        return [], ("error", archived), ""
    advice = f"name your file {' or '.join(_names(exercise))}"
    return [], ("missing", f"no {module} in the submission (it holds {_listing(files, raw)}): {advice}"), ""


def _empty(module: str, unpacked: Unpacked) -> Problem:
    """Why a submission holding no file has nothing to grade: it was empty, or all it held was left out."""
    if not unpacked.left_out:
        return "missing", f"the submission is empty: no {module} to grade"
    first = unpacked.left_out[0]
    more = f", and {len(unpacked.left_out) - 1} more" if len(unpacked.left_out) > 1 else ""
    return "missing", (f"nothing to grade: every file of the submission was left out ({first}{more}; see the notes): "
                       "hand in your file itself (not a link to it), or an archive of the folder that holds it")


def _names(exercise: ExerciseConfig) -> tuple[str, ...]:
    """The file names a submission of ``exercise`` may have: its module, and for Python its notebook."""
    if exercise.language != "python" or Path(exercise.module).suffix.lower() != ".py":
        return (exercise.module,)
    return exercise.module, str(Path(exercise.module).with_suffix(".ipynb"))


def _locate_program(raw: Path, root: Path, exercise: ExerciseConfig, unpacked: Unpacked,
                    single: bool) -> tuple[list[Path], Problem, str]:
    """A program submission: the exercise's file name with any program suffix (``NAME.py``, ``NAME.c``,
    ``NAME.f90``...), else the only program source of a one-exercise class.  Every file so named at the top and at
    the course layout's place is returned (a starter repository holds a skeleton in each language: the one
    completed is chosen), else those nearest the top when they share a folder; several in different folders at that
    depth are a problem."""
    from grader.student._build import LANGUAGES

    stem = Path(exercise.module).stem.casefold()
    files = _files(raw) if raw.is_dir() else ([raw] if raw.is_file() else [])
    sources = [path for path in files if path.suffix.lower() in LANGUAGES]
    named = sorted((path for path in sources if path.stem.casefold() == stem),
                   key=lambda path: _in_order(path, exercise))
    if named:
        base = root if raw.is_dir() else raw.parent
        places = {base}
        try:
            places.add(base / exercise.skeleton.parent.relative_to(exercise.root))
        except ValueError:
            pass
        placed = [path for path in named if path.parent in places]
        if placed:
            return placed, _NO_PROBLEM, ""
        depth = min(len(path.relative_to(base).parts) for path in named)
        nearest = [path for path in named if len(path.relative_to(base).parts) == depth]
        if len({path.parent for path in nearest}) == 1:
            return nearest, _NO_PROBLEM, ""
        return [], ("error", f"the submission holds several programs named {stem} ({_listing(nearest, raw)}): "
                             "keep only the one to grade"), ""
    if single and len(sources) == 1:
        return sources, _NO_PROBLEM, f"graded {_shown(sources[0], raw)} as the program (the only source file)"
    if not files:
        return [], _empty(exercise.module, unpacked), ""
    suffixes = ", ".join(sorted(LANGUAGES))
    if single and len(sources) > 1:
        # Work handed in: a program beside a plotting script is the one named after the exercise's first word
        # (lab.c beside plot.py for an exercise lab_program); else (a _2d and a _3d copy) which file is the
        # program cannot be told, but nothing is missing.
        word = stem.split("_")[0]
        related = [path for path in sources if word and word in path.stem.casefold()]
        if len(related) == 1:
            others = ", ".join(_shown(path, raw) for path in sources if path != related[0])
            return related, _NO_PROBLEM, (f"graded {_shown(related[0], raw)} as the program (named after {word}); "
                                          f"also found {others}, not graded")
        return [], ("error", f"the submission holds several source files, none named {stem} "
                             f"({_listing(sources, raw)}): name the program to grade {stem} with the suffix of its "
                             f"language ({suffixes}), or hand in only it"), ""
    return [], ("missing", f"no program in the submission (it holds {_listing(files, raw)}): name your file "
                           f"{stem} with the suffix of its language ({suffixes})"), ""


def _in_order(path: Path, exercise: ExerciseConfig) -> tuple[int, bool, str]:
    """Where a program's file comes among several, as ``grader check`` lists them (see
    :func:`grader.sources.module_names`): by language in the course's order, the language's own suffix first."""
    order = list(dict.fromkeys([exercise.language, *LANGUAGE_EXTENSIONS]))
    language = exercise.language_of(path)
    own = LANGUAGE_EXTENSIONS.get(language, ("",))[0]
    return order.index(language) if language in order else len(order), path.suffix != own, path.name


def _locate_language(raw: Path, exercise: ExerciseConfig, unpacked: Unpacked,
                     single: bool, entry: str = "") -> tuple[Optional[Path], Problem, str, str]:
    """Like :func:`_locate`, over every language of the exercise; also returns the language found.

    When the submission holds the exercise in several languages (``MODULE.py`` and ``MODULE.c``: a starter
    repository holds a skeleton in each), the file the student worked on is graded, as ``grader check`` chooses
    it (:func:`grader.sources.choose`: the fewest functions still marked as to write; on a tie, the first in the
    order of ``config.yaml``), and a note says so.  So is a module beside its notebook (``MODULE.py`` and
    ``MODULE.ipynb``): a skeleton left as it was never hides the file the student wrote."""
    found = []
    for name in list(exercise.languages) or [exercise.language]:
        in_language = exercise.for_language(name) if exercise.languages else exercise
        paths, problem, note = _locate(raw, in_language, unpacked, single, entry)
        found.append((name, paths, problem, note, in_language.module))
    hits: list[tuple[str, Path, str]] = []  # each file once (a program's languages find the same file)
    for name, paths, _, note, _ in found:
        # A whole program may be in any language: its suffix tells which.
        hits += [(exercise.language_of(path) if exercise.kind == "program" else name, path, note)
                 for path in paths if path not in [hit[1] for hit in hits]]
    if not hits:
        name, _, problem, note, _ = found[0]
        others = list(dict.fromkeys([*(module for _, _, _, _, module in found[1:]),
                                     *(other for other, _ in submission_files(exercise))]))
        others = [other for other in others if other != exercise.module]
        if others and problem[0] == "missing":
            problem = (problem[0], problem[1].replace(f"no {exercise.module} ",
                                                      f"no {exercise.module} (nor {', '.join(others)}) ", 1))
        return None, problem, note, name
    # A file defining none of the exercise's functions (a plotting script, the course's public checks named like
    # the module) has no function left to write either: it never outranks one that defines them.
    contenders = [hit for hit in hits if not defines_none(hit[1], exercise)] or hits
    chosen = contenders[0]
    if len(contenders) > 1:
        choice = choose([Candidate(name, path) for name, path, _ in contenders],
                        program=exercise.kind == "program", root=raw, shipped=exercise.shipped)
        chosen = next((hit for hit in contenders if choice is not None and hit[1] == choice.path), contenders[0])
    name, path, note = chosen
    if len(hits) > 1:
        skipped = ", ".join(_shown(other, raw) for _, other, _ in hits if other != path)
        rule = ("the file with the fewest TODO comments left wins, then the first language of the course's list"
                if exercise.kind == "program" else
                "the file with the fewest functions left to write wins among those defining the exercise's "
                "functions, then the first language of the course's list, a module before its notebook unless it is "
                "the notebook exported as a script")
        note = "; ".join(filter(None, [note, f"graded {_shown(path, raw)} ({name}); also found {skipped}, not "
                                             f"graded ({rule}: keep only the file to grade)"]))
    return path, _NO_PROBLEM, "; ".join(filter(None, [note, _renamed_work(path, raw, exercise, hits)])), name


def _renamed_work(path: Path, raw: Path, exercise: ExerciseConfig, hits: list[tuple[str, Path, str]]) -> str:
    """A note when the file graded still marks functions as to write while another file of its language defines
    the exercise's functions (``my_lab1.py`` beside the skeleton ``lab1.py``), or, for a whole program, when the
    program graded still has TODO comments while a program beside it (or at the top) is done (``main.c`` beside
    the skeleton ``NAME.py``): the exercise's file name wins, and the student is told what to rename."""
    taken = [hit[1] for hit in hits]
    files = [other for other in _files(raw) if other not in taken]
    if exercise.kind == "program":
        near = {path.parent, _unwrap(raw) if raw.is_dir() else raw.parent}
        files = [other for other in files if other.parent in near]
    others = written_elsewhere(path, files, exercise)
    if not others:
        return ""
    shown = ", ".join(_shown(other, raw) for other in others)
    stem = Path(exercise.module).stem
    rename = (path.name if exercise.kind != "program" else stem + others[0].suffix if len(others) == 1 else
              f"{stem} with the suffix of its language")
    return f"also found {shown}, not graded: the file graded is {_shown(path, raw)}; rename yours {rename}"


def locate(folder: Path, exercise: ExerciseConfig, *, single: bool = True) -> Optional[Choice]:
    """The file of ``exercise`` in the submission ``folder`` as it is (a folder only read, its archives not
    unpacked), found as :func:`prepare` finds it (``single``: the exercise is the only one graded); ``None``
    when there is none."""
    path, _, note, language = _locate_language(Path(folder), exercise, Unpacked(), single)
    return Choice(path, language, note) if path is not None else None


#: What was found of one exercise: ``(module, problem, note, language)``.
_Located = tuple[Optional[Path], Problem, str, str]


def _lone_file(raw: Path, exercises: Mapping[str, ExerciseConfig], unpacked: Unpacked,
               located: dict[str, _Located], entry: str) -> dict[str, _Located]:
    """A submission of one source file named after no exercise (``erin.c``), in a class graded for several
    exercises: graded as the exercise it is for (see :func:`grader.sources.exercise_of`), or, when that cannot
    be told, one message for every exercise saying to pass ``--exercise``."""
    sources = [path for path in (_files(raw) if raw.is_dir() else []) if path.suffix.lower() in READERS]
    if len(sources) > 1:
        return _files_told_apart(raw, exercises, located, sources)
    if len(sources) != 1:
        return located
    lone, shown = sources[0], _shown(sources[0], raw)
    match = exercise_of(lone, exercises)
    if match.exercise is None:
        problem: Problem = ("missing", f"cannot tell which exercise {shown} is for (it is named after none and "
                                       "does not define one's functions): grade the class with --exercise ID "
                                       f"(one of {', '.join(exercises)}), or name the file after its exercise")
        return {exercise_id: (None, problem, "", found[3]) for exercise_id, found in located.items()}
    chosen = exercises[match.exercise]
    path, problem, note, language = _locate_language(raw, chosen, unpacked, True, entry)
    if path is None:
        return located
    told = f"{shown} is graded as {chosen.title} ({match.exercise}), {match.how}"
    nothing: Problem = ("missing", f"nothing submitted for this exercise: {told}")
    result: dict[str, _Located] = {exercise_id: (None, nothing, "", found[3])
              for exercise_id, found in located.items()}
    result[match.exercise] = (path, problem, "; ".join(filter(None, [told, note])), language)
    return result


def _files_told_apart(raw: Path, exercises: Mapping[str, ExerciseConfig], located: dict[str, _Located],
                      sources: list[Path]) -> dict[str, _Located]:
    """Several source files named after no exercise (``lab2.ipynb`` and ``lab3.ipynb``, a notebook beside an
    empty ``Untitled1.ipynb``): each graded as the exercise whose functions it defines (see
    :func:`grader.sources.exercise_of`), when no two are for the same exercise; the others are noted, not
    graded.  ``located`` as it was when no file is told apart, or two are for one exercise."""
    matches: dict[str, Path] = {}
    how: dict[str, str] = {}
    unread: list[Path] = []
    for path in sources:
        match = exercise_of(path, exercises)
        if match.exercise is None:
            unread.append(path)
        elif match.exercise in matches:
            other = matches[match.exercise]
            if {path.suffix.lower(), other.suffix.lower()} != {".py", ".ipynb"} or path.stem != other.stem:
                return located  # two files for one exercise: which one is the work cannot be told
            # A notebook and its script (``work.ipynb``, ``work.py``): chosen as between a module and its notebook.
            script, notebook = sorted((other, path), key=lambda item: item.suffix.lower() == ".ipynb")
            picked = choose([Candidate("python", script), Candidate("python", notebook)])
            matches[match.exercise] = picked.path if picked is not None else other
        else:
            matches[match.exercise], how[match.exercise] = path, match.how
    result: dict[str, _Located] = {}
    for exercise_id, found in located.items():
        chosen = matches.get(exercise_id)
        if chosen is None:
            told = "; ".join(f"{_shown(other, raw)} is graded as {exercises[other_id].title} ({other_id})"
                             for other_id, other in matches.items())
            result[exercise_id] = (None, ("missing", f"nothing submitted for this exercise: {told}"), "", found[3])
            continue
        exercise = exercises[exercise_id]
        try:
            language = exercise.language_of(chosen)
        except ConfigError:
            result[exercise_id] = found
            continue
        note = f"{_shown(chosen, raw)} is graded as {exercise.title} ({exercise_id}), {how[exercise_id]}"
        if exercise.kind != "program":
            note += f", as {exercise.for_language(language).module if exercise.languages else exercise.module}"
        if unread:
            note += (f"; also found {', '.join(_shown(other, raw) for other in unread)}, not graded (it defines no "
                     "exercise's functions)")
        result[exercise_id] = (chosen, _NO_PROBLEM, note, language)
    return result if matches else located


def _of_another(raw: Path, exercise: ExerciseConfig, found: _Located,
                course: Mapping[str, ExerciseConfig]) -> _Located:
    """The one exercise graded, when the file found for it is named after another exercise of the course
    (``lab2.py`` handed in when the class is graded for ``lab1``) and is not written for this one (see
    :func:`grader.sources.written_for`): missing, saying whose file it is, rather than graded as this exercise's
    for functions it never defines.  A file of any other name (``alice.py``, ``Lab1 (1).py``) is graded."""
    path = found[0]
    if path is None or any(copy_of(path.name, name) for _, names, _ in file_names(exercise) for name in names):
        return found
    owner = next((other for other in course.values() if other.id != exercise.id and any(
        path.name.casefold() == name.casefold() for _, names, _ in file_names(other) for name in names)), None)
    if owner is None or written_for(path, exercise):
        return found
    problem: Problem = ("missing", f"no {exercise.module} in the submission: {_shown(path, raw)} is the file of "
                                   f"another exercise, {owner.title} ({owner.id}), so it was not graded as "
                                   f"{exercise.module}; hand in {' or '.join(_names(exercise))}")
    return None, problem, "", found[3]


def _copy_in(submission: Submission, folder: Path, raw: Path, unpacked: Unpacked) -> None:
    raw.mkdir(parents=True)
    for index, part in enumerate(submission.parts):
        target = raw / part.target
        if part.within:
            staging = folder / f"unpack-{index}"
            extract(part.path, staging, unpacked, within=part.within)
            produced = staging / part.within[-1]
            if produced.exists() and not os.path.lexists(target):
                produced.rename(target)
        elif os.path.lexists(target):
            unpacked.leave_out(f"{part.target}: appears twice, left out")
        else:
            copy_entry(part.path, target, unpacked)


def _expand_archives(raw: Path, unpacked: Unpacked) -> bool:
    """Unpack the archives found in the copy next to themselves; whether there were any."""
    archives = [path for path in _files(raw) if is_archive(path.name)]
    for archive in archives:
        target = archive.with_name(archive.name + _UNPACKED)
        extract(archive, target, unpacked)
        archive.unlink()  # the scratch copy: the original stays untouched
    return bool(archives)


def _read(path: Path, raw: Path, exercise: ExerciseConfig) -> tuple[Optional[Path], Problem, str, str]:
    """``(module, problem, note, digest)`` of the file ``path`` found for ``exercise``."""
    source = read_source(path.read_bytes(), _shown(path, raw))
    if source.data is None:
        return None, ("error", source.problem), "", ""
    from grader.student._build import LANGUAGES

    compiled = LANGUAGES.get(path.suffix.lower(), "python") != "python"
    wanted = exercise.module
    if exercise.kind == "program" or compiled or path.suffix.lower() == ".ipynb":  # the suffix says how to read it
        # A compiled source's suffix is kept as it is, as ``grader check`` compiles it: ``.F90`` is preprocessed,
        # ``.f`` is fixed-form Fortran (a ``.C`` file is compiled as C all the same).
        wanted = Path(exercise.module).stem + (path.suffix if compiled else path.suffix.lower())
    target = path if path.name == wanted else path.with_name(wanted)
    if target != path and target.exists() and not target.samefile(path):
        target = path.parent / f".graded-{exercise.id}" / wanted
        target.parent.mkdir(exist_ok=True)
    if target != path or source.note:
        target.write_bytes(source.data)
    # C and Fortran are compiled with the files of their folder they include: they go with the source, and count
    # in what was graded.
    included = local_includes(target, folder=path.parent) if compiled else {}
    if target.parent != path.parent:
        for name, data in included.items():
            (target.parent / name).write_bytes(data)
    digest = hashlib.sha256(source.data)
    for name, data in included.items():
        digest.update(f"\0{name}\0{len(data)}\0".encode("utf-8", "surrogateescape") + data)
    return target, _NO_PROBLEM, source.note, digest.hexdigest()


def prepare(submission: Submission, folder: Path, exercises: Mapping[str, ExerciseConfig], *,
            caps: Caps = Caps(), course: Optional[Mapping[str, ExerciseConfig]] = None) -> Prepared:
    """Copy ``submission`` into the empty scratch folder ``folder`` and find what to grade for each exercise
    (``course``: every exercise of the course, when only some are graded, to tell another's file)."""
    unpacked = Unpacked(caps=caps)
    unpacked.notes.extend(submission.notes)
    raw = folder / "submission"
    if submission.conflict:
        return Prepared(modules={exercise_id: None for exercise_id in exercises},
                        problems={exercise_id: ("error", submission.conflict) for exercise_id in exercises})
    # The class folder's entry copied as it is (``alice.py``): discovery gives its path as the source, where an
    # upload (Gradescope's) gives the folder its files were uploaded to.
    entry = next((part.target for part in submission.parts if submission.source.endswith(part.target)), "")
    try:
        _copy_in(submission, folder, raw, unpacked)
        located = {exercise_id: _locate_language(raw, exercise, unpacked, len(exercises) == 1, entry)
                   for exercise_id, exercise in exercises.items()}
        rounds = 0
        while any(found is None for found, _, _, _ in located.values()) and rounds < _NESTED_ROUNDS:
            rounds += 1
            if not _expand_archives(raw, unpacked):
                break
            located = {exercise_id: _locate_language(raw, exercise, unpacked, len(exercises) == 1, entry)
                       for exercise_id, exercise in exercises.items()}
        if len(exercises) > 1 and not any(found is not None for found, _, _, _ in located.values()):
            located = _lone_file(raw, exercises, unpacked, located, entry)
        if len(exercises) == 1:  # the only file of the submission may have been taken, whatever its name
            located = {exercise_id: _of_another(raw, exercises[exercise_id], found, course or exercises)
                       for exercise_id, found in located.items()}
    except SubmissionProblem as unreadable:
        message = str(unreadable)
        return Prepared(modules={exercise_id: None for exercise_id in exercises},
                        problems={exercise_id: ("error", message) for exercise_id in exercises},
                        notes=tuple(unpacked.notes))
    modules: dict[str, Optional[Path]] = {}
    problems: dict[str, Problem] = {}
    used: dict[str, str] = {}
    digests: dict[str, str] = {}
    notes = list(unpacked.notes)
    for exercise_id, (path, problem, note, language) in located.items():
        if note:
            notes.append(note)
        if path is None:
            modules[exercise_id], problems[exercise_id] = None, problem
            continue
        used[exercise_id] = _shown(path, raw)
        exercise = exercises[exercise_id]
        module, problem, note, digest = _read(path, raw, exercise.for_language(language) if exercise.languages
                                              else exercise)
        modules[exercise_id] = module
        if note:
            notes.append(note)
        if module is None:
            problems[exercise_id] = problem
        else:
            digests[exercise_id] = digest
    return Prepared(modules=modules, problems=problems, used=used, digests=digests, notes=tuple(notes))
