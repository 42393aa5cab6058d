"""Measure the grader against its speed targets and write benchmarks/RESULTS.md.  See benchmarks/README.md."""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.kmeans.mutants import MUTANTS, VARIANTS  # noqa: E402

REFERENCE = ROOT / "reference" / "kmeans.py"
SLOW_SOLUTION = VARIANTS / "loops.py"
#: One-bug submissions for the latency of a failing check: bugs in the main loop, the association phase
#: and the update phase (each a small edit of a correct loop-based solution).
FAILING = ("ignores_eps", "farthest_center", "update_modifies_centers")


#: The parts of the benchmark, in the order they run (the tables are numbered as they appear in RESULTS.md).
SECTIONS = ("latency", "languages", "batch", "growth")


@dataclass
class Target:
    name: str
    figure: str
    holds: bool


def stats(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def cell(values: list[float], unit: str = "s") -> str:
    median, low, high = stats(values)
    return f"{median:.2f} {unit} ({low:.2f}–{high:.2f})"


def load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def timed(command: list[str], *, cwd: Path = ROOT, env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})},
                            check=False)
    return time.perf_counter() - start, result


def grader(*args: str) -> list[str]:
    return [sys.executable, "-m", "grader", *args]


def _check(path: Path, cache: Path, *extra: str, use_cache: bool = True) -> tuple[float, dict]:
    env = {"GRADER_CACHE_DIR": str(cache)}
    if not use_cache:
        env["GRADER_NO_CACHE"] = "1"
    wall, result = timed(grader("check", "kmeans", "--path", str(path), "--format", "json", *extra), env=env)
    return wall, json.loads(result.stdout)


def _verdicts(report: dict) -> list[tuple]:
    return [(c["id"], c["verdict"], json.dumps(c["counterexample"], sort_keys=True))
            for e in report["exercises"] for c in e["checks"]]


def startup() -> float:
    """Seconds spent importing modules when ``grader check`` starts (``python -X importtime``)."""
    _, result = timed([sys.executable, "-X", "importtime", "-m", "grader", "check", "--help"])
    total = 0
    for line in result.stderr.splitlines():
        fields = line.split("|")
        if len(fields) == 3 and fields[0].startswith("import time:") and fields[1].strip().isdigit():
            if not fields[2][1:].startswith(" "):  # a top-level import: its cumulative time counts
                total += int(fields[1])
    return total / 1e6


