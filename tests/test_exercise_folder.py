"""The k-means exercise folder as students receive it: instructions that agree with the skeleton, and a
course script that shows its result even where no window can open."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SKELETON
from tests.kmeans.test_skeleton import completed_skeleton

README = SKELETON.parent / "README.md"
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


@pytest.mark.quick
def test_skeleton_and_readme_agree_on_the_functions_to_write():
    skeleton = SKELETON.read_text(encoding="utf-8")
    todo = skeleton.count("# TODO")
    said = re.search(r"complete the (\w+) functions marked TODO", skeleton)
    assert said and _NUMBERS[said.group(1)] == todo
    readme = README.read_text(encoding="utf-8")
    written = re.search(r"Write the (\w+) other functions", readme)
    assert written and _NUMBERS[written.group(1)] == todo
    assert len(re.findall(r"^\| `(\w+)\(", readme, flags=re.M)) == todo


def test_readme_and_skeleton_say_which_libraries_may_be_imported():
    for text in (README.read_text(encoding="utf-8"), SKELETON.read_text(encoding="utf-8")):
        assert all(name in text for name in ("numpy", "scipy", "matplotlib", "standard library"))


def test_without_a_display_the_figure_is_saved_and_its_place_printed(tmp_path):
    script = tmp_path / "kmeans.py"
    script.write_text(completed_skeleton(), encoding="utf-8")
    shutil.copy(ROOT / "data" / "kmeans_input_file_2d.dat", tmp_path)
    env = {name: value for name, value in os.environ.items()
           if name not in ("DISPLAY", "WAYLAND_DISPLAY", "MPLBACKEND")}
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    picture = tmp_path / "kmeans_2d.png"
    assert picture.read_bytes().startswith(b"\x89PNG")
    assert f"figure saved to {picture.resolve()}" in result.stdout
    assert "no display" in result.stdout
