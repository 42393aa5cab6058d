"""Replayed calls sent ahead: the check gets exactly the answers of the calls made one by one.

A recording notes the calls each example made; a replay in the worker sends them ahead in growing
batches and hands each to the check when it makes exactly that call. These tests drive the planned
student with a stand-in that logs what it is asked (what was sent ahead, what was made one by one,
what time was given back), then grade real submissions in the worker with and without the cache.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pytest

from grader import grade_submission
from grader.config import Limits
from grader.precision import SINGLE_NOTE
from grader.wire import Rng as wire_rng
from grader import replay as replay_module
from grader import runner
from grader.authoring import CheckContext
from grader.replay import Recording, _encode, _fingerprint, _PlannedStudent, _same, given_to, replay
from grader.student import CallAborted, CallRecord, StudentRaised, open_student
from grader.student import _worker
from grader.student._worker import WorkerStudent
from tests.conftest import REFERENCE, ROOT, edited_reference
from tests.scale.test_batch import _MODULE as BATCH_MODULE
from tests.kmeans.mutants import MUTANTS


class _Worker:
    """Answers ``double(x)`` with ``2 * x``, ``fail(x)`` by raising, ``stop(x)`` by aborting the batch; each call
    charged one second."""

    protections: dict = {}

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.alone: list[str] = []
        self.refunded = 0.0
        self.printed = 0  # lines its code printed

    def output_mark(self) -> int:
        return self.printed

    def _answer(self, record: CallRecord):
        if record.function == "fail":
            return StudentRaised(record, "ValueError", f"no {record.args[0]}")
        if record.function == "stop":
            return CallAborted(record, "timed out", kind="timeout")
        return 2 * record.args[0]

    def prefetch(self, planned):
        self.batches.append([f"{record.function}({record.args[0]})" for record, _ in planned])
        answers = []
        for record, _ in planned:
            answers.append((self._answer(record), 1.0))
            if isinstance(answers[-1][0], CallAborted):
                break
        return answers

    def refund(self, seconds: float) -> None:
        self.refunded += seconds

    def call(self, function, *args):
        self.alone.append(f"{function}({args[0]})")
        return 2 * args[0]


def _plan(*calls: tuple[str, int]) -> list:
    return [(function, False, (value,), {}) for function, value in calls]


def test_calls_on_the_plan_are_answered_from_batches_that_grow():
    worker = _Worker()
    planned = _PlannedStudent(worker, _plan(*[("double", value) for value in range(20)]))
    assert [planned.call("double", value) for value in range(20)] == [2 * value for value in range(20)]
    assert [len(batch) for batch in worker.batches] == [4, 8, 8]  # 4, then 8, then the 8 left
    assert worker.alone == []
    planned.leave()
    assert worker.refunded == 0.0  # every call sent ahead was taken


def test_a_call_off_the_plan_goes_alone_and_the_calls_not_taken_give_their_time_back():
    worker = _Worker()
    planned = _PlannedStudent(worker, _plan(*[("double", value) for value in range(10)]))
    assert planned.call("double", 0) == 0
    assert planned.call("double", 7) == 14  # the plan holds double(1) next: from here, one by one
    assert planned.call("double", 2) == 4
    assert worker.batches == [["double(0)", "double(1)", "double(2)", "double(3)"]]
    assert worker.alone == ["double(7)", "double(2)"]
    assert worker.refunded == 3.0  # double(1), double(2) and double(3) were run for nothing
    planned.leave()
    assert worker.refunded == 3.0


def test_an_exception_comes_at_its_turn_and_the_batch_goes_on():
    worker = _Worker()
    planned = _PlannedStudent(worker, _plan(("double", 1), ("fail", 2), ("double", 3)))
    assert planned.call("double", 1) == 2
    with pytest.raises(StudentRaised, match="no 2"):
        planned.call("fail", 2)
    assert planned.call("double", 3) == 6
    assert worker.batches == [["double(1)", "fail(2)", "double(3)"]] and worker.alone == []


def test_a_call_that_could_not_finish_ends_the_batch_and_aborts_only_when_taken():
    worker = _Worker()
    planned = _PlannedStudent(worker, _plan(("double", 1), ("stop", 2), ("double", 3)))
    assert planned.call("double", 1) == 2
    with pytest.raises(CallAborted):
        planned.call("stop", 2)
    assert planned.call("double", 3) == 6  # never run ahead: made alone
    assert worker.batches == [["double(1)", "stop(2)", "double(3)"]]  # sent; the worker never ran double(3)
    assert worker.alone == ["double(3)"]

    worker = _Worker()
    planned = _PlannedStudent(worker, _plan(("double", 1), ("stop", 2)))
    assert planned.call("double", 5) == 10  # off the plan before the call that stopped: nothing is raised
    assert worker.refunded == 2.0


class _AheadWorker(_Worker):
    """A worker that also takes batches ahead (sent now, read later); a batch holding ``slow(x)`` cannot be vouched
    for.  ``events``: what it was asked, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, int]] = []

    def prefetch(self, planned):
        self.events.append(("now", len(planned)))
        return super().prefetch(planned)

    def send_ahead(self, planned):
        self.events.append(("ahead", len(planned)))
        return dataclasses.make_dataclass("Sent", ["records", "planned"])([record for record, _ in planned], planned)

    def collect(self, sent):
        self.events.append(("collect", len(sent.records)))
        answers = super().prefetch(sent.planned)
        return answers, not any(record.function == "slow" for record in sent.records)


