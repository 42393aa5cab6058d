"""The course's students use Python 3.10: nothing in the product may need a newer Python."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = [p for p in ("grader", "exercises", "reference", "data", "benchmarks", "tests") if (ROOT / p).exists()]
VERMIN = "import sys, vermin; sys.argv[0] = 'vermin'; sys.exit(vermin.main())"


def vermin(*paths: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", VERMIN, "--target=3.10-", "--violations", "--no-tips", "--eval-annotations",
         "--backport", "typing", *paths],
        cwd=ROOT, capture_output=True, text=True,
    )


def test_no_syntax_or_stdlib_newer_than_python_3_10():
    result = vermin(*CHECKED)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_check_catches_python_3_11_features(tmp_path):
    newer = tmp_path / "newer.py"
    newer.write_text("import tomllib\n\ntry:\n    pass\nexcept* ValueError:\n    pass\n", encoding="utf-8")
    result = vermin(str(newer))
    assert result.returncode != 0
    assert "tomllib" in result.stdout


def test_pyproject_declares_python_3_10():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.10"' in text
