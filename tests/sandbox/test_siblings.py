"""Deleting or overwriting other students' submissions or the course's files is denied."""

from __future__ import annotations

from tests.sandbox.helpers import attack, landlock_active


def test_cannot_delete_or_overwrite_siblings(course):
    alice, bob = course.submissions / "alice.py", course.submissions / "bob.py"
    reference = course.root / "reference" / "kmeans.py"
    code = f"""
        import shutil
        for _action, _target in [("unlink", {str(alice)!r}), ("write", {str(bob)!r}), ("write", {str(reference)!r}),
                                 ("rmtree", {str(course.root / "data")!r}), ("write", {str(course.root / "x.py")!r}),
                                 ("chmod", {str(course.root / "config.yaml")!r})]:
            try:
                if _action == "unlink":
                    os.unlink(_target)
                elif _action == "write":
                    open(_target, "w").write("def assign(data, centers): return 0")
                elif _action == "chmod":
                    os.chmod(_target, 0o777)
                else:
                    shutil.rmtree(_target)
                print("DONE", _action, _target)
            except OSError as _error:
                print("DENIED", _action, type(_error).__name__)
    """
    report = course.grade(attack(code))  # also proves that no file of the course changed
    assert landlock_active(report)
    assert "DONE" not in report.output
    assert alice.read_text().startswith("\nimport os")
    assert report.score == report.max_score
