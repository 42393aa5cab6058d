"""Merging the reports of many CI runs into one class: a report per student, the gradebook and the overview.

Each student is identified by the report's ``student`` (the workflow sets it to
the repository's name), or else by the top entry of ARTIFACTS the report came
from.  A student may have several reports: one per exercise is kept, the most
recent, and the older ones are recorded as superseded.  Exercises a student has
no report for count as missing, exactly as ``grader grade`` counts them.

Nothing in a report is taken on its word.  A report is *trusted* when what it claims
verifies: its scores add up from its checks and the configuration's points; it comes
from the top entry of ARTIFACTS named after the student it names (the instructor
downloads each repository's artifacts into a folder named after it); the student is on
the roster, when one is given; and, with the instructor's key, its ``report.sig``
verifies (see :mod:`grader.signature`) for a repository named after that student.  A
report that is not trusted is flagged, saying why (found in a folder not named after the
student it names, a bad signature, edited sums), and never replaces a trusted one,
whatever its date: it counts only for a student who has no trusted report.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from grader import __version__
from grader import _atomic
from grader.collect._find import Found, Unreadable, find_reports
from grader.collect._verify import Checked, parse_report, verify_report
from grader.config import CourseConfig
from grader.errors import UsageError
from grader.grading import config_fingerprint, grade_submission
from grader.results import ExerciseResult, Report
from grader.signature import verify

__all__ = ["Source", "CollectResult", "collect_reports", "MANIFEST"]

MANIFEST = "collected.json"


@dataclass(frozen=True)
class Source:
    """What became of one report file: ``used``, ``superseded`` (a newer report counts), ``invalid`` or ``unreadable``."""

    source: str
    status: str
    student: str = ""
    exercises: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    reason: str = ""
    trusted: bool = False  # who it belongs to and its scores verify: only such a report replaces another


@dataclass(frozen=True)
class CollectResult:
    out: Path
    reports: tuple[Report, ...]
    sources: tuple[Source, ...]
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def flagged(self) -> tuple[Source, ...]:
        return tuple(source for source in self.sources if source.status in ("used", "superseded") and source.flags)

    @property
    def rejected(self) -> tuple[Source, ...]:
        return tuple(source for source in self.sources if source.status in ("invalid", "unreadable"))


@dataclass
class _Candidate:
    order: int
    found: Found
    checked: Checked
    student: str
    flags: tuple[str, ...] = ()
    trusted: bool = False


def _trust(candidates: list[_Candidate], *, key: Optional[bytes], roster: Optional[set[str]]) -> None:
    """Decide which candidates are trusted (see the module's docstring), flagging what contradicts them."""
    known = {candidate.student for candidate in candidates} | (roster or set())
    for candidate in candidates:
        flags = list(candidate.checked.flags)
        origin, student = candidate.found.top, candidate.student
        trusted = candidate.checked.consistent and (not origin or origin == student)
        if origin and origin != student:
            flags.append(_origin_flag(student, origin, known))
        if roster is not None and student not in roster:
            flags.append(f"{student} is not on the roster")
            trusted = False
        if key is not None:
            signed = verify(candidate.found.data, candidate.found.signature, key)
            problem = signed.problem
            if signed.ok and signed.student != candidate.checked.report.student:
                problem = f"it was signed for student {signed.student}"
            elif signed.ok and signed.repository and signed.repository.rsplit("/", 1)[-1] != student:
                problem = f"it was signed in repository {signed.repository}, not {student}'s"
            if problem:
                flags.append(problem)
                trusted = False
        candidate.flags, candidate.trusted = tuple(flags), trusted


def _origin_flag(student: str, origin: str, known: set[str]) -> str:
    """Why a report found outside its student's folder (or zip) is not trusted: every such report is flagged, the
    folder being another student's (a forgery counts for nobody else) or no student's (a download not named
    after the repository: the report counts only while its student has no trusted one)."""
    if origin in known:
        return f"it names {student} but was found in {origin}'s artifacts: it counts for nobody else's report"
    return (f"it names {student} but was found in {origin}, not in a folder or zip named after {student}: not "
            f"trusted, it counts only while {student} has no trusted report (download each repository's artifacts "
            "into a folder named after it)")


def _read(config: CourseConfig, artifacts: Path, wanted: Optional[set[str]]) -> tuple[list[_Candidate], list[Source]]:
    candidates, rejected = [], []
    for order, item in enumerate(find_reports(artifacts)):
        if isinstance(item, Unreadable):
            rejected.append(Source(item.source, "unreadable", reason=item.reason))
            continue
        try:
            report = parse_report(item.data)
        except ValueError as error:
            rejected.append(Source(item.source, "invalid", reason=str(error)))
            continue
        student = report.student.strip() or item.top
        if not student:
            rejected.append(Source(item.source, "invalid", reason="the report names no student and sits directly "
                                                                  "in ARTIFACTS: put it in a folder named after them"))
            continue
        candidates.append(_Candidate(order, item, verify_report(config, report, exercises=wanted), student))
    return candidates, rejected


def _newest_per_exercise(candidates: list[_Candidate]) -> dict[str, dict[str, _Candidate]]:
    """student -> exercise -> the candidate whose result counts (most recent file; later in ARTIFACTS on a tie)."""
    chosen: dict[str, dict[str, _Candidate]] = {}
    # Trusted last, so that one always wins over a report that is not, whatever their dates.
    for candidate in sorted(candidates, key=lambda c: (c.trusted, c.found.modified, c.order)):
        for exercise in candidate.checked.report.exercises:
            chosen.setdefault(candidate.student, {})[exercise.id] = candidate
    return chosen


def _merge(config: CourseConfig, student: str, chosen: dict[str, _Candidate], exercise_ids: list[str]) -> Report:
    used = list({id(c): c for c in chosen.values()}.values())
    results: dict[str, ExerciseResult] = {
        exercise_id: next(e for e in candidate.checked.report.exercises if e.id == exercise_id)
        for exercise_id, candidate in chosen.items()}
    missing = [exercise_id for exercise_id in exercise_ids if exercise_id not in results]
    if missing:  # counted as grader grade counts an exercise nobody handed in; runs no student code
        filler = grade_submission(config, {exercise_id: None for exercise_id in missing}, student=student,
                                  hidden=False, sandbox=False)
        results.update({exercise.id: exercise for exercise in filler.exercises})
    exercises = tuple(results[exercise_id] for exercise_id in exercise_ids)
    reports = [candidate.checked.report for candidate in used]
    trusted = all(candidate.checked.same_configuration for candidate in used)
    outputs = [report.output for report in reports if report.output]
    return Report(
        student=student,
        # As grader grade names a student known only by an id (not from a Moodle export): by that id.
        name=next((report.name for report in reports if report.name), student),
        score=round(sum(exercise.score for exercise in exercises), 6),
        max_score=float(sum(exercise.max_score for exercise in exercises)),
        exercises=exercises,
        grader_version=reports[0].grader_version if reports else __version__,
        seed=reports[0].seed if reports else config.seed,
        sandbox=dict(reports[0].sandbox) if reports else {},
        timing={"total": round(sum(report.timing.get("total", 0.0) for report in reports), 3)},
        output="\n".join(outputs),
        config_fingerprint=config_fingerprint(
            config, {e.id: any(c.hidden for c in e.checks) for e in exercises}) if trusted and reports else "",
    )


def read_roster(path: Path) -> set[str]:
    """The ids of a roster file: one per line, or the first column of a CSV (a header ``id`` or ``student``
    is skipped)."""
    import csv

    try:
        rows = list(csv.reader(Path(path).read_text(encoding="utf-8-sig").splitlines()))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UsageError(f"cannot read the roster {path} ({error}): give a text or CSV file, one id per line") from None
    ids = [row[0].strip() for row in rows if row and row[0].strip()]
    if ids and ids[0].casefold() in ("id", "student", "repository"):
        ids = ids[1:]
    if not ids:
        raise UsageError(f"the roster {path} holds no id: one id (repository name) per line")
    return set(ids)


def _write_student(report: Report, folder: Path) -> None:
    from grader.render import write_reports

    try:
        write_reports(report, folder)
    except Exception:  # a rendering fault must not lose the grade: report.json alone still counts
        folder.mkdir(parents=True, exist_ok=True)
        _atomic.write_text(folder / "report.json", report.to_json() + "\n")


def _write_manifest(path: Path, artifacts: Path, config: CourseConfig, sources: Iterable[Source]) -> None:
    content = {"artifacts": str(artifacts), "config": str(config.path), "grader_version": __version__,
               "sources": [asdict(source) for source in sources]}
    _atomic.write_text(path, json.dumps(content, indent=2, ensure_ascii=False) + "\n")


def collect_reports(config: CourseConfig, artifacts: Path, out: Path, *,
                    exercises: Optional[Iterable[str]] = None, key: Optional[bytes] = None,
                    roster: Optional[Iterable[str]] = None) -> CollectResult:
    """Merge the ``report.json`` files found in ``artifacts`` into ``out``: each student's report files,
    ``gradebook.csv``, ``index.html`` (as ``grader grade`` writes them) and ``collected.json``, which says
    what became of every report file found and why any of them is flagged.

    ``key``: the instructor's signing key (every report must then carry a ``report.sig`` that verifies);
    ``roster``: the ids of the class (a report naming anyone else is flagged, and not trusted; a student of it
    with no report gets a row, every exercise missing)."""
    from grader.grade import student_folder, write_class_overview, write_gradebook

    artifacts, out = Path(artifacts), Path(out)
    if not artifacts.exists():
        raise UsageError(f"{artifacts} not found: give the folder (or zip) of the downloaded CI artifacts")
    exercise_ids = [config.exercise(e).id for e in exercises] if exercises else list(config.exercises)
    candidates, sources = _read(config, artifacts, set(exercise_ids))
    _trust(candidates, key=key, roster=set(roster) if roster is not None else None)
    chosen = _newest_per_exercise(candidates)
    for candidate in candidates:
        counted = tuple(exercise for exercise, kept in chosen.get(candidate.student, {}).items() if kept is candidate)
        covered = tuple(e.id for e in candidate.checked.report.exercises)
        # A report with nothing left to count still says the student exists: it is used, with its flags.
        status = "used" if counted or not covered else "superseded"
        sources.append(Source(candidate.found.source, status, candidate.student, covered, candidate.flags,
                              trusted=candidate.trusted))
    # A student of the roster without any report is in the gradebook too, every exercise missing.
    students = sorted({candidate.student for candidate in candidates} | set(roster or ()))
    reports = tuple(_merge(config, student, chosen.get(student, {}), exercise_ids) for student in students)
    out.mkdir(parents=True, exist_ok=True)
    for report in reports:
        _write_student(report, out / student_folder(report.student))
    # CI runs grade with the students' copy of the course, the public checks only, unless a run was made with
    # ``grader check --all`` where the hidden checks are: each row says which its own report ran.
    files = {"gradebook": write_gradebook(list(reports), out / "gradebook.csv", each=True),
             "overview": write_class_overview(list(reports), out)}
    ordered = tuple(sorted(sources, key=lambda source: source.source))
    files["manifest"] = out / MANIFEST
    _write_manifest(files["manifest"], artifacts, config, ordered)
    return CollectResult(out=out, reports=reports, sources=ordered, files=files)