def test_the_next_batch_is_sent_ahead_before_the_check_uses_the_answers_of_this_one():
    worker = _AheadWorker()
    planned = _PlannedStudent(worker, _plan(*[("double", value) for value in range(20)]))
    assert planned.call("double", 0) == 0
    assert worker.events == [("now", 4), ("ahead", 8)]  # the worker runs the next 8 while the check goes on
    assert [planned.call("double", value) for value in range(1, 20)] == [2 * value for value in range(1, 20)]
    assert worker.events == [("now", 4), ("ahead", 8), ("collect", 8), ("ahead", 8), ("collect", 8)]
    assert worker.alone == []
    planned.leave()
    assert worker.refunded == 0.0


def test_leaving_the_plan_reads_the_batch_sent_ahead_first_and_gives_its_time_back():
    worker = _AheadWorker()
    planned = _PlannedStudent(worker, _plan(*[("double", value) for value in range(10)]))
    assert planned.call("double", 0) == 0
    assert planned.call("double", 9) == 18  # off the plan: double(1..3) read, double(4..9) still pending
    assert worker.events == [("now", 4), ("ahead", 6), ("collect", 6)]
    assert worker.alone == ["double(9)"] and worker.refunded == 9.0  # 3 + 6 calls run for nothing


def _each_call(student, calls):
    for function, value in calls:
        student.call(function, value)


def test_answers_sent_ahead_that_cannot_be_vouched_for_set_the_replay_aside():
    """The replay is then made again with its calls made one by one, each judged for its time (see
    ``test_a_replay_made_one_call_at_a_time_sends_nothing_ahead``)."""
    calls = [("double", 0), ("double", 1), ("double", 2), ("double", 3), ("slow", 4), ("double", 5)]
    recording = Recording(({"args": {"calls": _encode(calls)}, "draws": [], "status": "valid",
                            "calls": [[function, False, _encode((value,)), _encode({})] for function, value in calls]},))
    worker = _AheadWorker()
    assert replay(_each_call, worker, recording) == "set_aside"
    assert worker.events == [("now", 4), ("ahead", 2), ("collect", 2)]
    assert worker.alone == [] and worker.refunded == 2.0  # slow(4) and double(5), never used
    # Recorded with these very answers: the examples are not run, and the answers that cannot be vouched for end
    # the replay all the same.
    answered = Recording(({**recording.examples[0], "answers": [_fingerprint(2 * value) for _, value in calls],
                           "notes": []},))
    worker = _AheadWorker()
    assert replay(_each_call, worker, answered) == "set_aside"
    assert worker.events == [("now", 4), ("ahead", 2), ("collect", 2)]
    fine = [("double", value) for value in range(6)]  # the same calls, none slow: the replay holds
    assert replay(_each_call, _AheadWorker(), Recording(({"args": {"calls": _encode(fine)}, "draws": [],
                                                          "status": "valid", "calls": [
        [function, False, _encode((value,)), _encode({})] for function, value in fine]},))) == "held"


