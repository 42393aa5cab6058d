"""The environment a grading job starts with: the same grader, found even when it is not installed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grader
from grader.grade._job import job_environment


def test_a_job_imports_the_grader_that_started_it_installed_or_not(tmp_path: Path) -> None:
    # 'python -S' skips site-packages (where an installed grader, editable or not, is found): the job must still
    # find the package of the grader that runs, as when 'python -m grader grade' is run from a source folder.
    probe = "import importlib.util; spec = importlib.util.find_spec('grader'); print(spec.origin if spec else '')"
    found = subprocess.run([sys.executable, "-S", "-c", probe], cwd=tmp_path, env=job_environment(tmp_path),
                           capture_output=True, text=True, check=True).stdout.strip()
    assert found and Path(found).resolve() == Path(grader.__file__).resolve()


def test_a_job_runs_numeric_libraries_single_threaded_in_its_own_temporary_folder(tmp_path: Path) -> None:
    environment = job_environment(tmp_path)
    assert environment["OMP_NUM_THREADS"] == environment["OPENBLAS_NUM_THREADS"] == "1"
    assert environment["TMPDIR"] == str(tmp_path)
