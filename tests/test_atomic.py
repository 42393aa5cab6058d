"""One helper writes every file meant for a user, atomically and with ordinary permissions."""

from __future__ import annotations

import ast
import stat
from pathlib import Path

import pytest

from grader import _atomic

ROOT = Path(__file__).resolve().parents[1]

#: Modules that write files nobody reads as output: the scratch area, the class run's private job files, and
#: everything that runs student code (grader/student/, grader/sandbox/: private folders, kernel files).
#: Everything else writes through grader._atomic.
PRIVATE_WRITERS = {
    "grader/_atomic.py", "grader/grade/_scratch.py", "grader/grade/_job.py", "grader/grade/_prepare.py",
    "grader/grade/_outputs.py", "grader/grade/_archive.py",
}
PRIVATE_FOLDERS = ("grader/student/", "grader/sandbox/")
_WRITES = {"write_text", "write_bytes", "savefig"}
_SHUTIL_WRITES = {"copyfile", "copy", "copy2", "copytree"}


def _writes_by_hand(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        owner = node.func.value if isinstance(node.func, ast.Attribute) else None
        owner_name = owner.id if isinstance(owner, ast.Name) else ""
        if (name in _WRITES and owner_name != "_atomic") or (name in _SHUTIL_WRITES and owner_name == "shutil"):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
        if name == "open" and len(node.args) > 1 and isinstance(node.args[1], ast.Constant) \
                and any(c in str(node.args[1].value) for c in "wax"):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} open")
    return found


@pytest.mark.quick
def test_files_for_users_are_written_through_the_helper():
    found = [hit for path in sorted((ROOT / "grader").rglob("*.py"))
             if path.relative_to(ROOT).as_posix() not in PRIVATE_WRITERS
             and not path.relative_to(ROOT).as_posix().startswith(PRIVATE_FOLDERS) for hit in _writes_by_hand(path)]
    # A figure saved into a buffer (io.BytesIO) is not a file.
    found = [hit for hit in found if not hit.startswith("grader/render/figures.py")]
    assert found == [], "write these files with grader._atomic: " + ", ".join(found)


@pytest.mark.quick
def test_write_replaces_whole_with_ordinary_permissions(tmp_path):
    target = tmp_path / "deep" / "report.json"
    _atomic.write_text(target, "old")
    _atomic.write_text(target, "néw")
    assert target.read_text(encoding="utf-8") == "néw"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    script = _atomic.write_bytes(tmp_path / "run", b"#!/bin/sh\n", executable=True)
    assert stat.S_IMODE(script.stat().st_mode) == 0o755
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing(tmp_path):
    target = tmp_path / "gradebook.csv"
    _atomic.write_text(target, "old")

    class Boom(Exception):
        pass

    def fill(stream):
        stream.write(b"half")
        raise Boom

    with pytest.raises(Boom):
        _atomic._replace_with(target, fill)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["gradebook.csv"]


def test_copy_and_sweep(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("content")
    copied = _atomic.copy_file(source, tmp_path / "out" / "a.txt")
    assert copied.read_text() == "content"
    (tmp_path / "out" / ".a.txt.123.partial").write_text("left by a killed run")
    _atomic.sweep_temporaries(tmp_path / "out")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["a.txt"]


def test_save_figure_in_the_format_of_its_extension(tmp_path):
    from matplotlib.figure import Figure

    figure = Figure()
    figure.add_subplot().plot([0, 1], [1, 0])
    png = _atomic.save_figure(tmp_path / "plot.png", figure)
    assert png.read_bytes().startswith(b"\x89PNG")
    assert _atomic.save_figure(tmp_path / "plot.svg", figure).read_text().lstrip().startswith("<?xml")
    with pytest.raises(ValueError):
        _atomic.save_figure(tmp_path / "plot.nope", figure)
    assert not (tmp_path / "plot.nope").exists()


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="named pipes are POSIX")
def test_a_device_or_pipe_given_as_the_output_is_written_to_not_replaced(tmp_path):
    """``--output /dev/null`` or a named pipe: renaming a file over it would put a file in the place of the device
    (``/dev/null`` itself, for everyone, when the grader runs as root)."""
    import os
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    _atomic.write_text(pipe, "report\n")
    reader.join(timeout=10)
    assert received == [b"report\n"]
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