class _Other(_Worker):
    """Another student: ``double(x)`` answers ``2 * x + 1``, printing a line when ``loud``."""

    def __init__(self, loud: bool) -> None:
        super().__init__()
        self.loud = loud

    def _answer(self, record: CallRecord):
        self.printed += self.loud
        return 2 * record.args[0] + 1

    def call(self, function, *args):
        self.alone.append(f"{function}({args[0]})")
        self.printed += self.loud
        return 2 * args[0] + 1


def _chained(student, x):
    """A check whose second call depends on the first's answer."""
    student.call("double", student.call("double", x))


def _recording_of(values) -> Recording:
    """What recording ``_chained`` on a student whose ``double(x)`` is ``2 * x`` notes."""
    return Recording(tuple({"args": {"x": _encode(x)}, "draws": [], "status": "valid",
                            "calls": [["double", False, _encode((x,)), _encode({})],
                                      ["double", False, _encode((2 * x,)), _encode({})]]} for x in values))


def test_a_replay_that_ran_calls_for_nothing_while_the_code_prints_is_set_aside():
    """What those calls printed would be in the report, and not in one made without the cache (the replay is made
    again, one call at a time); code that prints nothing loses nothing by them."""
    same = _Worker()
    assert replay(_chained, same, _recording_of([1, 2, 3])) == "held"
    assert same.alone == [] and same.refunded == 0.0
    for loud in (True, False):
        other = _Other(loud)
        assert replay(_chained, other, _recording_of([1, 2, 3])) == ("set_aside" if loud else "held")
        # double(1) taken; the plan's double(2) was not what the check asked (double(3)): the rest of the batch was
        # run for nothing, and given back.  Code that printed meanwhile: the replay ends there (it is made again
        # from the start, one call at a time); quiet code goes on one call at a time.
        assert other.batches[0] == ["double(1)", "double(2)", "double(2)", "double(4)"]
        assert other.alone[:2] == ([] if loud else ["double(3)", "double(2)"]) and other.refunded == 3.0


def _example(x: int, calls: list[tuple[str, int]], answers: list, notes: tuple[str, ...] = (),
             given: str = given_to(CheckContext())) -> dict:
    return {"args": {"x": _encode(x)}, "draws": [], "status": "valid",
            "calls": [[function, False, _encode((value,)), _encode({})] for function, value in calls],
            "answers": answers, "notes": list(notes), "given": given}


def test_an_example_whose_calls_answer_as_recorded_is_not_run_again_and_notes_what_it_noted():
    """The test is a function of its example and the answers: given those of the recording, it would end the same."""
    worker = _Worker()
    runs: list[int] = []

    def test(student, x):
        runs.append(x)
        if x == 4:
            with pytest.raises(StudentRaised):
                student.call("fail", x)
        else:
            assert student.call("double", x) == 2 * x

    examples = [_example(0, [("double", 0)], [_fingerprint(0)], notes=("single", "single")),
                _example(1, [("double", 1)], [_fingerprint(2.0)]),  # recorded as a float: not the same answer
                _example(2, [("double", 2)], [_fingerprint(4)], notes=("wide",)),
                _example(4, [("fail", 4)], [None])]  # an exception: the test sees it
    context = CheckContext()
    assert replay(test, worker, Recording(tuple(examples)), context=context) == "held"
    assert runs == [1, 4]
    assert context.notes == ["single", "wide"]
    assert worker.alone == [] and worker.batches == [["double(0)", "double(1)", "double(2)", "fail(4)"]]


def test_the_answers_of_an_example_run_again_that_ended_as_recorded_are_learnt():
    worker = _Worker()
    runs: list[int] = []

    def test(student, x, context):
        runs.append(x)
        context.note(f"saw {x}")
        assert student.call("double", x) == 2 * x

    examples = tuple(_example(x, [("double", x)], [_fingerprint(2.0 * x)], notes=(f"saw {x}",)) for x in range(3))
    better: list[Recording] = []
    context = CheckContext()
    assert replay(functools.partial(test, context=context), worker, Recording(examples), context=context,
                  improved=better.append) == "held"
    assert runs == [0, 1, 2] and len(better) == 1
    assert [example["also"] for example in better[0].examples] == [
        [[[_fingerprint(2 * x)], [f"saw {x}"], given_to(context)]] for x in range(3)]
    runs.clear()
    again = CheckContext()
    assert replay(functools.partial(test, context=again), _Worker(), better[0], context=again,
                  improved=better.append) == "held"
    assert runs == [] and again.notes == ["saw 0", "saw 1", "saw 2"] and len(better) == 1  # nothing new to learn
    # At most a few answers per example; nothing is learnt from a replay that does not hold.
    crowded = Recording(tuple({**example, "also": [[["other"], [], ""]] * 3} for example in examples))
    assert replay(functools.partial(test, context=context), _Worker(), crowded, context=context,
                  improved=better.append) == "held"
    assert len(better) == 1
    wrong = Recording(tuple({**example, "status": "invalid"} for example in examples))
    assert replay(functools.partial(test, context=context), _Worker(), wrong, context=context,
                  improved=better.append) == "left"
    assert len(better) == 1


