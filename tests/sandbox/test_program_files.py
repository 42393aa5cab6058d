"""A whole program's output file over 1 MB gets its own verdict, and a program cannot take the runner's folders.

The runner reads at most 1 MB of a file (its text crosses to the grader as one string): a larger
output file used to break the reply and read as "crashed ... printed nothing".  Each run's folder
is made by the runner under a name nobody can guess, so a program that makes the next folders in
advance changes nothing and sees nothing of the grader.
"""

from __future__ import annotations

import numpy as np
import pytest

from grader.authoring import CheckFailed
from grader.exercises.kmeans_program.running import observe
from grader.student._program import FILE_LIMIT, open_program
from tests.sandbox.helpers import ROOT

from grader import load_config

DATA = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [5.0, 5.0]])

# Prints its steps like the course's program, then writes an output file of 1.6 MB (8 bytes when it finds a file
# "small"), and, for the next runs,
# makes folders where a runner counting its runs would put them, and a file and a link among them.
PROGRAM = '''
import os
print("Step : 1, error : 1.0, cent. move : 0.0")
with open("kmeans_output_2d.dat", "w") as out:
    out.write("0.0 0.0\\n" * (1 if os.path.exists("small") else 200_000))
parent = os.path.dirname(os.getcwd())
for name in [str(i) for i in range(1, 40)] + ["runs", "run-1", "run-00000000"]:
    try:
        os.makedirs(os.path.join(parent, name, "runs", "2"), exist_ok=True)
        os.makedirs(os.path.join(parent, "runs", name), exist_ok=True)
    except OSError as error:
        print("could not make", name, type(error).__name__)
'''


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    folder = tmp_path_factory.mktemp("program")
    path = folder / "kmeans_program.py"
    path.write_text(PROGRAM, encoding="utf-8")
    config = load_config(ROOT / "config.yaml")
    opened = open_program(path, config.exercise("kmeans_program"), config.limits, run_timeout=2.0)
    yield opened
    opened.close()


def test_an_output_file_over_1_mb_is_said_so(student):
    with pytest.raises(CheckFailed) as failed:
        observe(student, DATA)
    message = failed.value.message
    assert message.startswith("your output file is larger than 1 MB: kmeans_output_2d.dat holds 1600000 bytes")
    assert "crashed" not in message and "printed nothing" not in message
    assert FILE_LIMIT == 1_000_000


def test_the_runner_owns_its_run_folders(student):
    first = student.run({"kmeans_input_file_2d.dat": b"2 1\n0.0\n1.0\n", "small": b""})
    # Every later run still gets a fresh folder of its own, whatever the earlier ones made.
    for index in range(3):
        later = student.run({"kmeans_input_file_2d.dat": f"2 1\n{index}.0\n1.0\n".encode(), "small": b""})
        assert later.ended == "exited" and later.exit_code == 0, later
        assert later.files["kmeans_output_2d.dat"] == b"0.0 0.0\n" and later.large == {}
        assert "FileExistsError" not in later.printed + later.how and "_program_runner" not in later.how
    assert first.ended == "exited"
