"""Grading a whole class: discover, prepare, reuse or grade (in parallel), then the gradebook and overview."""

from __future__ import annotations

import contextlib
import os
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence

from grader import __version__
from grader.config import CourseConfig
from grader.errors import UsageError
from grader import _atomic
from grader._ceiling import CPU_EXIT, MEMORY_EXIT, ceiling_of
from grader.grade._archive import Caps
from grader.grade._discover import Accepted, Submission, accepted_files, discover_class
from grader.grade._fingerprint import course_fingerprint, student_fingerprint
from grader.grade._gradebook import (GRADEBOOK, StudentStatus, class_counts, counts_text, number, student_status,
                                     write_gradebook)
from grader.grade._job import JobOutcome, Jobs, run_job
from grader.grade._outputs import (REPORT, STAMP, failed_report, install, remove_departed, render_student, reusable,
                                   stamp_of, write_stamp)
from grader.grade._overview import write_class_overview
from grader.grade._paths import folder_name, is_junk
from grader.grade._prepare import Prepared, prepare
from grader.grade._progress import Progress, QuietProgress, duration
from grader.grade._scratch import Scratch
from grader.merge._shard import Shard, write_shard_manifest
from grader.render._view import clean_line
from grader.results import Report

__all__ = ["ClassResult", "grade_class", "default_jobs"]

# Beyond the submission's own budget (enforced where the code runs), a margin for start-up and reports.
_JOB_MARGIN = 120.0


def default_jobs() -> int:
    """How many students are graded at once by default: one per CPU core."""
    return os.cpu_count() or 1


@dataclass(frozen=True)
class ClassResult:
    """What a class grading run produced.

    Each student counts once, in one status (see :func:`class_counts`), as in ``gradebook.csv`` and
    ``index.html``; ``graded_now`` and ``reused`` say how this run got their reports.
    """

    out: Path
    reports: tuple[Report, ...]
    graded_now: int = 0  # reports made by this run (whatever their status)
    reused: int = 0  # reports kept from an earlier run
    seconds: float = 0.0
    ignored: tuple[str, ...] = ()  # entries of the submissions folder that cannot be a submission
    single: bool = False  # the path given was one student's submission
    removed: tuple[str, ...] = ()  # students of an earlier run into OUT no longer in the class: their folders removed

    @property
    def counts(self) -> dict[StudentStatus, int]:
        return class_counts(self.reports)

    def summary(self) -> str:
        lines = [f"{counts_text(self.reports)} (graded now: {self.graded_now}, reused: {self.reused}) "
                 f"in {duration(self.seconds)} — {self.out / GRADEBOOK}"]
        # Names and notes come from the students' files and archives: shown harmless, one line each.
        if self.ignored:
            lines.append(f"ignored (not a submission): {', '.join(clean_line(name) for name in self.ignored)}")
        if self.removed:
            lines.append("removed from the output folder, no longer in the class: "
                         + ", ".join(clean_line(name) for name in self.removed))
        lines += [f"note: {clean_line(report.student)}: {clean_line(note)}" for report in self.reports
                  for note in report.notes]
        return "\n".join(lines)


@dataclass
class _Job:
    submission: Submission
    folder: Path
    prepared: Prepared
    fingerprint: str
    started: float


