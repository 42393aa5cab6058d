"""Report files written by the code stay in its own folder, which is thrown away; the real report is unchanged."""

from __future__ import annotations

import json

from tests.sandbox.helpers import attack, full_marks


def test_fake_report_files(course, tmp_path):
    fake = {"student": "student", "score": 100, "max_score": 100}
    out = course.root / "out"
    code = f"""
        import json
        for _folder in (".", {str(out)!r}, {str(course.root)!r}, {str(tmp_path)!r}):
            for _name in ("report.json", "student.json", "grades.csv"):
                try:
                    os.makedirs(_folder, exist_ok=True)
                    with open(os.path.join(_folder, _name), "w") as _handle:
                        _handle.write(json.dumps({fake!r}))
                    print("WROTE", _folder, _name)
                except OSError as _error:
                    print("DENIED", _folder, _name, type(_error).__name__)

        def init_centers(data, k, rng):
            raise NotImplementedError
    """
    report = course.grade(attack(code))
    assert not out.exists()
    assert not (tmp_path / "report.json").exists()
    assert report.output.count("WROTE . ") == 3  # its own folder: allowed, and discarded
    assert report.score < report.max_score and not full_marks(report)
    assert json.loads(report.to_json())["score"] == report.score
