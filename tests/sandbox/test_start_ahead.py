"""A worker started ahead (while ``grader check`` imports its libraries) is the one the submission gets, with the
limits the grader set on itself since, as a worker started then would inherit them; it loads the submission while
the grader loads the exercise's checks, and a grading whose checks do not load leaves no worker behind."""

from __future__ import annotations

import resource
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from grader import grade_submission, grading
from grader.errors import ConfigError
from grader.sandbox import _launch
from grader.student._worker import WorkerStudent
from tests.sandbox.helpers import SOLUTION

pytestmark = pytest.mark.skipif(not hasattr(resource, "prlimit") or _launch.channel_kind() != "fd",
                                reason="workers are started ahead on Linux only")


def _launch_for(source: Path) -> _launch.Worker:
    worker, _ = _launch.launch(source, module="kmeans.py", data=(), write_output=lambda text: None,
                               output_lock=threading.Lock(), processes=64, disable=frozenset({"cgroup"}),
                               reply_limit=1 << 20)
    return worker


@pytest.mark.quick
def test_the_worker_started_ahead_gets_the_submission_and_the_limits_set_since(tmp_path):
    source = tmp_path / "submission.py"
    source.write_text("# a submission\n", encoding="utf-8")
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    lowered = min(hard, 10**6) if hard != resource.RLIM_INFINITY else 10**6
    _launch.start_ahead()
    ahead = _launch._ahead
    assert ahead is not None
    resource.setrlimit(resource.RLIMIT_CPU, (lowered, hard))
    try:
        worker = _launch_for(source)
    finally:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    try:
        assert worker.process is ahead.process and _launch._ahead is None
        assert (worker.folder / "kmeans.py").read_text(encoding="utf-8") == "# a submission\n"
        assert resource.prlimit(worker.process.pid, resource.RLIMIT_CPU) == (lowered, hard)
        # Taken, no worker is ahead any more: the next one starts as usual.
        other = _launch_for(source)
        assert other.process.pid != worker.process.pid
        other.stop()
    finally:
        worker.stop()
    assert not worker.folder.exists()


def test_a_worker_started_ahead_and_not_taken_ends_with_the_grader(tmp_path):
    _launch.start_ahead()
    ahead = _launch._ahead
    assert ahead is not None
    _launch._discard_ahead()
    assert ahead.process.poll() is not None and not ahead.folder.exists() and _launch._ahead is None


@pytest.mark.parametrize("options, ahead", [([], True), (["--no-sandbox"], False), (["--help"], False)])
def test_grader_check_starts_its_worker_before_importing_the_checks(options, ahead):
    probe = ("import sys; sys.argv[1:] = ['check', 'kmeans', *sys.argv[1:]]; import grader.cli;"
             "from grader.sandbox import _launch; names = list(sys.modules);"
             "print(_launch._ahead is not None, names.index('grader.sandbox._launch') < names.index('hypothesis'))")
    result = subprocess.run([sys.executable, "-c", probe, *options], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert result.stdout.split() == [str(ahead), str(ahead)], result.stderr


def _spy_on_loading(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, object]]:
    """What the grading does first, in order: ("worker", the worker that got its settings) and ("checks", None)
    when the exercise's checks start loading."""
    events: list[tuple[str, object]] = []
    begin, load = WorkerStudent._begin, grading.load_exercise

    def begun(self: WorkerStudent):
        started = begin(self)
        events.append(("worker", started[0]))
        return started

    def loading(*args, **kwargs):
        events.append(("checks", None))
        return load(*args, **kwargs)

    monkeypatch.setattr(WorkerStudent, "_begin", begun)
    monkeypatch.setattr(grading, "load_exercise", loading)
    return events


def test_the_submission_loads_in_its_worker_while_the_checks_load(course, monkeypatch):
    """The worker gets its settings (and loads the code, on another core) before the grader loads the checks:
    both take a tenth of a second at every grading."""
    events = _spy_on_loading(monkeypatch)
    report = course.grade(SOLUTION)
    assert [what for what, _ in events] == ["worker", "checks"]
    assert report.exercises[0].status == "graded" and report.score == report.max_score


def test_the_worker_started_for_checks_that_do_not_load_ends_with_the_error(course, monkeypatch):
    hidden = course.root / "reference" / "kmeans_hidden_checks.py"
    hidden.write_text(hidden.read_text(encoding="utf-8") + "\nraise RuntimeError('an unfinished check module')\n",
                      encoding="utf-8")
    events = _spy_on_loading(monkeypatch)
    with pytest.raises(ConfigError, match="an unfinished check module"):
        grade_submission(course.config, {"kmeans": course.write(SOLUTION)}, student="student", hidden=True)
    [(_, worker)] = [event for event in events if event[0] == "worker"]
    assert isinstance(worker, _launch.Worker)
    assert worker.process.poll() is not None and not worker.folder.exists()


def test_a_submission_that_cannot_load_started_early_gets_the_report_it_got_loaded_late(course, monkeypatch):
    source = SOLUTION + "\nraise RuntimeError('data file missing')\n"
    early = course.grade(source).exercises[0]
    monkeypatch.setattr(grading, "_early_opening", lambda *args: None)  # opened after the checks load, as before
    late = course.grade(source).exercises[0]
    assert early.status == late.status == "error" and early.error == late.error
    assert "importing student.py failed with RuntimeError: data file missing" in early.error