def test_an_example_is_not_run_again_only_when_its_test_is_given_the_same_context(tmp_path):
    """A check reads its context (the precision policy, the language, the data files): the same answers under
    another policy may fail."""
    worker = _Worker()
    runs: list[int] = []

    def test(student, x):
        runs.append(x)
        assert student.call("double", x) == 2 * x

    data = tmp_path / "points.dat"
    data.write_text("1 2\n", encoding="utf-8")
    recorded = CheckContext(precision="single-or-double", data=(data,))
    examples = tuple(_example(x, [("double", x)], [_fingerprint(2 * x)], given=given_to(recorded)) for x in range(3))
    for context, ran in ((CheckContext(precision="single-or-double", data=(data,)), []),
                         (CheckContext(precision="double", data=(data,)), [0, 1, 2]),
                         (CheckContext(precision="single-or-double", language="c", data=(data,)), [0, 1, 2])):
        runs.clear()
        assert replay(test, _Worker(), Recording(examples), context=context) == "held"
        assert runs == ran, context
    data.write_text("1 3\n", encoding="utf-8")  # the same file, other contents
    runs.clear()
    again = CheckContext(precision="single-or-double", data=(data,))
    assert replay(test, worker, Recording(examples), context=again) == "held"
    assert runs == [0, 1, 2]


def test_after_an_example_that_took_other_calls_than_recorded_every_example_is_run():
    worker = _Worker()
    runs: list[int] = []

    def test(student, x):
        runs.append(x)
        assert student.call("double", x) == 2 * x

    # Recorded with two calls where the test now makes one: the plan's next call is not the next example's.
    examples = [_example(0, [("double", 0), ("double", 9)], [None, None]),
                _example(5, [("double", 5)], [_fingerprint(10)]),
                _example(6, [("double", 6)], [_fingerprint(12)])]
    assert replay(test, worker, Recording(tuple(examples))) == "held"
    assert runs == [0, 5, 6]
    assert worker.alone == ["double(5)", "double(6)"]  # off the plan: one by one, each seen by the test


def test_answers_have_the_same_fingerprint_only_with_the_same_types_and_bits():
    same = [np.arange(3.0), (np.int64(2), [1.0, {"a": None}]), wire_rng(3), "text", b"raw", True]
    assert [_fingerprint(value) for value in same] == [_fingerprint(value) for value in same]
    different = [np.arange(3.0), np.arange(3.0).astype(np.float32), np.arange(3), np.arange(3.0).reshape(3, 1),
                 np.array([0.0, 1.0, 2.0 + 1e-16 * 4]), (0.0, 1.0, 2.0), [0.0, 1.0, 2.0], 1, 1.0, True,
                 np.int64(1), np.int32(1), -0.0, 0.0, float("nan"), np.array([np.nan]), wire_rng(4),
                 {"a": 1}, {"b": 1}, "1", b"1"]
    fingerprints = [_fingerprint(value) for value in different]
    assert len(set(fingerprints)) == len(different) and None not in fingerprints
    # What cannot be told that well is never vouched for: the check then runs.
    assert _fingerprint(np.array([object()])) is None and _fingerprint(StudentRaised(CallRecord("f", ()), "E", "")) is None
    assert _fingerprint({1, 2}) is None


def test_arguments_match_only_with_the_same_types_and_bits():
    array = np.arange(6, dtype=np.float64).reshape(2, 3)
    assert _same((array.copy(), {"k": 2}), (array, {"k": 2}))
    assert _same((np.asfortranarray(array),), (array,))  # the same message on the wire
    assert not _same((array.astype(np.float32),), (array,))
    assert not _same((array.reshape(3, 2),), (array,))
    assert not _same((np.where(array == 0, -0.0, array),), (array,))  # -0.0 is not 0.0
    assert not _same((1,), (1.0,)) and not _same((True,), (1,)) and not _same(([1],), ((1,),))
    assert not _same((0.1 + 0.2,), (0.3,))
    assert _same((float("nan"),), (float("nan"),))


