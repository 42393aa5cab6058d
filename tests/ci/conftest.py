"""Fixtures of the CI tests: a quick copy of the course, submissions that misbehave, and reports of them."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from grader import load_config
from grader.grading import grade_submission

from tests.conftest import course_copy

from .support import INJECTOR_HEAD, RAISING_UPDATE, ROOT


@pytest.fixture(scope="session")
def fast_course(tmp_path_factory) -> Path:
    """``config.yaml`` of a copy of the course with few examples per check (same checks, same points)."""
    return course_copy(tmp_path_factory.mktemp("course"), max_examples=4)


@pytest.fixture(scope="session")
def fast_config(fast_course):
    return load_config(fast_course)


@pytest.fixture(scope="session")
def submissions(tmp_path_factory) -> dict[str, Path]:
    """Student modules by kind: ``good`` (the reference), ``skeleton``, ``injector`` (prints workflow commands,
    its update raises with them in the message), ``broken`` (raises at import)."""
    folder = tmp_path_factory.mktemp("submissions")
    reference = (ROOT / "reference" / "kmeans.py").read_text(encoding="utf-8")
    sources = {
        "good": reference,
        "skeleton": (ROOT / "exercises" / "kmeans" / "kmeans.py").read_text(encoding="utf-8"),
        "injector": INJECTOR_HEAD + reference + RAISING_UPDATE,
        "broken": textwrap.dedent('''
            raise RuntimeError("cannot start\\n::error::fake annotation\\n::set-output name=score::100")
        '''),
    }
    paths = {}
    for kind, source in sources.items():
        (folder / kind).mkdir()
        paths[kind] = folder / kind / "kmeans.py"
        paths[kind].write_text(source, encoding="utf-8")
    return paths


@pytest.fixture(scope="session")
def reports(fast_config, submissions):
    """Reports of every kind of submission (graded in process: the renderers only see the result)."""
    # In process, the injector's module could reach a CI runner's own files through these variables.
    saved = {name: os.environ.pop(name) for name in list(os.environ) if name.startswith("GITHUB_")}
    try:
        made = {kind: grade_submission(fast_config, {"kmeans": path}, student=kind, hidden=kind == "good",
                                       sandbox=False)
                for kind, path in submissions.items()}
    finally:
        os.environ.update(saved)
    made["missing"] = grade_submission(fast_config, {"kmeans": None}, student="missing", sandbox=False)
    return made
