"""As root, the worker becomes the unprivileged user nobody when nobody can read Python, else it keeps user id 0
without any capability; each case says so.  Run in a child process: the switch cannot be undone."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0,
                                reason="changing user needs root on Linux")

PROBE = """
import json, os, sys
from grader.sandbox import _confine, _linux

folder, readable, foreign = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
open(os.path.join(folder, "kmeans.py"), "w").close()
status = _confine._user(folder, readable, True, 0)
try:
    open(foreign).close()
    foreign = "readable"
except OSError as error:
    foreign = type(error).__name__
print(json.dumps({"status": status, "uid": os.getuid(), "euid": os.geteuid(), "foreign": foreign,
                  "owner": os.stat(os.path.join(folder, "kmeans.py")).st_uid,
                  "admin": _linux.has_capability(_linux.CAP_SYS_ADMIN)}))
"""


def _run(readable):
    """``_user`` on a worker folder made like the real ones, in /tmp; also tries to read another user's file."""
    folder = tempfile.mkdtemp(prefix="grader-test-worker-")
    foreign = os.path.join(tempfile.mkdtemp(prefix="grader-test-foreign-"), "secret")
    with open(foreign, "w") as handle:
        handle.write("someone else's")
    os.chmod(foreign, 0o600)
    os.chown(foreign, 1, 1)  # neither root nor nobody: only a capability could read it
    try:
        completed = subprocess.run([sys.executable, "-c", PROBE, folder, json.dumps(readable), foreign],
                                   capture_output=True, text=True, timeout=60)
    finally:
        shutil.rmtree(folder)
        shutil.rmtree(os.path.dirname(foreign))
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_drops_to_nobody_when_nobody_can_read_python():
    result = _run(["/usr/lib", "/etc"])  # stand-ins for a Python installed where everyone can read it
    assert result["status"] == "active: runs as the unprivileged user nobody (uid 65534)"
    assert result["uid"] == result["euid"] == 65534 and result["owner"] == 65534
    assert result["foreign"] == "PermissionError" and not result["admin"]


def test_keeps_uid_0_without_capabilities_otherwise(tmp_path):
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    result = _run([str(private)])
    assert result["status"] == ("partial: runs as root with every capability dropped, because the user nobody "
                                f"cannot read Python's folder {private}")
    assert result["uid"] == 0 and not result["admin"]
    assert result["foreign"] == "PermissionError"  # user id 0, but no capability to override permissions