# The module of the batch tests (step, calls_so_far, leaves), with a function that changes its argument and one
# that takes its time.
_MODULE = BATCH_MODULE + """
def twice(values):
    values[0] = -1
    return calls

def nap(seconds):
    import time
    time.sleep(seconds)
    return seconds

def spin(seconds):
    import time
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass
    return seconds
"""


@pytest.fixture
def spare_core(monkeypatch):
    """A core to spare, whatever the load of the machine running the tests: calls are sent ahead."""
    monkeypatch.setattr(_worker, "_spare_core", lambda: True)


def test_calls_are_sent_ahead_only_with_a_core_to_spare(monkeypatch):
    monkeypatch.setattr(_worker, "_cores", lambda: 2)
    for load, spare in ((0.2, True), (1.2, True), (1.6, False), (3.0, False)):
        monkeypatch.setattr(_worker.os, "getloadavg", lambda load=load: (load, load, load))
        assert _worker._spare_core() is spare


def _opened(tmp_path, config, total_timeout: float):
    path = tmp_path / "kmeans.py"
    path.write_text(_MODULE, encoding="utf-8")
    return open_student(path, config.exercise("kmeans"), Limits(call_timeout=30, total_timeout=total_timeout),
                        sandbox=True)


@pytest.fixture
def worker(tmp_path, config):
    opened = _opened(tmp_path, config, 2.2)
    yield opened
    opened.close()


@pytest.fixture
def roomy_worker(tmp_path, config):
    """A budget no busy machine exhausts: 1.2 s of processor time may take several seconds of wall-clock time."""
    opened = _opened(tmp_path, config, 60)
    yield opened
    opened.close()


@pytest.mark.quick
def test_the_worker_answers_a_plan_in_order_through_exceptions_until_a_call_cannot_finish(worker):
    answers = worker.prefetch([(CallRecord("step", (1,)), False), (CallRecord("step", (3,)), False),
                               (CallRecord("twice", ([5, 6],)), True), (CallRecord("leaves", (1,)), False),
                               (CallRecord("step", (4,)), False)])
    values = [answer for answer, _ in answers]
    assert values[0] == [1, 1]
    assert isinstance(values[1], StudentRaised) and values[1].message == "no 3"
    assert values[2] == (2, ([-1, 6],))  # echoed arguments, as call_with_args gives them
    assert isinstance(values[3], CallAborted) and values[3].kind == "exit"
    assert len(values) == 4  # step(4) was never run
    assert worker.call("calls_so_far") == 0  # the worker that ended was replaced


def test_answers_sent_ahead_are_vouched_for_only_when_no_call_of_theirs_could_have_been_judged_alone(roomy_worker,
                                                                                                   spare_core):
    """A call is judged against the reference only beyond the floor (1 s of processor time): a batch read later
    that took less than that, all its calls together, holds no call that could have been."""
    roomy_worker.prefetch([(CallRecord("step", (1,)), False)])  # read at once: a first batch, a quick one
    quick = roomy_worker.send_ahead([(CallRecord("step", (2,)), False), (CallRecord("step", (4,)), False)])
    assert quick is not None
    answers, vouched = roomy_worker.collect(quick)
    assert [answer for answer, _ in answers] == [[2, 2], [4, 3]] and vouched
    busy = roomy_worker.send_ahead([(CallRecord("spin", (1.2,)), False)])
    answers, vouched = roomy_worker.collect(busy)
    assert [answer for answer, _ in answers] == [1.2] and not vouched
    assert roomy_worker.send_ahead([(CallRecord("step", (5,)), False)]) is None  # after a long batch: read at once again


def test_time_given_back_is_budget_again(worker):
    answers = worker.prefetch([(CallRecord("nap", (0.9,)), False)] * 2)
    assert [answer for answer, _ in answers] == [0.9, 0.9]
    assert sum(seconds for _, seconds in answers) >= 1.8
    worker.refund(sum(seconds for _, seconds in answers))
    assert worker.call("nap", 0.5) == 0.5  # without the refund, 0.4 s at most would be left of 2.2 s
    worker.prefetch([(CallRecord("nap", (0.9,)), False)] * 2)
    with pytest.raises(CallAborted) as aborted:
        worker.call("nap", 0.5)
    assert aborted.value.kind == "budget"


