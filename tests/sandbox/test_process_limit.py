"""The process limit: a fork bomb gets no more than ``processes`` processes, and none of them survives."""

from __future__ import annotations

from tests.sandbox.helpers import LIMITS, attack, full_marks


def test_fork_bomb_is_capped(course):
    code = """
        import time

        _started = 0
        for _ in range(200):
            try:
                _pid = os.fork()
            except OSError:
                break
            if _pid == 0:
                time.sleep(600)
                os._exit(0)
            _started += 1
            print("CHILD=%d" % _pid)
        print("STARTED=%d" % _started, flush=True)
    """
    report = course.grade(attack(code))  # also asserts that none of the children survives
    started = int(report.output.split("STARTED=")[1].split()[0])
    if report.sandbox.get("process_count", "").startswith("active"):
        assert started < LIMITS["processes"]
    assert full_marks(report)
