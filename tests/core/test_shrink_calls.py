"""``shrink_calls`` in ``config.yaml``: the calls spent shrinking a failure, never whether a check passes.

A tiny course graded twice, with the default budget and with ``shrink_calls: 0``:
the same checks fail with the same score; the default shows the smallest failing
example, 0 the first one found (larger), and the reports' configuration
fingerprints tell the two apart.  A check's own ``shrink_limit=0`` holds whatever
the course's budget.
"""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest

from grader import grade_submission, load_config
from grader.config import DEFAULT_SHRINK_CALLS
from grader.errors import ConfigError

CONFIG = """\
seed: 7
max_examples: 40
{extra}
exercises:
  square:
    title: square
    module: square.py
    skeleton: square/square.py
    reference: square/reference.py
    checks: [checks/square.py]
    points:
      square.value: 1
      square.unshrunk: 1
      square.type: 1
"""

CHECKS = '''\
from hypothesis import strategies as st

from grader.authoring import check, fail


def _expect_square(student, x):
    got = student.call("square", x)
    if got != x * x:
        fail(f"square({x}) returned {got}, expected {x * x}", x=x)


@check("square.value", "returns x * x", x=st.integers(0, 10**6))
def square_value(student, x):
    _expect_square(student, x)


@check("square.unshrunk", "returns x * x, its failures shown as found", shrink_limit=0, x=st.integers(0, 10**6))
def square_unshrunk(student, x):
    _expect_square(student, x)


@check("square.type", "returns an int", x=st.integers(0, 10**6))
def square_type(student, x):
    if not isinstance(student.call("square", x), int):
        fail("square must return an int", x=x)
'''

#: Wrong from 1000 on: the smallest failing example is x = 1000.
BUGGY = "def square(x):\n    return x * x if x < 1000 else x * x + 1\n"


def _course(folder: Path, extra: str = "") -> Path:
    files = {"config.yaml": CONFIG.format(extra=extra), "checks/square.py": CHECKS,
             "square/square.py": "def square(x):\n    raise NotImplementedError\n",
             "square/reference.py": "def square(x):\n    return x * x\n", "mine/square.py": BUGGY}
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder / "config.yaml"


def test_the_budget_changes_the_example_shown_never_the_grade(tmp_path: Path) -> None:
    config = load_config(_course(tmp_path))
    assert config.shrink_calls == DEFAULT_SHRINK_CALLS
    unshrunk_config = dataclasses.replace(config, shrink_calls=0)
    shrunk, unshrunk = (grade_submission(c, {"square": tmp_path / "mine" / "square.py"}, sandbox=False, cache=False)
                        for c in (config, unshrunk_config))
    assert shrunk.score == unshrunk.score == 1
    verdicts = [{c.id: c.verdict for c in report.exercises[0].checks} for report in (shrunk, unshrunk)]
    assert verdicts[0] == verdicts[1] == {"square.value": "failed", "square.unshrunk": "failed",
                                          "square.type": "passed"}
    shown = [{c.id: c.counterexample["x"] for c in report.exercises[0].checks if not c.passed}
             for report in (shrunk, unshrunk)]
    assert shown[0]["square.value"] == 1000 < shown[1]["square.value"]
    # A check's own cap of 0 holds whatever the course's budget: its example is the first failing one found.
    assert shown[0]["square.unshrunk"] == shown[1]["square.unshrunk"] == shown[1]["square.value"] > 1000
    assert shrunk.config_fingerprint != unshrunk.config_fingerprint


def test_the_budget_is_read_from_config_yaml(tmp_path: Path) -> None:
    assert load_config(_course(tmp_path, "shrink_calls: 0")).shrink_calls == 0


@pytest.mark.parametrize("value", ["-1", "yes", "'many'", "2.5"])
def test_a_wrong_budget_says_what_to_write(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="'shrink_calls' must be a whole number >= 0"):
        load_config(_course(tmp_path, f"shrink_calls: {value}"))


def test_a_missing_function_ends_each_check_at_its_first_call_with_no_example(tmp_path: Path, monkeypatch) -> None:
    """Every input fails the same way when the function is not there: nothing to search or shrink (a student who
    misspelt a name gets the answer at once), and no example to show (it would only distract from the name)."""
    from grader import runner

    calls: list[str] = []
    made = runner._CountingStudent.call
    monkeypatch.setattr(runner._CountingStudent, "call",
                        lambda self, function, *args, **kwargs: calls.append(function) or made(self, function, *args,
                                                                                               **kwargs))
    misspelt = tmp_path / "mine" / "misspelt.py"
    config = load_config(_course(tmp_path))
    misspelt.write_text("def sqaure(x):\n    return x * x\n", encoding="utf-8")
    checks = grade_submission(config, {"square": misspelt}, sandbox=False, cache=False).exercises[0].checks
    assert {c.verdict for c in checks} == {"error"}
    assert all("your module has no function named 'square'" in c.message for c in checks), [c.message for c in checks]
    assert [c.counterexample for c in checks] == [None] * 3
    assert calls == ["square"] * 3