def test_a_single_precision_submission_graded_from_the_cache_gets_the_report_made_without_it(
        corpus_config, tmp_path, monkeypatch, spare_core):
    """The reference records the examples. A single-precision submission answers otherwise: its first replay runs
    the examples, and the cache learns its answers; its second does not run those again. What they noted
    ("computed in single precision") is in the report all the same."""
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    vouched: list[bool] = []
    notes_if_answered = replay_module._notes_if_answered

    def counted(*args, **kwargs):
        notes = notes_if_answered(*args, **kwargs)
        vouched.append(notes is not None)
        return notes

    monkeypatch.setattr(replay_module, "_notes_if_answered", counted)
    assert grade_submission(corpus_config, {"kmeans": REFERENCE}).exercises[0].notes == ()
    single = ROOT / "tests" / "kmeans" / "variants" / "float32.py"
    reports = []
    for run in range(2):
        vouched.clear()
        reports.append(grade_submission(corpus_config, {"kmeans": single}))
        share = vouched.count(True) / len(vouched)
        assert share < 0.75 if run == 0 else share > 0.9, (run, share)  # init_centers' answers are the same
    monkeypatch.setenv("GRADER_NO_CACHE", "1")
    uncached = grade_submission(corpus_config, {"kmeans": single})
    assert uncached.score == uncached.max_score and SINGLE_NOTE in uncached.exercises[0].notes
    for report in reports:
        assert _results(report) == _results(uncached) and report.exercises[0].notes == uncached.exercises[0].notes


def _results(report):
    return [dataclasses.replace(result, duration=0.0) for exercise in report.exercises for result in exercise.checks]


def test_graded_in_the_worker_with_calls_sent_ahead_the_report_is_the_one_of_calls_made_one_by_one(
        corpus_config, tmp_path, monkeypatch, spare_core):
    """The reference records the cache; it and a one-bug submission are graded again from it in the worker (calls
    sent ahead) and in process (calls made one by one, as a replay without the worker makes them; the replay
    tests show that this is what Hypothesis finds without the cache): the same results."""
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    sent: list[int] = []
    ahead: list[int] = []
    prefetch, send_ahead = WorkerStudent.prefetch, WorkerStudent.send_ahead

    def counted(self, planned):
        sent.append(len(planned))
        return prefetch(self, planned)

    def counted_ahead(self, planned):
        batch = send_ahead(self, planned)
        ahead.append(0 if batch is None else len(planned))
        return batch

    monkeypatch.setattr(WorkerStudent, "prefetch", counted)
    monkeypatch.setattr(WorkerStudent, "send_ahead", counted_ahead)
    bug = tmp_path / "kmeans.py"
    bug.write_text(next(m for m in MUTANTS if m.name == "ignores_eps").source(), encoding="utf-8")
    first = grade_submission(corpus_config, {"kmeans": REFERENCE}, sandbox=False)
    assert first.score == first.max_score
    for path in (REFERENCE, bug):
        in_worker = grade_submission(corpus_config, {"kmeans": path})
        assert sum(sent) > 0 and sum(ahead) > 0  # read at once, and read later
        sent.clear()
        ahead.clear()
        one_by_one = grade_submission(corpus_config, {"kmeans": path}, sandbox=False)
        assert _results(in_worker) == _results(one_by_one)
    assert in_worker.score < in_worker.max_score


def test_a_replay_made_one_call_at_a_time_sends_nothing_ahead():
    """``ahead=False``: how a replay set aside is made again (see ``grader.runner._passes_from_cache``)."""
    other = _Other(loud=True)
    assert replay(_chained, other, _recording_of([1, 2, 3]), ahead=False) == "held"
    assert other.batches == [] and other.refunded == 0.0
    assert other.alone == ["double(1)", "double(3)", "double(2)", "double(5)", "double(3)", "double(7)"]


