"""Fixtures of the batch tests: a fast course configuration and a class folder holding every shape."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

from .helpers import fast_config, make_zip, score_of, solution, write


@pytest.fixture(scope="session")
def course(tmp_path_factory) -> Path:
    """A config.yaml with 3 examples per check: the same checks as the course's, graded fast."""
    return fast_config(tmp_path_factory.mktemp("course"))


@dataclass(frozen=True)
class Expected:
    status: str  # in the gradebook
    score: Optional[float] = None
    name: Optional[str] = None
    message: str = ""  # part of the exercise's error in report.json


@pytest.fixture(scope="session")
def buggy_score(course, tmp_path_factory) -> float:
    """The score of the buggy solution of the class folder, graded on its own."""
    score = score_of("with_replacement", course, tmp_path_factory.mktemp("alone"))
    assert score < 100
    return score


def build_class(root: Path, outside: Path, buggy_score: float) -> dict[str, Expected]:
    """A class folder mixing every shape of submission, with what grading each one should give."""
    correct, buggy = solution("correct"), solution("with_replacement")
    expected: dict[str, Expected] = {}

    write(root / "Anna Martin" / "kmeans.py", correct)  # module at the root of a folder
    expected["Anna Martin"] = Expected("graded", 100)

    write(root / "bruno" / "exercises" / "kmeans" / "kmeans.py", buggy)  # a clone of the student repository
    write(root / "bruno" / "README.md", "# my k-means\n")
    write(root / "bruno" / ".git" / "config", "[core]\n")
    expected["bruno"] = Expected("graded", buggy_score)

    write(root / "chloé" / "repo-main" / "exercises" / "kmeans" / "kmeans.py", correct)  # GitHub's zip folder
    write(root / "chloé" / "repo-main" / "data" / "points.dat", "2 1\n0.0\n1.0\n")
    expected["chloé"] = Expected("graded", 100)

    write(root / "david.py", solution("strict_stop"))  # a single file
    expected["david"] = Expected("graded")

    make_zip(root / "emma.zip", {  # a zip with a wrapping folder and macOS junk
        "emma-kmeans/kmeans.py": buggy,
        "emma-kmeans/.DS_Store": b"\0\0\0\1Bud1",
        "__MACOSX/emma-kmeans/._kmeans.py": b"\0\5\26\7\0\2\0\0Mac OS X",
    })
    expected["emma"] = Expected("graded", buggy_score)

    write(root / "Full Name_12345_assignsubmission_file_" / "kmeans.py", correct)  # Moodle, unpacked
    expected["12345"] = Expected("graded", 100, name="Full Name")

    inner = make_zip(outside.parent / "staging" / "rendu.zip", {"rendu/kmeans.py": correct})
    write(root / "José Álvarez_12346_assignsubmission_file_" / "rendu.zip", inner.read_bytes())  # zip in Moodle
    expected["12346"] = Expected("graded", 100, name="José Álvarez")

    make_zip(root / "moodle-export.zip", {  # Moodle's "download all submissions" archive
        "Zoé Lefèvre_20001_assignsubmission_file_/kmeans.py": correct,
        "Yann Le Goff_20002_assignsubmission_file_/kmeans.py": solution("counts_twice"),
        "__MACOSX/Zoé Lefèvre_20001_assignsubmission_file_/._kmeans.py": b"\0\5\26\7",
    }, folders=("Xavier Roux_20003_assignsubmission_file_",))
    expected["20001"] = Expected("graded", 100, name="Zoé Lefèvre")
    expected["20002"] = Expected("graded", name="Yann Le Goff")
    expected["20003"] = Expected("missing", 0, name="Xavier Roux", message="empty")

    write(root / "corrupt.zip", b"PK\x03\x04" + os.urandom(64) + b"not really a zip")
    expected["corrupt"] = Expected("error", 0, message="damaged")

    (root / "empty").mkdir()
    expected["empty"] = Expected("missing", 0, message="empty")

    make_zip(root / "slip.zip", {  # zip-slip: members that try to land outside the scratch folder
        "kmeans.py": correct,
        "../evil.py": "print('escaped')\n",
        "../../../evil.py": "print('escaped')\n",
        str(outside / "absolute_evil.py"): "print('escaped')\n",
    }, links={"passwd.py": "/etc/passwd", "up.py": "../../secret.py"})
    expected["slip"] = Expected("graded", 100)

    secret = write(outside / "secret_kmeans.py", correct)
    (root / "linky").mkdir()
    (root / "linky" / "kmeans.py").symlink_to(secret)  # the module is a link to a file outside
    expected["linky"] = Expected("missing", 0, message="symbolic link")

    write(root / "binary.py", bytes(range(256)) * 8)
    expected["binary"] = Expected("error", 0, message="not a text file")

    latin = "# -*- résumé : écrit à la main, déjà testé -*-\n" + correct.replace("Squared", "Carré: squared")
    write(root / "Gaëlle Lévêque.py", latin.encode("latin-1"))  # Latin-1, no declaration
    expected["Gaëlle Lévêque"] = Expected("graded", 100)

    # A folder named in Latin-1 bytes (unpacked from a Windows archive): named as Windows reads it, never an error.
    write(root / os.fsdecode(b"H\xe9l\xe8ne Faure") / "kmeans.py", correct)
    expected["Hélène Faure"] = Expected("graded", 100)

    write(root / "bom crlf.py", b"\xef\xbb\xbf" + correct.replace("\n", "\r\n").encode("utf-8"))
    expected["bom crlf"] = Expected("graded", 100)

    write(root / "tabs.py", "def distance(a, b):\n\tif a:\n\t    x = 1\n        return 0\n")
    expected["tabs"] = Expected("error", 0, message="tabs")

    write(root / "crasher.py", "import os\nos._exit(7)\n")  # ends the grading process itself (no sandbox)
    expected["crasher"] = Expected("error", 0, message="ended unexpectedly")

    write(root / "hank" / "my_kmeans.py", correct)  # another name: graded, with a note saying so
    expected["hank"] = Expected("graded", 100)

    for stray in ("roster.csv", "README.md"):  # the instructor's files: no students, ignored
        write(root / stray, "id,name\n")
    return expected


@pytest.fixture
def class_folder(tmp_path, buggy_score) -> tuple[Path, dict[str, Expected]]:
    root = tmp_path / "class"
    root.mkdir()
    return root, build_class(root, tmp_path / "outside", buggy_score)
