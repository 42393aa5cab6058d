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


#: Where a fault goes in the scaffold's binding (before the first line starting so; "": at the end), and what
#: the message says of it ({line}: the fault's line).
_IMPORT = "bindings/ctr.py cannot be imported: {said} in bindings/ctr.py line {line}"
_BIND = "bindings/ctr.py raised {said} in bindings/ctr.py line {line} when it bound the compiled ctr.c"


@pytest.mark.parametrize("flags", [(), ("--no-sandbox",)], ids=["worker", "in-process"])
@pytest.mark.parametrize("fault, before, said", [
    ("LIMIT = undefined_name\n", "from grader", _IMPORT.format(said="NameError: name 'undefined_name' is not defined",
                                                              line="{line}")),
    ("def (\n", "", _IMPORT.format(said="SyntaxError: invalid syntax", line="{line}")),
    ("    undefined_name()\n", "    try:", _BIND.format(said="NameError: name 'undefined_name' is not defined",
                                                       line="{line}"))], ids=["raises", "syntax", "bind-raises"])
def test_a_binding_that_breaks_before_any_call_is_the_exercises_error_with_its_file_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: tuple[str, ...], fault: str, before: str,
        said: str) -> None:
    """The binding raising at import, not even parsing, or raising in its ``bind``, is the exercise's error
    (exit 3, every check ``grader_error``) named with its file and line: never 'your code could not be loaded'
    for a correct student."""
    config = _scaffold(capsys, tmp_path)
    binding = tmp_path / "bindings" / "ctr.py"
    lines = binding.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(index for index, text in enumerate(lines) if text.startswith(before)) if before else len(lines)
    binding.write_text("".join(lines[:at] + [fault] + lines[at:]), encoding="utf-8")
    code, report = _check(capsys, config, tmp_path / "reference" / "ctr.c", *flags)
    exercise = report["exercises"][0]
    assert code == EXIT_GRADER_ERROR, exercise
    assert exercise["status"] == "graded" and exercise["checks"], exercise
    for check in exercise["checks"]:
        assert check["verdict"] == "grader_error", check
        assert said.format(line=at + 1) in check["message"], check["message"]
        assert "not in the student's code" in check["message"]


C_TWO = """\
int not_implemented = 0;

void center(const double *x, int n, double *out)
{{
    {center}
}}

void scale(const double *x, int n, double *out)
{{
    (void)x; (void)n; (void)out; {scale}
}}
"""
PY_HALF = """\
def center(x):
    return [v - sum(x) / len(x) for v in x]


def scale(x):
    raise NotImplementedError
"""
MARKED = "not_implemented = 1;"
DONE = "for (int i = 0; i < n; i++) out[i] = x[i];"


def test_a_c_skeleton_that_sets_the_flag_by_hand_is_not_read_as_completed(tmp_path: Path) -> None:
    """A C skeleton's function may set the flag the contract names (``not_implemented = 1;``) without the
    ``NOT_IMPLEMENTED`` macro: the untouched skeleton left beside the student's half-done Python file is still to
    write, and the Python file is graded, not the skeleton."""
    from grader.sources import Candidate, choose, marks

    (tmp_path / "ctr.py").write_text(PY_HALF, encoding="utf-8")
    (tmp_path / "ctr.c").write_text(C_TWO.format(center=MARKED, scale=MARKED), encoding="utf-8")
    assert marks(tmp_path / "ctr.c") == 2
    chosen = choose([Candidate("c", tmp_path / "ctr.c"), Candidate("python", tmp_path / "ctr.py")])
    assert chosen is not None and chosen.language == "python", chosen
    # The flag's declaration and a statement that only reads it are no marks.
    (tmp_path / "ctr.c").write_text(C_TWO.format(center="if (not_implemented == 1) return;", scale=DONE),
                                    encoding="utf-8")
    assert marks(tmp_path / "ctr.c") == 0


def _dist(config: Path, out: Path) -> None:
    from grader.config import load_config
    from grader.dist import build_student_repo

    build_student_repo(load_config(config), out)


@pytest.mark.parametrize("language", ["c", "fortran"])
def test_dist_refuses_a_compiled_skeleton_filled_in(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     language: str) -> None:
    """``grader dist`` hands out a compiled skeleton only if each checked function still sets the flag
    ``not_implemented``: a skeleton filled in (its author trying it) would hand the solution to every student."""
    from grader.errors import UsageError

    config = _scaffold(capsys, tmp_path / "course")
    suffix = {"c": ".c", "fortran": ".f90"}[language]
    skeleton = tmp_path / "course" / "ctr" / f"ctr{suffix}"
    handed = skeleton.read_text(encoding="utf-8")
    if language == "c":  # the flag set by hand is a mark too: handed out
        skeleton.write_text(handed.replace("NOT_IMPLEMENTED;", "not_implemented = 1;"), encoding="utf-8")
        _dist(config, tmp_path / "starter")
    # Its only function filled in (not a copy of the reference, which the leak guard refuses on its own).
    filled = handed.replace("not_implemented = 1\n", "out = x - sum(x) / n\n", 1) if language == "fortran" else \
        handed.replace("NOT_IMPLEMENTED;", "for (int i = 0; i < n; i++) out[i] = x[i];", 1)
    skeleton.write_text(filled, encoding="utf-8")
    with pytest.raises(UsageError, match=f"the skeleton ctr/ctr{suffix} marks no function as to write"):
        _dist(config, tmp_path / "starter2")
    # One function filled in among others still to write: named.
    later = ("  subroutine later() bind(C, name=\"later\")\n    not_implemented = 1\n  end subroutine later\n\n"
             "end module") if language == "fortran" else "void later(void)\n{\n    NOT_IMPLEMENTED;\n}\n"
    skeleton.write_text(filled.replace("end module", later) if language == "fortran" else filled + later,
                        encoding="utf-8")
    with pytest.raises(UsageError, match=f"the skeleton ctr/ctr{suffix} looks completed: center no longer set"):
        _dist(config, tmp_path / "starter3")


def test_a_missing_binding_file_is_refused_when_the_configuration_loads(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """config.yaml names the binding, the file is not there: a wrong path, refused at once (exit 2) as a missing
    reference is, never 'config.yaml must name one' told to a student whose code could not be loaded."""
    from grader.config import load_config
    from grader.errors import ConfigError

    config = _scaffold(capsys, tmp_path)
    (tmp_path / "bindings" / "ctr.py").unlink()
    with pytest.raises(ConfigError, match="c binding bindings/ctr.py does not exist .its folder does.: correct"):
        load_config(config)


def test_a_binding_missing_with_its_folder_is_the_exercises_error(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Without even its folder (the configuration loads: a course copied without it), the missing binding is
    the exercise's error, said as missing, where it was looked for: never the student's code."""
    config = _scaffold(capsys, tmp_path)
    shutil.rmtree(tmp_path / "bindings")
    code, report = _check(capsys, config, tmp_path / "reference" / "ctr.c", "--no-sandbox")
    exercise = report["exercises"][0]
    assert code == EXIT_GRADER_ERROR, exercise
    assert {check["verdict"] for check in exercise["checks"]} == {"grader_error"}, exercise
    message = exercise["checks"][0]["message"]
    assert "the c binding bindings/ctr.py that config.yaml names is missing from the course folder" in message
    assert "must name one" not in message
