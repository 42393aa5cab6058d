"""A loop that ignores SIGTERM and SIGINT is still stopped, and its process does not survive."""

from __future__ import annotations

import re

from tests.sandbox.helpers import attack, check, full_marks


def test_loop_ignoring_signals_is_killed(course):
    code = """
        import signal

        for _number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT):
            signal.signal(_number, signal.SIG_IGN)

        def update(data, labels, centers):
            while True:
                try:
                    pass
                except BaseException:
                    pass
    """
    report = course.grade(attack(code))
    result = check(report, "update.centroids")
    assert result.verdict == "timeout"
    assert re.match(r"timed out after 2 s in update on a \d+ x \d array", result.message), result.message
    assert full_marks(report, but=("update",))
