"""A crash of the interpreter (SIGSEGV through ctypes) is named, and the next checks run in a fresh worker."""

from __future__ import annotations

from tests.sandbox.helpers import attack, check, full_marks


def test_segfault_in_update(course):
    code = """
        import ctypes

        def update(data, labels, centers):
            ctypes.string_at(0)
    """
    report = course.grade(attack(code))
    result = check(report, "update.centroids")
    assert result.verdict == "crashed"
    assert result.message == "crashed with SIGSEGV in update"
    assert full_marks(report, but=("update",))
