"""Measure the grader and write benchmarks/RESULTS.md.  See benchmarks/README.md."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.kmeans.mutants import MUTANTS, VARIANTS  # noqa: E402

REFERENCE = ROOT / "reference" / "kmeans.py"
SLOW_SOLUTION = VARIANTS / "loops.py"


def stats(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def cell(values: list[float], unit: str = "s") -> str:
    median, low, high = stats(values)
    return f"{median:.2f} {unit} ({low:.2f}–{high:.2f})"


def timed(command: list[str], *, cwd: Path = ROOT) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - start, result


def grader(*args: str) -> list[str]:
    return [sys.executable, "-m", "grader", *args]


def latency(runs: int) -> tuple[list[str], dict[str, list[float]]]:
    """Table 1 and the raw timings of table 2."""
    parts: dict[str, list[float]] = {k: [] for k in
                                     ("wall", "startup", "load", "checks", "calls", "generation", "report")}
    inprocess: dict[str, list[float]] = {"wall": [], "checks": [], "calls": []}
    for _ in range(runs):
        startup, _ = timed([sys.executable, "-c", "import grader.cli, grader.grading; "
                            "grader.config.load_config(__import__('pathlib').Path('config.yaml'))"])
        wall, result = timed(grader("check", "kmeans", "--path", str(REFERENCE), "--format", "json"))
        report = json.loads(result.stdout)
        timing = report["timing"]
        parts["wall"].append(wall)
        parts["startup"].append(startup)
        parts["load"].append(timing.get("load", 0.0))
        parts["checks"].append(timing.get("checks", 0.0))
        parts["calls"].append(timing.get("student_calls", 0.0))
        parts["generation"].append(timing.get("checks", 0.0) - timing.get("student_calls", 0.0))
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "import sys, grader.results as r, grader.render as g; "
                            "g.write_reports(r.Report.from_json(sys.stdin.read()), sys.argv[1])", folder],
                           input=result.stdout, text=True, check=True, capture_output=True)
            parts["report"].append(time.perf_counter() - start - startup)
        wall, result = timed(grader("check", "kmeans", "--path", str(REFERENCE), "--format", "json", "--no-sandbox"))
        timing = json.loads(result.stdout)["timing"]
        inprocess["wall"].append(wall)
        inprocess["checks"].append(timing.get("checks", 0.0))
        inprocess["calls"].append(timing.get("student_calls", 0.0))
    lines = [
        "## 1. `grader check kmeans` on the reference (default settings, isolated worker)",
        "",
        "| part | median (min–max) |",
        "|---|---|",
        f"| whole command, process start to exit | {cell(parts['wall'])} |",
        f"| start-up: interpreter, imports, configuration | {cell(parts['startup'])} |",
        f"| starting the worker and importing the submission | {cell(parts['load'])} |",
        f"| example generation and checking (grader side) | {cell(parts['generation'])} |",
        f"| calls to the student's code (round trips included) | {cell(parts['calls'])} |",
        f"| writing report.json, report.md, report.html (with figures) | {cell(parts['report'])} |",
        "",
        f"Target: at most 2 s for the whole command. Median: {stats(parts['wall'])[0]:.2f} s.",
        "",
    ]
    ratio_checks = [a / b for a, b in zip(parts["checks"], inprocess["checks"])]
    ratio_wall = [a / b for a, b in zip(parts["wall"], inprocess["wall"])]
    lines += [
        "## 2. Isolation overhead (same checks, same examples)",
        "",
        "| | isolated worker | in process (`--no-sandbox`) | ratio |",
        "|---|---|---|---|",
        f"| checks (generation + calls) | {cell(parts['checks'])} | {cell(inprocess['checks'])} | "
        f"{cell(ratio_checks, 'x')} |",
        f"| calls to the student's code | {cell(parts['calls'])} | {cell(inprocess['calls'])} | |",
        f"| whole command | {cell(parts['wall'])} | {cell(inprocess['wall'])} | {cell(ratio_wall, 'x')} |",
        "",
        f"Target: at most 1.3. Median ratio of the checks: {stats(ratio_checks)[0]:.2f}.",
        "",
    ]
    return lines, parts


def make_class(folder: Path, size: int) -> None:
    """A synthetic class: two thirds correct (several styles), one third buggy."""
    variants = sorted(VARIANTS.glob("*.py"))
    mutants = [m for m in MUTANTS if m.base == "loops"]
    for i in range(size):
        target = folder / f"student{i:03d}.py"
        if i % 3 == 2:
            target.write_text(mutants[i % len(mutants)].source(), encoding="utf-8")
        else:
            shutil.copy(variants[i % len(variants)], target)


def batch(sizes: list[int], runs: int) -> list[str]:
    lines = [
        "## 3. Batch throughput: `grader grade` on synthetic classes (2/3 correct, 1/3 buggy)",
        "",
        "| students | `--jobs 1` | `--jobs 2` | submissions/min at 1 | at 2 | speed-up |",
        "|---|---|---|---|---|---|",
    ]
    for size in sizes:
        times: dict[int, list[float]] = {1: [], 2: []}
        with tempfile.TemporaryDirectory() as tmp:
            submissions = Path(tmp) / "class"
            submissions.mkdir()
            make_class(submissions, size)
            for _ in range(runs):
                for jobs in (1, 2):
                    out = Path(tmp) / f"out{jobs}"
                    wall, result = timed(grader("grade", str(submissions), "--out", str(out), "--jobs", str(jobs),
                                                "--force"))
                    if result.returncode != 0:
                        raise SystemExit(f"grader grade failed:\n{result.stdout}\n{result.stderr}")
                    times[jobs].append(wall)
        speedup = [a / b for a, b in zip(times[1], times[2])]
        rate1 = [size * 60 / t for t in times[1]]
        rate2 = [size * 60 / t for t in times[2]]
        lines.append(f"| {size} | {cell(times[1])} | {cell(times[2])} | {stats(rate1)[0]:.1f} | "
                     f"{stats(rate2)[0]:.1f} | {cell(speedup, 'x')} |")
    lines += ["", "Targets: speed-up at least 1.7; time linear in class size.", ""]
    return lines


def growth(runs: int) -> list[str]:
    import numpy as np

    from grader import load_config
    from grader.config import Limits
    from grader.student import open_student

    config = load_config(ROOT / "config.yaml")
    exercise = config.exercise("kmeans")
    lines = [
        "## 4. Growth",
        "",
        "Time of one `kmeans` call (eps = 0, k = 4, from data points) through the isolated worker,",
        "for the reference (vectorised) and a correct loop-based solution:",
        "",
        "| n points | d dims | reference | loop-based |",
        "|---|---|---|---|",
    ]
    rng = np.random.default_rng(0)
    students = {name: open_student(path, exercise, Limits(call_timeout=60), sandbox=True)
                for name, path in (("reference", REFERENCE), ("loops", SLOW_SOLUTION))}
    try:
        for n in (10, 50, 200):
            for d in (1, 4, 8):
                data = rng.normal(size=(n, d))
                centers = data[:4].copy()
                row = [f"{n}", f"{d}"]
                for student in students.values():
                    values = []
                    for _ in range(runs):
                        start = time.perf_counter()
                        student.call("kmeans", data, centers, eps=0.0, max_iter=100)
                        values.append((time.perf_counter() - start) * 1000)
                    row.append(cell(values, "ms"))
                lines.append("| " + " | ".join(row) + " |")
    finally:
        for student in students.values():
            student.close()
    walls, scores = [], []
    for _ in range(max(1, runs // 2)):
        wall, result = timed(grader("check", "kmeans", "--path", str(SLOW_SOLUTION), "--all", "--format", "json"))
        walls.append(wall)
        report = json.loads(result.stdout)
        scores.append(f"{report['score']:g}/{report['max_score']:g}")
    lines += [
        "",
        f"The loop-based solution graded with every check (`--all`): {cell(walls)}, score {', '.join(set(scores))};",
        f"configured budget: {config.limits.total_timeout:g} s per submission, {config.limits.call_timeout:g} s per call.",
        "Strategies draw at most 200 points in 8 dimensions, and a main loop stops after `max_iter` iterations",
        "(at most 60 in the checks), so the work per call is bounded; the budget bounds the rest.",
        "",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs and smaller classes")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--sizes", type=int, nargs="+", help="class sizes of table 3 (default: 10 20 40)")
    args = parser.parse_args()
    runs = 3 if args.quick else 5
    sizes = args.sizes or ([6, 12] if args.quick else [10, 20, 40])
    header = [
        "# Benchmark results",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. Each cell: median (min–max) of {runs} runs"
        f" ({max(1, runs // 3)} for batch).",
        "",
    ]
    sections: list[Callable[[], list[str]]] = [
        lambda: latency(runs)[0],
        lambda: batch(sizes, max(1, runs // 3)),
        lambda: growth(runs),
    ]
    body: list[str] = []
    for section in sections:
        body += section()
        print("\n".join(body[-3:]), flush=True)
    args.out.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
