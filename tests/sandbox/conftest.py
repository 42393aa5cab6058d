"""Fixtures of the sandbox tests (helpers in :mod:`tests.sandbox.helpers`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sandbox.helpers import Course, make_course


@pytest.fixture
def course(tmp_path: Path) -> Course:
    """A private copy of the course with small limits and two other students' submissions."""
    return make_course(tmp_path / "course")
