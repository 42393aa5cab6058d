"""``grader check`` end to end, as a student runs it: exit codes, scores and messages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_grader


def test_reference_gets_full_marks_and_exit_0():
    result = run_grader("check", "kmeans", "--path", "reference/kmeans.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "total: 90/90" in result.stdout
    assert "FAIL" not in result.stdout


def test_reference_with_hidden_checks_gets_100():
    result = run_grader("check", "kmeans", "--path", "reference/kmeans.py", "--all")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "total: 100/100" in result.stdout


@pytest.mark.quick
def test_untouched_skeleton_scores_0_and_exit_1():
    result = run_grader("check", "kmeans")  # default path: the exercise's skeleton
    assert result.returncode == 1, result.stdout + result.stderr
    assert "total: 0/90" in result.stdout
    assert "not implemented yet" in result.stdout
    assert "PASS" not in result.stdout


def test_exercise_is_optional_when_the_course_has_one():
    result = run_grader("check", "--path", "reference/kmeans.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_an_exercise_a_renamed_file_is_checked_as_the_exercise_whose_functions_it_defines(tmp_path):
    renamed = tmp_path / "mon_perceptron.py"
    shutil.copy(ROOT / "reference" / "perceptron.py", renamed)
    result = run_grader("check", "--path", str(renamed))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("perceptron") or "(perceptron)" in result.stdout.splitlines()[0], result.stdout


@pytest.mark.quick
def test_unknown_exercise_is_a_usage_error():
    result = run_grader("check", "svm", "--path", "reference/kmeans.py")
    assert result.returncode == 2
    assert "no exercise named 'svm'" in result.stderr
    assert "kmeans" in result.stderr


def test_missing_file_is_a_usage_error(tmp_path):
    result = run_grader("check", "kmeans", "--path", str(tmp_path / "nowhere.py"))
    assert result.returncode == 2
    assert "not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_output_path_that_cannot_be_written_is_a_usage_error(tmp_path):
    # A file where a folder is needed, for every option that writes: exit 2 and what to do, never a traceback
    # (exit 1 would read as a failed check in CI).
    blocker = tmp_path / "taken"
    blocker.write_text("", encoding="utf-8")
    for option in (("-o", str(blocker / "report.json"), "--format", "json"), ("--report-dir", str(blocker / "r"))):
        result = run_grader("check", "kmeans", "--path", "reference/kmeans.py", *option)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert "error: cannot use" in result.stderr and "choose another path" in result.stderr


def test_a_dumb_terminal_gets_no_escape_sequence():
    import os

    from grader.cli import _check_progress, _use_colour

    class Terminal:
        def isatty(self):
            return True

    os.environ["TERM"], before = "dumb", os.environ.get("TERM")
    try:
        assert _check_progress("text", Terminal()) is None and not _use_colour(Terminal())
    finally:
        if before is None:
            del os.environ["TERM"]
        else:
            os.environ["TERM"] = before


def test_no_config_found_says_what_to_do(tmp_path):
    shutil.copy(ROOT / "reference" / "kmeans.py", tmp_path / "kmeans.py")
    result = run_grader("check", "kmeans", "--path", "kmeans.py", cwd=tmp_path)
    assert result.returncode == 2
    assert "no config.yaml found" in result.stderr
    assert "--config" in result.stderr


def test_config_is_found_from_a_subfolder():
    result = run_grader("check", "kmeans", "--path", "kmeans.py", "--no-sandbox", cwd=ROOT / "reference")
    assert result.returncode == 0, result.stdout + result.stderr


def test_broken_module_gets_a_report_not_a_traceback(tmp_path):
    broken = tmp_path / "kmeans.py"
    broken.write_text("def assign(data, centers)\n    return 0\n", encoding="utf-8")
    result = run_grader("check", "kmeans", "--path", str(broken))
    assert result.returncode == 1
    assert "not valid Python" in result.stdout
    assert "line 1" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_console_script_and_module_are_the_same_command():
    script = shutil.which("grader")
    assert script is not None, "the grader console script is not installed"
    via_script = subprocess.run([script, "--version"], capture_output=True, text=True)
    via_module = subprocess.run([sys.executable, "-m", "grader", "--version"], capture_output=True, text=True)
    assert via_script.returncode == via_module.returncode == 0
    assert via_script.stdout == via_module.stdout
    assert "grader" in via_module.stdout


def test_a_ctrl_c_while_the_command_still_imports_its_libraries_ends_it_quietly():
    """The interrupt arrives while click is being imported (a finder standing in for the user's Ctrl-C, which
    cannot be timed to land in those tenths of a second): "aborted" and 130, as during a grading, no traceback."""
    interrupt_at_click = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'click':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "sys.argv = ['grader', '--version']\n"
        "import runpy\n"
        "runpy.run_module('grader', run_name='__main__')\n")
    interrupted = subprocess.run([sys.executable, "-c", interrupt_at_click], capture_output=True, text=True,
                                 cwd=ROOT, timeout=60)
    assert (interrupted.returncode, interrupted.stderr, interrupted.stdout) == (130, "aborted\n", "")


def test_the_readme_lists_every_exit_code_the_commands_use():
    """0, 1, 2, and 130 for Ctrl-C (tests/batch/test_cli.py checks that an interrupted grading exits 130)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = readme[readme.index("Exit codes:"):].split("\n\n")[0]
    for code in ("`0`", "`1`", "`2`", "`130`"):
        assert code in paragraph, code


