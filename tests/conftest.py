"""Fixtures shared by every test folder: the repository, its configuration, and ways to run the grader."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader import load_config

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "reference" / "kmeans.py"
SKELETON = ROOT / "exercises" / "kmeans" / "kmeans.py"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def config():
    return load_config(ROOT / "config.yaml")


def run_grader(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``python -m grader ARGS`` as a user would, in a separate process; returns the completed process."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture
def grader_cli():
    return run_grader
