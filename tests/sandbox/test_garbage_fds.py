"""Garbage written to fds 0, 1 and 2 is only output: the private channel is not any of them."""

from __future__ import annotations

from tests.sandbox.helpers import SOLUTION, attack, full_marks


def test_garbage_on_standard_fds(course):
    code = """
        import struct

        try:
            print("stdin:", repr(sys.stdin.read()))
        except Exception as _error:
            print("stdin:", type(_error).__name__)

        _forged = struct.pack(">Q", 12) + b"GRD1" + bytes(8)
        for _fd in (0, 1, 2):
            try:
                os.write(_fd, _forged + bytes(range(256)) * 64)
            except OSError as _error:
                print("fd", _fd, type(_error).__name__)

        _assign = assign

        def assign(data, centers):
            os.write(1, b"\\x00\\xff" * 5000)
            os.write(2, struct.pack(">Q", 1 << 40))
            return _assign(data, centers)
    """
    report = course.grade(attack(code))
    assert full_marks(report), [(c.id, c.message) for c in report.exercises[0].checks if not c.passed]
    assert "stdin: ''" in report.output  # fd 0 is /dev/null
    assert report.score == report.max_score


def test_forged_reply_on_the_channel_is_refused(course):
    code = """
        import socket, stat, struct

        def _forge():
            for _fd in range(3, 64):
                try:
                    if stat.S_ISSOCK(os.fstat(_fd).st_mode):
                        os.write(_fd, struct.pack(">Q", 9) + b"not wire!")
                except OSError:
                    pass

        def update(data, labels, centers):
            _forge()
            return _centroids(np.asarray(data, dtype=float), labels, centers)
    """
    report = course.grade(attack(code))
    update = [c for c in report.exercises[0].checks if c.function == "update"]
    assert update and not any(c.passed for c in update)
    assert all(c.verdict == "crashed" and "malformed reply" in c.message for c in update), \
        [(c.verdict, c.message) for c in update]
    assert full_marks(report, but=("update",))
    assert SOLUTION
