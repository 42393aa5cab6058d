"""Time limits relative to the reference: far slower than it is "too slow", an endless loop is "timed out".

One submission carries both (an endless loop in ``assign``; a ``kmeans`` that is correct but does its work and then
spends 99 times as long again), graded once in the worker with a floor low enough for the small calls of the
public checks (20 ms: a k-means of 200 points takes about 0.4 ms); the report is then rendered in every format.
Apart: the rule itself on a tiny reference, and the ceiling giving way to a reference that needs more.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import jsonschema
import pytest

from grader.render import render_html, render_markdown, render_text, report_schema
from grader.render.junit import render_junit
from grader.results import Report
from grader.student import CallRecord
from grader.student._pace import Pace, describe_input
from tests.sandbox.helpers import LIMITS, SOLUTION, check, make_course

#: The 100x slow kmeans: its own processor time, then 99 times as much more (so a busy machine changes nothing).
SLOW_AND_ENDLESS = SOLUTION + '''

def assign(data, centers):
    while True:
        pass


_kmeans = kmeans


def kmeans(data, centers, eps=1e-3, max_iter=100):
    import time

    start = time.process_time()
    result = _kmeans(data, centers, eps, max_iter)
    spent = time.process_time() - start
    while time.process_time() < start + 100 * spent:
        pass
    return result
'''


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Report:
    course = make_course(tmp_path_factory.mktemp("pace") / "course", limits={**LIMITS, "reference_floor": 0.02})
    return course.grade(SLOW_AND_ENDLESS)


def test_a_hundred_times_slower_is_too_slow_naming_the_call_and_the_size(graded):
    slow = [c for c in graded.exercises[0].checks if c.function == "kmeans" and not c.passed]
    assert slow and {c.verdict for c in slow} == {"too_slow"}, [(c.id, c.verdict, c.message) for c in slow]
    others = [c for c in graded.exercises[0].checks if c.function not in ("kmeans", "assign")]
    assert all(c.passed for c in others), [(c.id, c.message) for c in others if not c.passed]
    for result in slow:
        match = re.match(r"too slow: about (\d+(?:\.\d)?)× the reference's time on this input \(kmeans on a \d+ x \d+ "
                         r"array took [\d.e-]+ s, the reference [\d.e-]+ s; a call may take 50 times",
                         result.message)
        assert match and float(match.group(1)) > 50, result.message
        assert result.points == 0 and result.counterexample and result.counterexample["function"] == "kmeans"
    assert "runaway code is stopped at 2 s" in graded.sandbox["time_limit"]
    assert graded.timing["reference_timing"] > 0  # the reference's calls are timed, and recorded


def test_an_endless_loop_still_times_out_at_the_ceiling(graded):
    first = check(graded, "assign.nearest_center")
    assert first.verdict == "timeout"
    assert re.fullmatch(r"timed out after 2 s in assign on a \d+ x \d+ array", first.message)


def test_too_slow_is_a_verdict_of_the_report_in_every_format(graded):
    jsonschema.Draft202012Validator(report_schema()).validate(json.loads(graded.to_json()))
    assert Report.from_json(graded.to_json()) == graded
    message = next(c.message for c in graded.exercises[0].checks if c.verdict == "too_slow")
    for text in (render_text(graded), render_markdown(graded), render_html(graded)):
        assert "too slow: about" in text
    suite = ElementTree.fromstring(render_junit(graded))
    assert [f.get("type") for f in suite.iter("failure")].count("too_slow") >= 1  # a failure, not an error
    assert message[:60] in render_text(graded)


@pytest.mark.quick
def test_the_reference_is_timed_once_per_distinct_call_and_only_when_a_call_is_long(tmp_path: Path):
    reference = tmp_path / "reference.py"
    reference.write_text("def work(n):\n    return sum(range(n))\n", encoding="utf-8")
    pace = Pace(reference, factor=50, floor=0.5)
    call = CallRecord("work", (3_000_000,), {})
    assert pace.too_slow(call, 0.45) is None and pace.measured == 0  # under the floor: the reference never runs
    reference_seconds = pace.reference_seconds(call)
    assert reference_seconds is not None and reference_seconds > 0.5 / 40 and pace.measured == 1
    assert pace.too_slow(call, 40 * reference_seconds) is None  # within the factor: never too slow
    verdict = pace.too_slow(call, 100 * reference_seconds)
    assert verdict is not None and verdict.startswith("too slow: about 100× the reference's time on this input (work "
                                                      "took ")
    assert pace.measured == 1  # timed once, then remembered
    assert pace.too_slow(CallRecord("missing", (), {}), 5.0) is None  # the reference cannot tell: the ceiling judges


#: The first kmeans call waits 1.5 s (as on a machine so busy that 1 s of work takes 1.5), the others do not.
FIRST_CALL_WAITS = SOLUTION + '''

_kmeans = kmeans
_waited = []


def kmeans(data, centers, eps=1e-3, max_iter=100):
    import time

    if not _waited:
        _waited.append(True)
        time.sleep(1.5)
    return _kmeans(data, centers, eps, max_iter)
'''


def test_the_ceiling_gives_way_when_the_reference_itself_needs_more(tmp_path: Path):
    """A reference that takes 50 ms a call allows 50 x 50 ms = 2.5 s, beyond the ceiling of 1 s: a call of 1.5 s
    is within the factor, so it is neither stopped at the ceiling nor too slow."""
    course = make_course(tmp_path / "course", limits={**LIMITS, "call_timeout": 1})
    reference = course.root / "reference" / "kmeans.py"
    reference.write_text(reference.read_text(encoding="utf-8") + "\n\n_kmeans = kmeans\n\n\n"
                         "def kmeans(*args, **kwargs):\n    import time\n\n    time.sleep(0.05)\n"
                         "    return _kmeans(*args, **kwargs)\n", encoding="utf-8")
    report = course.grade(FIRST_CALL_WAITS)
    checks = [c for c in report.exercises[0].checks if c.function == "kmeans"]
    assert checks and all(c.passed for c in checks), [(c.id, c.message) for c in checks if not c.passed]


#: A correct update that spends a tenth of a second more in a thread it waits for: the call's own work, counted.
SLOW_IN_A_THREAD = SOLUTION + '''

_update = update


def update(data, labels, centers):
    import threading
    import time

    def burn():
        begun = time.thread_time()
        while time.thread_time() < begun + 0.1:
            pass

    helper = threading.Thread(target=burn)
    helper.start()
    helper.join()
    return _update(data, labels, centers)
'''


def test_work_moved_to_a_thread_is_counted_as_the_calls(tmp_path):
    # The scheduler's count of a process is its main thread's alone: a thread that does the work (and ends) would
    # hide it, and slow code would pass; the process's own count of every thread is read too.
    course = make_course(tmp_path / "course", limits={**LIMITS, "reference_floor": 0.02})
    report = course.grade(SLOW_IN_A_THREAD)
    slow = check(report, "update.centroids")
    assert slow.verdict == "too_slow" and re.search(r"update on a \d+ x \d array took", slow.message), slow.message


#: A correct update that has a child it never waits for do a tenth of a second of work, its answer read from a pipe.
SLOW_IN_A_CHILD = SOLUTION + '''

_update = update


def update(data, labels, centers):
    import os
    import time

    read, write = os.pipe()
    if os.fork() == 0:
        begun = time.process_time()
        while time.process_time() < begun + 0.1:
            pass
        os.write(write, b"done")
        os._exit(0)
    os.read(read, 4)  # the child is never waited for: its time is in no count of this process
    os.close(read)
    os.close(write)
    return _update(data, labels, centers)
'''


def test_work_moved_to_a_child_never_waited_for_is_counted_where_a_cgroup_counts_it(tmp_path):
    course = make_course(tmp_path / "course", limits={**LIMITS, "reference_floor": 0.02})
    report = course.grade(SLOW_IN_A_CHILD)
    if "process_tree" not in report.sandbox:
        pytest.skip("the worker has no cgroup here")
    assert "every process the code starts" in report.sandbox["processor_time"]
    slow = check(report, "update.centroids")
    assert slow.verdict == "too_slow" and re.search(r"update on a \d+ x \d array took", slow.message), slow.message


def test_the_input_of_a_slow_call_is_described_in_words_that_fit_every_exercise():
    # The core does not know what a 2-D array stands for: a confusion matrix is no dataset of points.
    import numpy as np

    assert describe_input((np.array([[1, 0], [0, 0]]),), {}) == " on a 2 x 2 array"
    assert describe_input((3, np.zeros((200, 1))), {}) == " on a 200 x 1 array"
    assert describe_input((), {"x": np.zeros(1)}) == " on an array of 1 value"
