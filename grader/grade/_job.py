"""Starting and watching the process that grades one student (see :mod:`grader.grade._child`)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

__all__ = ["JobOutcome", "Jobs", "run_job"]

# Numeric libraries run single-threaded: N jobs use N cores, and every student gets the same resources.
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
                     "NUMEXPR_NUM_THREADS")
_LOG_TAIL = 2_000


@dataclass(frozen=True)
class JobOutcome:
    returncode: Optional[int]  # None: stopped after its time ran out
    log: str  # the tail of what the process wrote


class Jobs:
    """The running job processes, so that an interrupted run can stop them all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._processes: set[subprocess.Popen] = set()
        self.stopping = False

    def add(self, process: subprocess.Popen) -> None:
        with self._lock:
            self._processes.add(process)
        if self.stopping:
            _kill(process)

    def remove(self, process: subprocess.Popen) -> None:
        with self._lock:
            self._processes.discard(process)

    def stop_all(self) -> None:
        self.stopping = True
        with self._lock:
            processes = list(self._processes)
        for process in processes:
            _kill(process)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass


def _kill(process: subprocess.Popen) -> None:
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)  # the job and whatever it started
        else:
            process.kill()
    except OSError:
        pass


def _tail(path: Path) -> str:
    try:
        with open(path, "rb") as stream:
            stream.seek(0, os.SEEK_END)
            stream.seek(max(0, stream.tell() - _LOG_TAIL))
            return stream.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


#: The folder holding the ``grader`` package.
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent.parent)


def job_environment(temporary: Path) -> dict[str, str]:
    """The environment of a job: this one, single-threaded numeric libraries, its own temporary folder, and the
    grader this process runs importable (installed or not: ``python -m grader`` in a source folder)."""
    return {**os.environ, **{name: "1" for name in _THREAD_VARIABLES},
            "TMPDIR": str(temporary), "TEMP": str(temporary), "TMP": str(temporary),
            "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg",
            "PYTHONPATH": os.pathsep.join(filter(None, (_PACKAGE_ROOT, os.environ.get("PYTHONPATH"))))}


def run_job(request: Mapping[str, Any], folder: Path, *, timeout: float, jobs: Jobs) -> JobOutcome:
    """Run the job described by ``request`` in ``folder`` and wait for it (at most ``timeout`` seconds)."""
    request_path = folder / "request.json"
    # ASCII, escapes and all: a path of bytes that are not UTF-8 (kept by Python as lone surrogates) goes through.
    request_path.write_text(json.dumps(dict(request)), encoding="ascii")
    temporary = folder / "tmp"
    temporary.mkdir(exist_ok=True)
    environment = job_environment(temporary)
    log = folder / "job.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "grader.grade._child", str(request_path)],
            cwd=folder, env=environment, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=os.name == "posix",
        )
        jobs.add(process)
        try:
            returncode: Optional[int] = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            process.wait()
            returncode = None
        finally:
            jobs.remove(process)
    return JobOutcome(returncode=returncode, log=_tail(log))
