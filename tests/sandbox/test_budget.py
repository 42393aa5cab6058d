"""The time budget of a whole submission: once it is spent, the call stops with a verdict naming it, and the
remaining checks are not run."""

from __future__ import annotations

from tests.sandbox.helpers import LIMITS, attack, make_course


def test_time_budget_runs_out(tmp_path):
    course = make_course(tmp_path / "course", limits={**LIMITS, "total_timeout": 3})
    code = """
        import time
        _assign = assign

        def assign(data, centers):
            time.sleep(1.5)  # well within the call timeout of 2 s, but two calls exceed the budget of 3 s
            return _assign(data, centers)
    """
    report = course.grade(attack(code))
    checks = report.exercises[0].checks
    stopped = [c for c in checks if "budget" in c.message]
    assert stopped, [(c.id, c.message) for c in checks]
    first = stopped[0]
    assert first.verdict == "timeout"
    assert first.message == "stopped: the time budget of 3 s for the whole submission ran out in assign"
    later = checks[checks.index(first) + 1:]
    assert later and all(not c.passed for c in later)
    # Each later check says the budget is why it did not run, whichever function it is about.
    assert {c.message for c in later} == {
        "not run: the time budget of 3 s for the whole submission ran out in assign, during an earlier check"}