def latency(runs: int, work: Path) -> tuple[list[str], list[Target]]:
    """Tables 1 and 2: `grader check` on a correct and on failing submissions, isolated and in process."""
    cache = work / "cache"
    cold_wall, cold_report = _check(REFERENCE, cache)  # fills the cache: a student's first run
    parts: dict[str, list[float]] = {k: [] for k in ("wall", "load", "checks", "calls", "nocache")}
    inprocess: dict[str, list[float]] = {"wall": [], "checks": []}
    same = True
    for _ in range(runs):
        wall, report = _check(REFERENCE, cache)
        timing = report["timing"]
        parts["wall"].append(wall)
        parts["load"].append(timing.get("load", 0.0))
        parts["checks"].append(timing.get("checks", 0.0))
        parts["calls"].append(timing.get("student_calls", 0.0))
        same &= _verdicts(report) == _verdicts(cold_report)
        wall, report = _check(REFERENCE, cache, "--no-sandbox")
        inprocess["wall"].append(wall)
        inprocess["checks"].append(report["timing"].get("checks", 0.0))
    for _ in range(max(1, runs // 2)):
        wall, _ = _check(REFERENCE, cache, use_cache=False)
        parts["nocache"].append(wall)
    import_seconds = startup()
    failing: dict[str, list[float]] = {}
    failing_cold: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name in FAILING:
            path = Path(folder) / f"{name}.py"
            path.write_text(next(m for m in MUTANTS if m.name == name).source(), encoding="utf-8")
            failing_cold[name], fresh = _check(path, cache, use_cache=False)
            failing[name] = []
            for _ in range(max(1, runs // 2)):
                wall, report = _check(path, cache)
                failing[name].append(wall)
                same &= _verdicts(report) == _verdicts(fresh)
    failing_median = statistics.median([statistics.median(v) for v in failing.values()])
    ratio_checks = [a / b for a, b in zip(parts["checks"], inprocess["checks"])]
    ratio_wall = [a / b for a, b in zip(parts["wall"], inprocess["wall"])]
    lines = [
        "## 1. `grader check kmeans` (default settings, isolated worker)",
        "",
        "On the reference solution (every check passes); the cache holds the examples recorded by an",
        "earlier run, as it does from a student's second run on:",
        "",
        "| part | median (min–max) |",
        "|---|---|",
        f"| whole command, process start to exit | {cell(parts['wall'])} |",
        f"| imports at start-up (`python -X importtime -m grader check --help`) | {import_seconds:.2f} s |",
        f"| starting the worker and importing the submission | {cell(parts['load'])} |",
        f"| replaying the examples and checking (grader side) | "
        f"{cell([c - k for c, k in zip(parts['checks'], parts['calls'])])} |",
        f"| calls to the student's code (round trips included) | {cell(parts['calls'])} |",
        f"| first run, recording the examples (empty cache) | {cold_wall:.2f} s |",
        f"| without the cache (`GRADER_NO_CACHE=1`) | {cell(parts['nocache'])} |",
        "",
        "On one-bug submissions (a correct loop-based solution with one bug), where Hypothesis finds and",
        "shrinks each failure:",
        "",
        "| submission | with the cache | without |",
        "|---|---|---|",
        *[f"| `{name}` | {cell(values)} | {failing_cold[name]:.2f} s |" for name, values in failing.items()],
        "",
        f"Same verdicts and counterexamples with and without the cache: {'yes' if same else 'NO'}.",
        "",
        "## 2. Isolation overhead (same checks, same examples)",
        "",
        "| | isolated worker | in process (`--no-sandbox`) | ratio |",
        "|---|---|---|---|",
        f"| checks | {cell(parts['checks'])} | {cell(inprocess['checks'])} | {cell(ratio_checks, 'x')} |",
        f"| whole command | {cell(parts['wall'])} | {cell(inprocess['wall'])} | {cell(ratio_wall, 'x')} |",
        "",
    ]
    targets = [
        Target("`grader check` on a correct submission ≤ 2.0 s (same detection)",
               f"{stats(parts['wall'])[0]:.2f} s", stats(parts["wall"])[0] <= 2.0 and same),
        Target("`grader check` on a one-bug submission ≤ 4 s (median of the three)", f"{failing_median:.2f} s",
               failing_median <= 4.0 and same),
        Target("isolation overhead ≤ 1.3 (checks, isolated / in process)", f"{stats(ratio_checks)[0]:.2f}",
               stats(ratio_checks)[0] <= 1.3),
    ]
    return lines, targets


def languages(runs: int, work: Path) -> tuple[list[str], list[Target]]:
    """Table 3: C and Fortran submissions, their compilation (confined, as in grading) and whole check."""
    from grader.sandbox.compile import compile_source, find_compiler

    cache = work / "cache"
    _check(REFERENCE, cache)  # the examples recorded, as for a student's second run
    python = [_check(REFERENCE, cache)[0] for _ in range(runs)]
    lines = [
        "## 3. C and Fortran submissions",
        "",
        "The references in C and Fortran, compiled into a shared library as when they are graded (the compiler",
        "confined, in a build folder of its own), and `grader check kmeans` on them with the example cache",
        f"filled; the same command on the Python reference: {cell(python)}.",
        "",
        "| language | compilation | whole `grader check` | check / Python check |",
        "|---|---|---|---|",
    ]
    targets: list[Target] = []
    for language, suffix in (("c", "c"), ("fortran", "f90")):
        source = ROOT / "reference" / f"kmeans.{suffix}"
        if find_compiler(language) is None:
            lines.append(f"| {language} | compiler not installed | | |")
            continue
        compiles = []
        for run in range(runs):
            start = time.perf_counter()
            result = compile_source(source, language, work / f"build-{language}-{run}")
            compiles.append(time.perf_counter() - start)
            if not result.ok:
                raise SystemExit(f"the {language} reference does not compile:\n{result.diagnostics}")
        walls = []
        for _ in range(runs):
            wall, report = _check(source, cache)
            if report["score"] != report["max_score"]:
                raise SystemExit(f"the {language} reference scored {report['score']}/{report['max_score']}")
            walls.append(wall)
        ratio = stats(walls)[0] / stats(python)[0]
        name = {"c": "C", "fortran": "Fortran"}[language]
        lines.append(f"| {name} | {cell(compiles)} | {cell(walls)} | {ratio:.2f} x |")
        targets += [Target(f"{name}: compilation ≤ 1 s", f"{stats(compiles)[0]:.2f} s", stats(compiles)[0] <= 1.0),
                    Target(f"{name}: whole check ≤ 1.5 × the Python check", f"{ratio:.2f} x", ratio <= 1.5)]
    lines.append("")
    return lines, targets


def make_class(folder: Path, size: int) -> None:
    """A synthetic class: two thirds correct (several styles), one third with one bug."""
    variants = sorted(VARIANTS.glob("*.py"))
    mutants = [m for m in MUTANTS if m.base == "loops"]
    for i in range(size):
        target = folder / f"student{i:03d}.py"
        if i % 3 == 2:
            target.write_text(mutants[i % len(mutants)].source(), encoding="utf-8")
        else:
            shutil.copy(variants[i % len(variants)], target)


def batch(sizes: list[int], runs: int, work: Path) -> tuple[list[str], list[Target]]:
    lines = [
        "## 4. Batch throughput: `grader grade` on synthetic classes (2/3 correct, 1/3 one bug)",
        "",
        "Each run starts with an empty example cache (the first students record the examples, the",
        "others replay them), as when a class is graded for the first time.",
        "",
        "| students | `--jobs 1` | `--jobs 2` | submissions/min at 1 | at 2 | speed-up |",
        "|---|---|---|---|---|---|",
    ]
    per_student: dict[int, float] = {}
    rates2: dict[int, float] = {}
    speedups: dict[int, float] = {}
    for size in sizes:
        times: dict[int, list[float]] = {1: [], 2: []}
        with tempfile.TemporaryDirectory(dir=work) as tmp:
            submissions = Path(tmp) / "class"
            submissions.mkdir()
            make_class(submissions, size)
            for run in range(runs):
                for jobs in (1, 2):
                    out = Path(tmp) / f"out{jobs}"
                    cache = Path(tmp) / f"cache-{jobs}-{run}"
                    wall, result = timed(grader("grade", str(submissions), "--out", str(out), "--jobs", str(jobs),
                                                "--exercise", "kmeans", "--force"),
                                         env={"GRADER_CACHE_DIR": str(cache)})
                    with open(out / "gradebook.csv", encoding="utf-8", newline="") as stream:
                        graded = sum(row["status"] == "graded" for row in csv.DictReader(stream))
                    if result.returncode != 0 or graded != size:
                        raise SystemExit(f"grader grade graded {graded} of {size}:\n{result.stdout}\n{result.stderr}")
                    times[jobs].append(wall)
        speedup = [a / b for a, b in zip(times[1], times[2])]
        rate1 = [size * 60 / t for t in times[1]]
        rate2 = [size * 60 / t for t in times[2]]
        per_student[size] = stats(times[1])[0] / size
        rates2[size] = stats(rate2)[0]
        speedups[size] = stats(speedup)[0]
        lines.append(f"| {size} | {cell(times[1])} | {cell(times[2])} | {stats(rate1)[0]:.1f} | "
                     f"{rates2[size]:.1f} | {cell(speedup, 'x')} |")
    largest = max(sizes)
    growth = per_student[largest] / per_student[min(sizes)]
    lines += ["", f"Time per student at `--jobs 1`: {', '.join(f'{per_student[s]:.2f} s ({s} students)' for s in sizes)}"
              f"; ratio largest / smallest class: {growth:.2f} (1 = linear).", ""]
    targets = [
        Target(f"`grader grade` ≥ 20 submissions/min at `--jobs 2` ({largest} students)", f"{rates2[largest]:.1f}/min",
               rates2[largest] >= 20),
        Target("`--jobs 2` ≥ 1.7 × `--jobs 1`", f"{speedups[largest]:.2f} x", speedups[largest] >= 1.7),
        Target("time linear in class size (time per student, largest / smallest class ≤ 1.25)", f"{growth:.2f}",
               growth <= 1.25),
    ]
    return lines, targets


def growth(runs: int, work: Path) -> list[str]:
    import numpy as np

    from grader import load_config
    from grader.config import Limits
    from grader.student import open_student

    config = load_config(ROOT / "config.yaml")
    exercise = config.exercise("kmeans")
    lines = [
        "## 5. Growth",
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
        wall, report = _check(SLOW_SOLUTION, work / "cache", "--all")
        walls.append(wall)
        scores.append(f"{report['score']:g}/{report['max_score']:g}")
    lines += [
        "",
        f"The loop-based solution graded with every check (`--all`): {cell(walls)}, score {', '.join(set(scores))};",
        f"configured budget: {config.limits.total_timeout:g} s per submission, {config.limits.call_timeout:g} s per call.",
        "",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs and smaller classes (a few minutes)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--sizes", type=int, nargs="+", help="class sizes of table 4 (default: 25 50; quick: 12 24)")
    parser.add_argument("--skip-growth", action="store_true", help="leave out table 5")
    parser.add_argument("--sections", nargs="+", choices=SECTIONS, default=list(SECTIONS),
                        help="measure only these (default: all)")
    args = parser.parse_args()
    runs = 3 if args.quick else 5
    sizes = sorted(args.sizes or ([12, 24] if args.quick else [25, 50]))
    load_before = load()
    started = time.perf_counter()
    body: list[str] = []
    targets: list[Target] = []

    def write() -> list[str]:
        """RESULTS.md with what is measured so far (a run cut short still leaves its figures)."""
        minutes = (time.perf_counter() - started) / 60
        loads = (load_before, load())
        # Only the load before the first measurement tells of other work: the batch tables load the machine themselves.
        busy = float(load_before.replace("?", "0")) > 1
        header = [
            "# Benchmark results",
            "",
            f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}. Command: `python benchmarks/run.py"
            f"{' --quick' if args.quick else ''}{' --sizes ' + ' '.join(map(str, sizes)) if args.sizes else ''}"
            f"{' --skip-growth' if args.skip_growth else ''}"
            f"{' --sections ' + ' '.join(args.sections) if tuple(args.sections) != SECTIONS else ''}`, {minutes:.0f} min. Load average (1 min) at the start "
            f"and the end: {loads[0]}, {loads[1]}"
            f"{' (the machine was shared with other work: the figures are pessimistic)' if busy else ''}.",
            f"Each cell: median (min–max) of {runs} runs (1 per class size for batch).",
            "",
            "## Targets",
            "",
            "| target | figure | holds |",
            "|---|---|---|",
            *[f"| {t.name} | {t.figure} | {'yes' if t.holds else 'no'} |" for t in targets],
            "",
        ]
        args.out.write_text("\n".join(header + body) + "\n", encoding="utf-8")
        return header

    with tempfile.TemporaryDirectory(prefix="grader-bench-") as folder:
        work = Path(folder)
        for section in SECTIONS:
            if section not in args.sections or (section == "growth" and args.skip_growth):
                continue
            if section == "latency":
                lines, found = latency(runs, work)
            elif section == "languages":
                lines, found = languages(runs, work)
            elif section == "batch":
                lines, found = batch(sizes, 1, work)
            else:
                lines, found = growth(runs, work), []
            body += lines
            targets += found
            print("\n".join(lines), flush=True)
            header = write()
    print("\n".join(header[7:]))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