def test_a_source_that_is_not_utf8_is_noted_as_grader_grade_notes_it(tmp_path):
    skeleton = (ROOT / "exercises" / "kmeans" / "kmeans.py").read_text(encoding="utf-8")
    path = tmp_path / "kmeans.py"
    path.write_bytes(("# écrit sur un vieil éditeur\n" + skeleton).encode("latin-1"))
    result = run_grader("check", "kmeans", "--path", str(path), "--no-sandbox")
    assert result.returncode == 1, result.stderr
    assert "kmeans.py was not UTF-8: read as Windows-1252 and converted to UTF-8" in result.stdout


def test_a_folder_given_as_path_says_which_file_to_pass(tmp_path):
    (tmp_path / "kmeans.py").write_text("", encoding="utf-8")
    result = run_grader("check", "kmeans", "--path", str(tmp_path))
    assert result.returncode == 2
    assert f"{tmp_path} is a folder (it holds kmeans.py): --path takes the file to check" in result.stderr


@pytest.mark.quick
def test_an_archive_given_as_path_is_a_usage_error_before_any_grading(tmp_path):
    # Read as a source, an archive was graded as a module that does not parse: the wrong command, not a bug.
    import zipfile

    archive = tmp_path / "kmeans.zip"
    with zipfile.ZipFile(archive, "w") as opened:
        opened.writestr("kmeans.py", (ROOT / "reference" / "kmeans.py").read_text(encoding="utf-8"))
    result = run_grader("check", "kmeans", "--path", str(archive))
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr, result.stderr
    assert f"{archive} is an archive: --path takes the exercise's source file (.py, .c, .f90, .ipynb)" in result.stderr
    assert f"'grader grade {archive} --exercise kmeans --out FOLDER'" in result.stderr
    assert "not valid Python" not in result.stderr


@pytest.mark.parametrize("name, graded", [("Lab1.TAR.GZ", True), ("tp.tgz", True), ("kmeans.7z", False),
                                          ("kmeans.rar", False)])
def test_every_kind_of_archive_is_refused_by_check_and_show(tmp_path, name, graded):
    from grader.cli import _require_file
    from grader.errors import UsageError

    archive = tmp_path / name
    archive.write_bytes(b"PK\3\4")
    for verb in ("check", "run"):
        with pytest.raises(UsageError, match="is an archive: --path takes the exercise's source file") as refused:
            _require_file(archive, verb, "kmeans")
        assert ("grader grade" in str(refused.value)) == graded  # grader grade opens zip and tar archives only


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")
def test_a_c_file_with_an_upper_case_suffix_is_checked_as_c(tmp_path):
    # gcc alone would compile kmeans.C as C++ (malloc's void * then does not convert): grader grade grades it as
    # C, and so does grader check.
    path = tmp_path / "kmeans.C"
    shutil.copy(ROOT / "reference" / "kmeans.c", path)
    result = run_grader("check", "kmeans", "--path", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "total: 90/90" in result.stdout


def test_without_arguments_the_exercise_and_file_of_the_current_folder_are_checked(tmp_path):
    """Run from a folder of the course (``exercises/perceptron``, or a folder of the student's own holding their
    file): that folder's exercise and file, and the report says which file it graded."""
    from tests.conftest import course_copy

    config = course_copy(tmp_path / "course", exercises=None)
    course = config.parent
    shutil.copy(ROOT / "reference" / "perceptron.py", course / "exercises" / "perceptron" / "perceptron.py")
    result = run_grader("check", "--format", "json", cwd=course / "exercises" / "perceptron")
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"id": "perceptron"' in result.stdout and "graded perceptron.py: pass --path FILE" in result.stdout
    mine = course / "mywork"
    mine.mkdir()
    shutil.copy(ROOT / "reference" / "mlp.py", mine / "mlp.py")
    result = run_grader("check", "mlp", cwd=mine)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "graded mlp.py: pass --path FILE" in result.stdout and "total: 90/90" in result.stdout


@pytest.mark.skipif(shutil.which("gcc") is None, reason="no C compiler")
def test_among_files_still_marked_as_to_write_the_one_edited_last_is_checked(tmp_path):
    """A C file being written, its NOT_IMPLEMENTED statements left in, beside the Python skeleton with as many
    marks: the file the student edits is the one checked."""
    import os

    from tests.conftest import course_copy

    course = course_copy(tmp_path / "course").parent
    folder = course / "exercises" / "kmeans"
    for other in ("kmeans.py", "kmeans.f90"):
        os.utime(folder / other, (1_000_000_000, 1_000_000_000))
    result = run_grader("check", cwd=folder)
    assert "graded kmeans.c: pass --path FILE" in result.stdout, result.stdout + result.stderr
    assert "(kmeans, C)" in result.stdout


def _processes_inside(folder) -> list[str]:
    """The command lines of live processes whose working folder is in ``folder`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(Path(os.readlink(entry / "cwd"))).startswith(str(folder)):
                found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/cwd").exists(), reason="reads the processes' folders in /proc")
@pytest.mark.parametrize("reference", ["kmeans.py", "kmeans.c"])
def test_the_command_ends_with_its_whole_output_and_leaves_no_worker_or_folder_behind(tmp_path, reference):
    """The command skips the interpreter's tear-down (``grader.cli.run``): what it owes the user is done first."""
    if reference.endswith(".c") and shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    result = run_grader("check", "kmeans", "--path", f"reference/{reference}", "--format", "json", "--report-dir",
                        str(tmp_path / "report"), env={"TMPDIR": str(temporary)})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["score"] == 90  # the whole report, flushed
    assert json.loads((tmp_path / "report" / "report.json").read_text(encoding="utf-8"))["score"] == 90
    assert sorted(path.name for path in temporary.iterdir()) == []  # the worker's folder and the build's, removed
    assert _processes_inside(temporary) == []
