"""``grader show``: the student's k-means on the course data, drawn like the course's visualisation script."""

from __future__ import annotations

import subprocess

import pytest
from matplotlib import image

from tests.reports import submissions
from tests.reports.conftest import ROOT, grader_command, grader_env


def show(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(grader_command("show", *args), cwd=cwd, env=grader_env(MPLBACKEND="Agg"),
                          capture_output=True, text=True, timeout=300)


def test_the_reference_on_both_course_files(tmp_path):
    output = tmp_path / "figures" / "kmeans.png"
    result = show("kmeans", "--path", str(submissions.REFERENCE), "--no-sandbox", "--output", str(output))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("kmeans_input_file_2d.dat: 200 points in 2-D, k = 4: stopped after ")
    assert lines[1].startswith("kmeans_input_file_3d.dat: 250 points in 3-D, k = 4: stopped after ")
    assert lines[2] == f"figure saved to {output}"
    height, width, _ = image.imread(output).shape
    assert width > 1.5 * height  # the 2-D and the 3-D panels side by side


def test_one_file_as_svg(tmp_path):
    output = tmp_path / "only3d.svg"
    result = show("--path", str(submissions.REFERENCE), "--no-sandbox", "--data", "3d", "-o", str(output))
    assert result.returncode == 0, result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()[:-1]] == ["kmeans_input_file_3d.dat"]
    assert output.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_the_skeleton_says_what_to_write_and_fails(tmp_path):
    output = tmp_path / "none.png"
    result = show("kmeans", "--no-sandbox", "-o", str(output))
    assert result.returncode == 1
    assert "kmeans is not implemented yet" in result.stdout and "init_centers is not implemented yet" in result.stdout
    assert not output.exists()


def test_code_that_crashes_at_import(tmp_path):
    path = submissions.write("crash_at_import", tmp_path)
    result = show("--path", str(path), "--no-sandbox", "-o", str(tmp_path / "x.png"))
    assert result.returncode == 1
    assert result.stdout.startswith("your code could not be loaded: importing kmeans.py failed with RuntimeError")


@pytest.mark.parametrize("args, message", [
    (["--data", "4d", "-o", "x.png"], "no data file of this exercise matches 4d (its files: kmeans_input_file_2d.dat, "
                       "kmeans_input_file_3d.dat)"),
    (["-o", "figure.unknown"], "use .png, .svg or .pdf"),
], ids=["unknown-data", "unknown-extension"])
def test_usage_errors_say_what_to_do(tmp_path, args, message):
    result = show("--config", str(ROOT / "config.yaml"), "--path", str(submissions.REFERENCE), "--no-sandbox", *args,
                  cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert message in result.stderr


def test_without_a_display_the_figure_is_saved_as_the_course_script_does(tmp_path):
    result = show("--config", str(ROOT / "config.yaml"), "--path", str(submissions.REFERENCE), "--no-sandbox",
                  cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no display here" in result.stdout
    assert f"figure saved to {(tmp_path / 'kmeans.png').resolve()}" in result.stdout
    assert (tmp_path / "kmeans.png").read_bytes().startswith(b"\x89PNG")


def test_a_folder_given_as_path_is_told_to_name_the_file(tmp_path):
    (tmp_path / "kmeans.py").write_text("", encoding="utf-8")
    result = show("--config", str(ROOT / "config.yaml"), "--path", str(tmp_path), "--no-sandbox", cwd=tmp_path)
    assert result.returncode == 2
    assert f"{tmp_path} is a folder (it holds kmeans.py): --path takes the file to run, e.g. --path " \
           f"{tmp_path / 'kmeans.py'}" in result.stderr
