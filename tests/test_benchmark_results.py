"""The README's speed section quotes the latest benchmark results (benchmarks/RESULTS.md), every target."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _targets() -> list[tuple[str, str, str]]:
    """(target, figure, holds) rows of the targets table of RESULTS.md."""
    text = (ROOT / "benchmarks" / "RESULTS.md").read_text(encoding="utf-8")
    table = text.split("## Targets", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("|").split("|") for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    return [(name.strip(), figure.strip(), holds.strip()) for name, figure, holds in rows[1:]]


def test_results_report_every_target_of_the_speed_work() -> None:
    names = " ".join(name for name, _, _ in _targets())
    for target in ("correct submission", "one-bug submission", "isolation overhead", "C: compilation",
                   "Fortran: compilation", "C: whole check", "Fortran: whole check", "submissions/min",
                   "`--jobs 2` ≥ 1.7", "linear", "loop-style k-means", "loop-style MLP", "a peer's pytest check"):
        assert target in names, f"RESULTS.md has no target {target!r}"
    assert all(holds in ("yes", "no") for _, _, holds in _targets())


def test_the_readme_quotes_each_figure_and_verdict_of_the_results() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    speed = readme.split("## Speed", 1)[1].split("\n## ", 1)[0]
    for name, figure, _holds in _targets():
        number = re.match(r"[\d.]+", figure)
        assert number and number.group(0) in speed, f"the README does not quote {figure} ({name})"
    quoted = re.findall(r"\| (yes|no) \|", speed)
    assert sorted(set(quoted)) == sorted({holds for _, _, holds in _targets()})


def test_the_benchmark_script_names_its_sections() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--help"], capture_output=True,
                            text=True, check=True)
    assert "--quick" in result.stdout and "latency" in result.stdout and "languages" in result.stdout
    assert "loops" in result.stdout
