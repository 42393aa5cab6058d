"""An exercise in C or Fortran, as its author writes it: a binding that cannot be imported is the exercise's error,
never the student's code that could not be loaded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from grader.cli import main
from grader.errors import EXIT_GRADER_ERROR

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as ended:
        main(list(args))
    out, err = capsys.readouterr()
    return int(ended.value.code or 0), out, err


def _scaffold(capsys: pytest.CaptureFixture[str], folder: Path) -> Path:
    """A course with the exercise ``ctr`` in Python, C and Fortran, as ``grader new`` writes it."""
    config = folder / "config.yaml"
    code, _, err = _run(capsys, "new", "ctr", "--languages", "c,fortran", "--config", str(config))
    assert code == 0, err
    return config


def _check(capsys: pytest.CaptureFixture[str], config: Path, path: Path, *flags: str) -> tuple[int, dict]:
    code, out, _ = _run(capsys, "check", "ctr", "--path", str(path), "--all", "--config", str(config),
                        "--format", "json", *flags)
    return code, json.loads(out)


@pytest.mark.parametrize("flags", [(), ("--no-sandbox",)], ids=["worker", "in-process"])
@pytest.mark.parametrize("fault, said, line", [
    ("LIMIT = undefined_name\n", "NameError: name 'undefined_name' is not defined", "top"),
    ("def (\n", "SyntaxError: invalid syntax", "end")], ids=["raises", "syntax"])
def test_a_binding_that_cannot_be_imported_is_the_exercises_error_with_its_file_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: tuple[str, ...], fault: str, said: str,
        line: str) -> None:
    """The binding raising at import, or not even parsing, is the exercise's error (exit 3, every check
    ``grader_error``) named with its file and line: never 'your code could not be loaded' for a correct student."""
    config = _scaffold(capsys, tmp_path)
    binding = tmp_path / "bindings" / "ctr.py"
    lines = binding.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(index for index, text in enumerate(lines) if text.startswith("from grader")) if line == "top" else len(lines)
    binding.write_text("".join(lines[:at] + [fault] + lines[at:]), encoding="utf-8")
    code, report = _check(capsys, config, tmp_path / "reference" / "ctr.c", *flags)
    exercise = report["exercises"][0]
    assert code == EXIT_GRADER_ERROR, exercise
    assert exercise["status"] == "graded" and exercise["checks"], exercise
    for check in exercise["checks"]:
        assert check["verdict"] == "grader_error", check
        assert f"bindings/ctr.py cannot be imported: {said} in bindings/ctr.py line {at + 1}" in check["message"]
        assert "not in the student's code" in check["message"]
