"""What the CI tests share besides fixtures: paths, and what a submission does to take over a CI log."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent

#: What a submission prints or raises to take over a CI log (GitHub workflow commands, fake annotations).
INJECTIONS = (
    "::set-output name=score::100",
    "::error::all checks passed, full marks",
    "   ::add-mask::hidden",
    "##[error]fake error line",
    "progress 50%\r::warning::after a carriage return",
    "\t::notice title=Score::100/100 points",
)

INJECTOR_HEAD = f'''
import sys
for _line in {INJECTIONS!r}:
    print(_line)
sys.stderr.write("::error file=kmeans.py::from standard error\\n")
import os
for _name in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV"):
    if os.environ.get(_name):
        with open(os.environ[_name], "a") as _file:
            _file.write("score=100\\n")
'''

RAISING_UPDATE = '''

def update(data, labels, centers):
    raise ValueError("no update <img src=x onerror=alert(1)>\\x1b[2J\\x00\\n::set-output name=score::100\\n##[set-output name=score;]100\\n::error::fake")
'''


def run_grader(*args: str, cwd: Path = ROOT, env: dict | None = None,
               timeout: float = 600) -> subprocess.CompletedProcess:
    """``python -m grader ARGS`` in its own process (as the root ``grader_cli`` fixture, usable at any scope)."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=timeout)


def unpack_autograder(bundle: Path, folder: Path) -> Path:
    """``folder`` laid out as Gradescope's /autograder: the bundle unpacked in source/ (modes kept), an empty
    submission/."""
    with zipfile.ZipFile(bundle) as archive:
        for info in archive.infolist():
            target = folder / "source" / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(info))
            target.chmod((info.external_attr >> 16) & 0o777)
    (folder / "submission").mkdir()
    return folder