class _Run:
    def __init__(self, config: CourseConfig, out: Path, exercises: list[str], *, jobs: int, force: bool,
                 sandbox: bool, progress: Progress, caps: Caps) -> None:
        self.config, self.out, self.exercises = config, out, exercises
        self.jobs, self.force, self.sandbox, self.progress, self.caps = jobs, force, sandbox, progress, caps
        self.course = course_fingerprint(config, exercises, sandbox=sandbox)
        self.reports: dict[str, Report] = {}
        self.graded = 0
        self.reused: list[str] = []
        self.processes = Jobs()
        limit = config.limits.total_timeout * max(1, len(exercises))
        # The job's time ceiling (its CPU ceiling, grader._ceiling, is the same: the CPU time never exceeds this).
        self.timeout = limit + _JOB_MARGIN

    # -- one student -------------------------------------------------------------------------------------------

    def _start(self, submission: Submission, folder: Path, scratch: Scratch,
               pool: ThreadPoolExecutor) -> Optional[tuple[Future, _Job]]:
        """Prepare a student; finish them at once when possible, else return their grading job."""
        configs = {exercise_id: self.config.exercise(exercise_id) for exercise_id in self.exercises}
        try:
            prepared = prepare(submission, folder, configs, caps=self.caps, course=self.config.exercises)
        except Exception as error:  # a fault of ours on a strange submission must not stop the class
            message = f"the grader could not read this submission ({type(error).__name__}: {error})"
            prepared = Prepared(modules={e: None for e in self.exercises},
                                problems={e: ("error", message) for e in self.exercises})
        fingerprint = student_fingerprint(self.course, submission, prepared, self.exercises)
        target = self.out / folder_name(submission.id)
        if not self.force:
            report = reusable(target, fingerprint, submission.id)
            if report is not None:
                self.reused.append(submission.id)
                self._done(submission, report, "reused", None)
                scratch.release(folder)
                return None
        job = _Job(submission, folder, prepared, fingerprint, time.monotonic())
        if all(module is None for module in prepared.modules.values()):
            # Nothing to run: the report says what is wrong, written here without a job.
            report = failed_report(self.config, self.exercises, student=submission.id, name=submission.name,
                                   problems=prepared.problems, notes=prepared.notes)
            self._finish(job, report, stamped=True)
            scratch.release(folder)
            return None
        request = {
            "config": str(self.config.path), "student": submission.id, "name": submission.name,
            "modules": {e: str(path) if path else None for e, path in prepared.modules.items()},
            "problems": {e: list(problem) for e, problem in prepared.problems.items()},
            "notes": list(prepared.notes),
            "sandbox": self.sandbox, "workdir": str(self._mkdir(folder / "work")), "out": str(folder / "out"),
            "parent": os.getpid(),
        }
        self.progress.started(submission.id)
        return pool.submit(run_job, request, folder, timeout=self.timeout, jobs=self.processes), job

    @staticmethod
    def _mkdir(path: Path) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _collect(self, job: _Job, outcome: JobOutcome) -> None:
        report: Optional[Report] = None
        staging = job.folder / "out"
        if outcome.returncode == 0:
            try:
                report = Report.from_json((staging / REPORT).read_text(encoding="utf-8"))
            except (OSError, ValueError, TypeError, KeyError):
                report = None
        if report is not None:
            self._finish(job, report, stamped=True, staging=staging)
            return
        ceiling = ceiling_of(self.config.limits, len(self.exercises))
        if outcome.returncode is None:
            why = f"grading took longer than {self.timeout:.0f} s and was stopped"
        elif outcome.returncode in (MEMORY_EXIT, CPU_EXIT):
            # The submission made the grader's own side grind: that is its verdict, kept like any other.
            why = ceiling.memory_verdict() if outcome.returncode == MEMORY_EXIT else ceiling.cpu_verdict()
            report = failed_report(self.config, self.exercises, student=job.submission.id,
                                   name=job.submission.name, problems={e: ("error", why) for e in self.exercises},
                                   notes=job.prepared.notes)
            self._finish(job, report, stamped=True)
            return
        else:
            why = f"the grading process ended unexpectedly (exit code {outcome.returncode})"
        last = [line for line in outcome.log.strip().splitlines() if line.strip()][-3:]
        message = why + (": " + " / ".join(last) if last else "") + \
            "; it is graded again by the next run (or check it alone with 'grader check --path')"
        report = failed_report(self.config, self.exercises, student=job.submission.id, name=job.submission.name,
                               problems={e: ("error", message) for e in self.exercises}, notes=job.prepared.notes)
        # Not stamped: a failure of the run itself (not of the submission) is retried next time.
        self._finish(job, report, stamped=False)

    def _finish(self, job: _Job, report: Report, *, stamped: bool, staging: Optional[Path] = None) -> None:
        if staging is None:
            staging = job.folder / "out-here"
            render_student(report, staging)
        target = self.out / folder_name(job.submission.id)
        # The old stamp goes first: a run killed while the new files go in leaves no stamp to trust.
        with contextlib.suppress(OSError):
            os.unlink(target / STAMP)
        install(staging, target)
        if stamped:
            write_stamp(target, stamp_of(job.fingerprint, student=job.submission.id, name=job.submission.name,
                                         source=job.submission.source, used=job.prepared.used,
                                         notes=job.prepared.notes, version=__version__))
        self.graded += 1
        self._done(job.submission, report, student_status(report), time.monotonic() - job.started)

    def _done(self, submission: Submission, report: Report, outcome: str, seconds: Optional[float]) -> None:
        self.reports[submission.id] = report
        detail = f"{number(report.score)}/{number(report.max_score)}"
        failed = [e for e in report.exercises if e.status != "graded" and e.error]
        messages = {e.error.splitlines()[0] for e in failed}
        problems = [f"{e.id}: {e.error.splitlines()[0]}" for e in failed]
        if len(failed) > 1 and len(messages) == 1:
            problems = list(messages)  # the same for every exercise (pass --exercise, say): said once
        problems += [f"{e.id}: {check.message}" for e in report.exercises for check in e.grader_errors[:1]]
        if problems:
            detail += " — " + "; ".join(problems)
        self.progress.finished(submission.id, outcome, detail, seconds)

    # -- the class ---------------------------------------------------------------------------------------------

    def run(self, students: Sequence[Submission], scratch: Scratch) -> None:
        todo = deque(enumerate(students, start=1))
        running: dict[Future, _Job] = {}
        self.progress.begin(len(students), self.jobs)
        with ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="grade-job") as pool:
            try:
                while todo or running:
                    while todo and len(running) < self.jobs:
                        index, submission = todo.popleft()
                        started = self._start(submission, scratch.folder(index), scratch, pool)
                        if started is not None:
                            running[started[0]] = started[1]
                    if running:
                        done, _ = wait(list(running), timeout=0.25, return_when=FIRST_COMPLETED)
                        for future in done:
                            job = running.pop(future)
                            try:
                                outcome = future.result()
                            except Exception as error:  # the job could not even start (no memory, no processes)
                                outcome = JobOutcome(returncode=-1, log=f"{type(error).__name__}: {error}")
                            self._collect(job, outcome)
                            scratch.release(job.folder)
                    self.progress.tick()
            except BaseException:
                self.processes.stop_all()
                raise
            finally:
                self.progress.end()


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _students_entry(out: Path, submissions: Path, accepted: Accepted) -> bool:
    """Whether ``out`` is an entry of the class folder ``submissions`` holding a student's work: a folder with files
    that is not an earlier output of the grader (its gradebook and its students' records, with no submission file
    beside them), graded into again."""
    if out.parent != submissions or out.is_symlink() or not out.is_dir():
        return False
    files = [child for child in out.iterdir() if not is_junk(child.name)]
    earlier = (out / GRADEBOOK).is_file() and any(out.glob(f"*/{STAMP}"))
    handed = any(child.is_file() and accepted.is_submission_file(child.name) for child in files)
    return bool(files) and (not earlier or handed)


