"""The outside course of docs/authoring.md, built in a folder from the page's own code blocks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "authoring.md"
_BLOCK = re.compile(r"^```[a-z]+ file=(?P<path>\S+)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)

#: Buggy versions of the reference: one textual edit each, and the check that owns the bug.
BUGS = {
    "no_bias": (("    return X @ w", "    return X[:, 1:] @ w[1:]"), "predict.linear"),
    "sum_not_mean": (("np.mean((predict(X, w) - y) ** 2)", "np.sum((predict(X, w) - y) ** 2)"),
                     "mse.mean_of_squares"),
    "half_gradient": (("return 2 / len(y) * X.T", "return 1 / len(y) * X.T"), "gradient.finite_differences"),
    "loss_before_step": (("        w = w - eta * gradient(X, y, w)\n        losses.append(mse(X, y, w))",
                          "        losses.append(mse(X, y, w))\n        w = w - eta * gradient(X, y, w)"),
                         "fit.loss_curve"),
}


def doc_files() -> dict[str, str]:
    """Every ``file=PATH`` code block of docs/authoring.md: path -> content."""
    return {match["path"]: match["body"] for match in _BLOCK.finditer(DOC.read_text(encoding="utf-8"))}


def build_course(folder: Path) -> Path:
    """The course folder of the page in ``folder``; returns it."""
    for name, text in doc_files().items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def buggy(reference: str, bug: str) -> str:
    (old, new), _ = BUGS[bug]
    assert old in reference, f"{bug}: {old!r} is not in the reference"
    return reference.replace(old, new)


def run(*args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """``python -m grader ARGS`` in ``cwd`` (a course folder), with this repository's grader, as a user runs it."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
