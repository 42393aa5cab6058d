"""The worker cannot read the reference solution, the configuration, the hidden checks or other submissions."""

from __future__ import annotations

from tests.sandbox.helpers import attack, landlock_active


def test_secrets_are_unreadable(course):
    targets = [course.root / "reference" / "kmeans.py", course.root / "config.yaml",
               course.root / "reference" / "kmeans_hidden_checks.py", course.submissions / "alice.py",
               course.root / "reference"]
    code = f"""
        for _target in {[str(path) for path in targets]!r}:
            try:
                _text = os.listdir(_target) if os.path.isdir(_target) else open(_target).read()
                print("LEAK", _target, str(_text)[:60])
            except OSError as _error:
                print("DENIED", type(_error).__name__, _target)
        try:
            import importlib.util
            _spec = importlib.util.spec_from_file_location("ref", {str(targets[0])!r})
            _ref = importlib.util.module_from_spec(_spec)
            _spec.loader.exec_module(_ref)
            assign, update, kmeans = _ref.assign, _ref.update, _ref.kmeans
            print("LEAK imported the reference")
        except Exception as _error:
            print("DENIED import", type(_error).__name__)
    """
    report = course.grade(attack(code))
    assert landlock_active(report), report.sandbox
    assert "LEAK" not in report.output, report.output
    assert report.output.count("DENIED PermissionError") == len(targets)
    assert report.score == report.max_score  # the correct code still works
