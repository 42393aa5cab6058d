"""Allocating more than the memory limit stops the call with a memory verdict."""

from __future__ import annotations

from tests.sandbox.helpers import LIMITS, attack, check, full_marks


def test_memory_hog_in_update(course):
    code = """
        def update(data, labels, centers):
            hog = []
            while True:
                hog.append(np.empty(50 * 1024 * 1024, dtype=np.uint8))  # address space, untouched: fast
    """
    report = course.grade(attack(code))
    result = check(report, "update.centroids")
    assert result.verdict == "crashed"
    assert result.message == f"stopped: memory limit of {LIMITS['memory_mb']} MiB exceeded in update"
    assert full_marks(report, but=("update",))


def test_huge_numpy_allocation_in_assign(course):
    code = """
        def assign(data, centers):
            return np.ones((50_000, 50_000))
    """
    report = course.grade(attack(code))
    result = check(report, "assign.nearest_center")
    assert result.message == f"stopped: memory limit of {LIMITS['memory_mb']} MiB exceeded in assign"
