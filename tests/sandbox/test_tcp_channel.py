"""Where sockets cannot be inherited (Windows), the channel is a local TCP connection that must show its token."""

from __future__ import annotations

from tests.sandbox.helpers import SOLUTION, attack, check, full_marks


def test_grading_over_the_tcp_channel(course, monkeypatch):
    monkeypatch.setenv("GRADER_WORKER_CHANNEL", "tcp")
    assert full_marks(course.grade(SOLUTION))
    code = """
        def update(data, labels, centers):
            os._exit(4)
    """
    report = course.grade(attack(code))
    assert check(report, "update.centroids").message == "your code ended the process (exit code 4) during update"
    assert full_marks(report, but=("update",))