def test_code_that_prints_and_leaves_the_recorded_path_is_replayed_again_rather_than_generated_again(
        corpus_config, tmp_path, monkeypatch, spare_core):
    """The course's k-means prints a line per iteration and breaks ties otherwise than the reference, which
    recorded the examples: in some checks it makes other calls than recorded, after calls sent ahead printed for
    nothing. Those replays are set aside and made again one call at a time, from the code loaded afresh: no check
    is generated again by Hypothesis, and the report is the one made without the cache, printed output included."""
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    course_style = ROOT / "tests" / "kmeans" / "variants" / "course_style.py"
    assert grade_submission(corpus_config, {"kmeans": REFERENCE}, hidden=True, sandbox=False).score == 100
    ends: list[str] = []
    generated: list[str] = []
    replayed, run_test = replay_module.replay, runner._run_test

    def spied_replay(*args, **kwargs):
        ends.append(replayed(*args, **kwargs))
        return ends[-1]

    def spied_run_test(bound, *args, **kwargs):
        generated.append(bound.check.id)
        return run_test(bound, *args, **kwargs)

    monkeypatch.setattr(runner, "replay", spied_replay)
    monkeypatch.setattr(runner, "_run_test", spied_run_test)
    cached = grade_submission(corpus_config, {"kmeans": course_style}, hidden=True)
    assert "set_aside" in ends and "left" not in ends and generated == []
    monkeypatch.setenv("GRADER_NO_CACHE", "1")
    uncached = grade_submission(corpus_config, {"kmeans": course_style}, hidden=True)
    assert cached.score == uncached.score == 100
    assert _results(cached) == _results(uncached)
    assert cached.output == uncached.output and "course version" in cached.output


def _stopping(student, x):
    """A check that calls ``double(x)`` then ``stop(x + 1)``."""
    student.call("double", x)
    student.call("stop", x + 1)


def test_a_batch_cut_short_at_a_call_that_could_not_finish_while_the_code_printed_sets_the_replay_aside():
    """A call judged too slow once answered is stopped with its worker, which may have started the next call of the
    batch: what that call printed would be in the report. Quiet code loses nothing: the call's verdict stands."""
    calls = [["double", False, _encode((1,)), _encode({})], ["stop", False, _encode((2,)), _encode({})],
             ["double", False, _encode((3,)), _encode({})]]
    recording = Recording(({"args": {"x": _encode(1)}, "draws": [], "status": "valid", "calls": calls},))

    class _Loud(_Worker):
        def _answer(self, record):
            self.printed += 1
            return super()._answer(record)

    assert replay(_stopping, _Loud(), recording) == "set_aside"
    with pytest.raises(CallAborted):
        replay(_stopping, _Worker(), recording)


def test_code_no_longer_loaded_again_gets_no_call_sent_ahead():
    """The state calls run ahead for nothing leave would stay in code that is not loaded again before the next check
    (slow to load, or keeping threads; see ``tests/sandbox/test_fresh_state.py``)."""

    class _Kept(_Worker):
        loads_afresh = False

    kept = _Kept()
    assert replay(_chained, kept, _recording_of([1, 2])) == "held"
    assert kept.batches == [] and kept.alone == ["double(1)", "double(2)", "double(2)", "double(4)"]


#: The reference, its ties broken towards the last center, a pool of threads kept at module level (the worker does
#: not load such code again) and a count of its calls printed: the state that calls run for nothing would change.
_POOLED_COUNTER = (
    ("import numpy as np\n", "import numpy as np\nfrom concurrent.futures import ThreadPoolExecutor\n\n"
                             "_POOL = ThreadPoolExecutor(max_workers=2)\n_CALLS = 0\n"),
    ("    labels = squared.argmin(axis=1)\n    return labels\n",
     '    global _CALLS\n    _CALLS += 1\n    print("assign call", _CALLS)\n'
     "    last = squared.shape[1] - 1 - squared[:, ::-1].argmin(axis=1)\n"
     "    return np.array(list(_POOL.map(int, last)), dtype=int)\n"),
)


def test_code_that_keeps_threads_and_counts_its_calls_prints_the_same_with_the_cache_as_without(
        corpus_config, tmp_path, monkeypatch, spare_core):
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    assert grade_submission(corpus_config, {"kmeans": REFERENCE}, sandbox=False).score == 90
    path = edited_reference(tmp_path, _POOLED_COUNTER)
    cached = grade_submission(corpus_config, {"kmeans": path})
    monkeypatch.setenv("GRADER_NO_CACHE", "1")
    uncached = grade_submission(corpus_config, {"kmeans": path})
    assert cached.score == uncached.score == 90
    assert "assign call 100\n" in uncached.output
    assert cached.output == uncached.output
