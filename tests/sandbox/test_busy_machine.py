"""On a busy machine the same grade as on an idle one: a limit is the processor time the code used while it was
computing (within ``LOAD_SLACK`` times the limit on the wall clock), and the time budget is charged that processor
time; code that waits rather than computes is stopped at the limit as on an idle machine."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from grader.student._worker import LOAD_SLACK, _charged, _owed
from tests.sandbox.helpers import SOLUTION, full_marks


def test_a_computing_wait_is_owed_its_processor_time_within_the_slack():
    # 10 s limit, reached on the wall clock after 4 s of processor time: 6 s more are owed.
    assert _owed(10, 4.0, 10.0) == pytest.approx(6.0)
    # Never beyond LOAD_SLACK times the limit on the wall clock.
    assert _owed(10, 4.0, LOAD_SLACK * 10 - 1) == pytest.approx(1.0)
    assert _owed(10, 4.0, LOAD_SLACK * 10) == 0
    # Its whole processor time used: stopped.  Waiting (a sleep: hardly any processor time), or unknown: stopped.
    assert _owed(10, 10.0, 12.0) == 0
    assert _owed(10, 0.2, 10.0) == 0
    assert _owed(10, None, 10.0) == 0


def test_the_budget_is_charged_the_processor_time_of_computing_code():
    assert _charged(4.0, 12.0) == pytest.approx(4.0)  # a third of a core: charged what it computed
    assert _charged(2.0, 12.0) == pytest.approx(12.0 / LOAD_SLACK)  # at least the wall clock over the slack
    assert _charged(0.01, 12.0) == 12.0  # waiting: the wall clock, as idle
    assert _charged(None, 12.0) == 12.0


def _burn_seconds_of_work(seconds: float) -> int:
    """How many rounds of the module-level loop below take ``seconds`` of processor time here."""
    rounds, started = 0, time.process_time()
    total = 0
    while time.process_time() - started < 0.3:
        total += sum(i * i for i in range(1000))
        rounds += 1
    return int(rounds * seconds / (time.process_time() - started))


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs processor affinity (Linux)")
def test_module_level_work_within_the_import_limit_idle_is_graded_alike_on_a_busy_core(course):
    """A module that computes 4 s at import (the import limit is 10 s) on one core shared with three busy
    processes, each in a session of its own as every worker is: it gets about a quarter of the core, 16 s on the
    wall clock, and is graded as idle."""
    rounds = _burn_seconds_of_work(4.0)
    source = SOLUTION + f"\n_TOTAL = 0\nfor _ in range({rounds}):\n    _TOTAL += sum(i * i for i in range(1000))\n"
    before = os.sched_getaffinity(0)
    core = min(before)
    busy = [subprocess.Popen([sys.executable, "-c", f"import os\nos.sched_setaffinity(0, {{{core}}})\nwhile True: pass"],
                             start_new_session=True) for _ in range(3)]
    try:
        os.sched_setaffinity(0, {core})
        started = time.perf_counter()
        report = course.grade(source)
        took = time.perf_counter() - started
    finally:
        os.sched_setaffinity(0, before)
        for process in busy:
            process.kill()
            process.wait()
    exercise = report.exercises[0]
    assert exercise.status == "graded", exercise.error
    assert full_marks(report), [(c.id, c.message) for c in exercise.checks if not c.passed]
    assert took > 10, took  # the core was shared: the import alone outlasted its limit on the wall clock