def grade_class(
    config: CourseConfig,
    submissions: Path,
    out: Path,
    *,
    exercises: Optional[Iterable[str]] = None,
    jobs: Optional[int] = None,
    force: bool = False,
    sandbox: bool = True,
    progress: Optional[Progress] = None,
    scratch: Optional[Path] = None,
    caps: Caps = Caps(),
    shard: Optional[Shard] = None,
) -> ClassResult:
    """Grade every student of ``submissions`` into ``out``; see ``grader grade --help``.

    ``exercises``: the exercises to grade (default: all of the configuration);
    ``jobs``: students graded at once (default: :func:`default_jobs`); ``force``:
    regrade even the students whose stored report is still valid; ``scratch``:
    where the private scratch area is made (default: the system's temporary folder); ``shard``: grade only
    that share of the class, and record it for ``grader merge`` (see :mod:`grader.merge`).
    """
    started = time.monotonic()
    given = Path(submissions)  # as the user wrote it, for messages
    submissions, out = Path(submissions).resolve(), Path(out).resolve()
    if not submissions.exists():
        raise UsageError(f"{submissions} not found: pass the folder holding the class's submissions, or one "
                         "student's submission")
    if _inside(submissions, out):
        raise UsageError(f"the output folder {out} must not contain the submissions ({submissions}): "
                         "choose another --out")
    chosen = list(dict.fromkeys(exercises or config.exercises))
    for exercise_id in chosen:
        config.exercise(exercise_id)  # raises with the list of known exercises
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {jobs}")
    accepted = accepted_files(config.exercise(e) for e in chosen)
    if _students_entry(out, submissions, accepted):
        raise UsageError(f"the output folder {out} is {out.name}, an entry of the class folder holding a "
                         "student's submission: grading never writes into the submissions; choose another --out")
    found = discover_class(submissions, skip=[out], accepted=accepted)
    students = list(found.students)
    inside = next((student for student in students for part in student.parts
                   if Path(part.path).is_dir() and _inside(out, Path(part.path).resolve())), None)
    if inside is not None:
        raise UsageError(f"the output folder {out} is inside {inside.source}, a student's submission: grading "
                         "never writes into the submissions; choose another --out")
    if not students and shard is None:
        # Zero students is almost always the wrong folder: an error (exit 2) before anything is written.
        ignored = f" (only files that cannot be a submission: {len(found.ignored)})" if found.ignored else ""
        raise UsageError(f"no submission found in {given}{ignored}: it should hold one entry per student "
                         "(a folder, a .py, .c or .f90 file, or a .zip), or be a learning platform's export")
    if shard is not None:
        students = shard.select(students)
    out.mkdir(parents=True, exist_ok=True)
    run = _Run(config, out, chosen, jobs=jobs, force=force, sandbox=sandbox, progress=progress or QuietProgress(),
               caps=caps)
    with Scratch(scratch) as area:
        run.run(students, area)
    reports = [run.reports[student.id] for student in students]
    # Every student of the class counts, not only this share's: shares graded into one folder keep each other's.
    removed = remove_departed(out, [student.id for student in found.students])
    write_gradebook(reports, out / GRADEBOOK)  # its checks column: public+hidden, the hidden checks having run
    write_class_overview(reports, out, ignored=found.ignored)
    if shard is not None:
        # The whole class as this shard found it: the merge checks that every shard saw the same one.
        write_shard_manifest(out, shard, [student.id for student in students], run.course, __version__,
                             roster=[student.id for student in found.students], ignored=found.ignored)
    _atomic.sweep_temporaries(out)
    return ClassResult(out=out, reports=tuple(reports), graded_now=run.graded, reused=len(run.reused),
                       seconds=time.monotonic() - started, ignored=found.ignored, single=found.single,
                       removed=tuple(removed))

