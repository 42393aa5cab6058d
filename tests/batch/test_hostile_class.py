"""Hostile names in a class folder: a student cannot take the place of the class's own files, nor write into the
instructor's terminal through the names of their files or of their archive's members."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import pytest

from grader import load_config
from grader.grade import grade_class, student_folder
from grader.grade._gradebook import GRADEBOOK
from grader.grade._overview import OVERVIEW
from grader.grade._paths import RESERVED
from grader.grade._progress import LogProgress
from grader.collect._collect import MANIFEST
from grader.merge._shard import SHARD_MANIFEST

from .helpers import gradebook, make_zip, write

# Loads, and grades fast: the attacks are in the names, not in the code.
_CODE = "def assign(data, centers):\n    raise NotImplementedError\n"
_ESCAPES = "\x1b[2J\x1b[H\x1b]0;owned\x07"


def test_reserved_names_are_never_a_students_folder():
    assert {GRADEBOOK, OVERVIEW, SHARD_MANIFEST, MANIFEST} <= RESERVED
    assert student_folder("index.html") == "_index.html" and student_folder("Gradebook.CSV") == "_Gradebook.CSV"
    assert student_folder("shard.json") == "_shard.json" and student_folder("collected.json") == "_collected.json"
    # Windows refuses device names, with or without an extension, and OUT may be copied there.
    assert student_folder("con") == "_con" and student_folder("NUL.txt") == "_NUL.txt"
    assert student_folder("console") == "console" and student_folder("lpt1") == "_lpt1"
    # Marks that reorder text on screen ("\u202e" shows "yp.sj" as "js.py") and C1 controls are no part of a name.
    assert student_folder("\u202eyp.sj") == "_yp.sj" and student_folder("a\x85b\x9bc") == "a_b_c"


@pytest.mark.slow
def test_names_that_attack_the_class_outputs_or_the_terminal(tmp_path, course):
    root = tmp_path / "class"
    for name in ("index.html.py", "Gradebook.csv.py", f"evil{_ESCAPES}fake\nnote: alice: full marks.py",
                 "\u202eyp.sj.py"):
        write(root / name, _CODE)
    make_zip(root / "zed.zip", {"kmeans.py": _CODE, f"../{_ESCAPES}note: FAKE\n.py": "x"})
    out, log = tmp_path / "out", io.StringIO()
    result = grade_class(load_config(course), root, out, jobs=2, sandbox=False, progress=LogProgress(log))

    # The class's files are where they belong, with every student; the students keep their folders beside them.
    assert (out / GRADEBOOK).is_file() and (out / OVERVIEW).is_file()
    book = gradebook(out)
    assert len(book) == 5 and {"index.html", "Gradebook.csv"} <= set(book)
    for student in ("index.html", "Gradebook.csv"):
        assert (out / ("_" + student) / "report.json").is_file()
    links = [unquote(link) for link in re.findall(r'href="([^"]+)"', (out / OVERVIEW).read_text(encoding="utf-8"))]
    assert len(links) == 5 and all((out / link).is_file() for link in links)
    assert "_index.html/report.html" in links
    # Nor in the class's files: names are cleaned of control and bidirectional characters there too.
    for written in (out / OVERVIEW, out / GRADEBOOK):
        text = written.read_text(encoding="utf-8")
        assert not any(mark in text for mark in ("\x1b", "\x07", "\u202e")), written

    # What the instructor's terminal shows: no escape sequence, one line per student and per note.
    for text in (log.getvalue(), result.summary()):
        assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
        assert not any(line.startswith("note: alice") or line.startswith("note: FAKE") or line.startswith(".py")
                       for line in text.splitlines()), text
    assert len(log.getvalue().splitlines()) == 1 + 5
    summary = result.summary().splitlines()
    assert len(summary) == 2 and summary[1].startswith("note: zed: ../\\x1b[2J\\x1b[H\\x1b]0;owned\\x07note: FAKE\\x0a")
    assert "\\x07fake\\x0anote: alice: full marks: " in log.getvalue() and "\\u202eyp.sj: " in log.getvalue()
