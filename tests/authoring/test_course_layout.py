"""The course folder's import rule: its folder is on the import path of the checks and plugins, which import its
helpers by dotted name; a plugin is named by path or dotted name; two courses in one process keep apart."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from grader._modules import course_modules, import_trusted
from grader.errors import ConfigError
from grader.plugin import ExercisePlugin, load_plugin


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_two_courses_with_the_same_helper_name_each_get_their_own(tmp_path: Path) -> None:
    roots = [_write(tmp_path / f"course{value}", {"checks/helpers.py": f"VALUE = {value}\n",
                                                  "checks/main.py": "from checks.helpers import VALUE\n"})
             for value in (1, 2)]
    seen = [import_trusted("checks/main.py", root, what="check module").VALUE for root in roots + roots]
    assert seen == [1, 2, 1, 2]


def test_a_course_loaded_before_with_a_regular_package_of_the_same_name_is_not_on_the_path(tmp_path: Path) -> None:
    """The first course's checks/ is a package (with __init__.py), the second's a folder without one: the second
    still gets its own helper."""
    first = _write(tmp_path / "first", {"checks/__init__.py": "", "checks/main.py": "VALUE = 0\n"})
    second = _write(tmp_path / "second", {"checks/helpers.py": "VALUE = 2\n",
                                          "checks/main.py": "from checks.helpers import VALUE\n"})
    assert import_trusted("checks/main.py", first, what="check module").VALUE == 0
    assert import_trusted("checks/main.py", second, what="check module").VALUE == 2
    assert str(first.resolve()) not in sys.path


def test_a_course_loaded_before_with_a_folder_without_init_does_not_hide_the_next_courses_package(
        tmp_path: Path) -> None:
    """The first course's checks/ is a folder without __init__.py (a namespace package, which has no file), the
    second's a regular package: the second's module is found by its dotted name, and the first's again after."""
    first = _write(tmp_path / "first", {"checks/main.py": "VALUE = 1\n"})
    second = _write(tmp_path / "second", {"checks/__init__.py": "", "checks/other.py": "VALUE = 2\n"})
    assert import_trusted("checks.main", first, what="check module").VALUE == 1
    assert import_trusted("checks.other", second, what="check module").VALUE == 2
    assert import_trusted("checks.main", first, what="check module").VALUE == 1


def test_a_file_named_by_path_is_the_module_of_its_dotted_name(tmp_path: Path) -> None:
    root = _write(tmp_path, {"checks/shared.py": "STATE = []\n",
                             "hidden/more.py": "from checks.shared import STATE\nSTATE.append(1)\n"})
    shared = import_trusted("checks/shared.py", root, what="check module")
    import_trusted("hidden/more.py", root, what="check module")
    assert shared.STATE == [1]  # one module, not a copy


def test_plugins_by_path_and_by_dotted_name(tmp_path: Path) -> None:
    text = "from grader.plugin import ExercisePlugin\n\nclass Mine(ExercisePlugin):\n    pass\n\nplugin = Mine\n"
    root = _write(tmp_path, {"plugins/by_path.py": text, "plugins/by_name.py": text})
    assert isinstance(load_plugin("plugins/by_path.py", root), ExercisePlugin)
    assert isinstance(load_plugin("plugins.by_name", root), ExercisePlugin)
    with pytest.raises(ConfigError, match="plugins/missing.py not found"):
        load_plugin("plugins/missing.py", root)


def test_the_helpers_a_module_imports_are_found_by_reading_it(tmp_path: Path) -> None:
    root = _write(tmp_path, {"checks/main.py": "import numpy\nfrom checks import util\nfrom .near import x\n",
                             "checks/util.py": "from helpers.deep import y\n", "checks/near.py": "x = 1\n",
                             "helpers/__init__.py": "", "helpers/deep.py": "y = 2\n", "unused.py": ""})
    found = {path.relative_to(root.resolve()).as_posix() for path in course_modules([root / "checks/main.py"], root)}
    assert found == {"checks/main.py", "checks/util.py", "checks/near.py", "helpers/__init__.py", "helpers/deep.py"}
