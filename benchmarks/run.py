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
SECTIONS = ("latency", "languages", "batch", "growth", "loops")
#: The number of each section's table in RESULTS.md (a run of some sections replaces only theirs).
TABLES = {"latency": ("1", "2"), "languages": ("3",), "batch": ("4",), "growth": ("5",), "loops": ("6", "7")}
#: How each section's targets begin, to tell them apart in RESULTS.md.
TARGET_NAMES = {"latency": ("`grader check` on a correct", "`grader check` on a one-bug", "isolation overhead"),
                "languages": ("C:", "Fortran:"), "batch": ("`grader grade`", "`--jobs 2`", "time linear"),
                "growth": (), "loops": ("loop-style", "`grader check kmeans` ≤ 0.6")}
TESTS = ROOT / "tests"
#: Correct submissions written with loops, as the course writes them: (exercise, what, file, its reference).
LOOP_STYLE = (
    ("kmeans", "k-means, a loop per point and per center (`loops.py`)", TESTS / "kmeans" / "variants" / "loops.py"),
    ("kmeans", "k-means as the course writes it (`course_style.py`)", TESTS / "kmeans" / "variants" / "course_style.py"),
    ("perceptron", "perceptron, a loop per sample and per weight (`loops.py`)",
     TESTS / "perceptron" / "variants" / "loops.py"),
    ("mlp", "MLP, a loop per sample and per neuron, `np.sum` (`per_neuron.py`)",
     TESTS / "mlp" / "variants" / "per_neuron.py"),
    ("mlp", "MLP, a loop per weight (`loops.py`)", TESTS / "mlp" / "variants" / "loops.py"),
)
#: The peer's student check: a plain pytest file of four example tests of the k-means contract.
PEER_CHECK = ROOT / "benchmarks" / "peer" / "kmeans_check.py"


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


def _check(path: Path, cache: Path, *extra: str, use_cache: bool = True, exercise: str = "kmeans") -> tuple[float, dict]:
    env = {"GRADER_CACHE_DIR": str(cache)}
    if not use_cache:
        env["GRADER_NO_CACHE"] = "1"
    wall, result = timed(grader("check", exercise, "--path", str(path), "--format", "json", *extra), env=env)
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
        "confined, in a build folder of its own; the build cache off), and `grader check kmeans` on them with the",
        "example cache and the build kept by an earlier run, as for a student's second run; the same command on",
        f"the Python reference: {cell(python)}.",
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
        kept = os.environ.get("GRADER_NO_CACHE")
        os.environ["GRADER_NO_CACHE"] = "1"  # a compilation each time, not a build kept from an earlier one
        try:
            for run in range(runs):
                start = time.perf_counter()
                result = compile_source(source, language, work / f"build-{language}-{run}")
                compiles.append(time.perf_counter() - start)
                if not result.ok:
                    raise SystemExit(f"the {language} reference does not compile:\n{result.diagnostics}")
        finally:
            if kept is None:
                os.environ.pop("GRADER_NO_CACHE")
            else:
                os.environ["GRADER_NO_CACHE"] = kept
        _check(source, cache)  # the build kept, as for a student's second run
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


def loops(runs: int, work: Path) -> tuple[list[str], list[Target]]:
    """Tables 6 and 7: `grader check` on correct loop-style code against the vectorised reference, and the
    paired ratio to a peer's student check (a plain pytest file)."""
    cache = work / "cache"
    lines = [
        "## 6. Code written with loops, as students write it",
        "",
        "`grader check EXERCISE` (default settings, the example cache filled by an earlier run) on correct",
        "submissions written with loops, and on the vectorised reference of the same exercise, alternated in the",
        "same run; the ratio is that of the medians.",
        "",
        "| submission | its check | the reference's | ratio | score |",
        "|---|---|---|---|---|",
    ]
    ratios: dict[str, float] = {}
    for exercise in ("kmeans", "perceptron", "mlp"):
        reference = ROOT / "reference" / f"{exercise}.py"
        styles = [(what, path) for name, what, path in LOOP_STYLE if name == exercise]
        for _, path in [("reference", reference), *styles]:
            _check(path, cache, exercise=exercise)  # the examples recorded; the worker's imports warm
        walls: dict[Path, list[float]] = {path: [] for path in [reference, *(path for _, path in styles)]}
        scores: dict[Path, str] = {}
        for _ in range(runs):
            for path in walls:
                wall, report = _check(path, cache, exercise=exercise)
                walls[path].append(wall)
                scores[path] = f"{report['score']:g}/{report['max_score']:g}"
        for what, path in styles:
            ratio = stats(walls[path])[0] / stats(walls[reference])[0]
            ratios[exercise] = max(ratio, ratios.get(exercise, 0.0))
            lines.append(f"| {what} | {cell(walls[path])} | {cell(walls[reference])} | {ratio:.2f} x | "
                         f"{scores[path]} |")
    peer, ours, paired = _peer(runs, work)
    lines += [
        "",
        "## 7. Against a peer's student check",
        "",
        "A plain pytest file of four example tests of the k-means contract (`benchmarks/peer/kmeans_check.py`, as",
        "Otter-Grader and nbgrader-style courses ship them), run with `python -m pytest -q` in a folder holding it",
        "and the submission, against `grader check kmeans` (21 properties, shrunk counterexamples) on the same",
        "correct submission (the reference), alternated in the same run; the ratio is the median of the pairs.",
        "",
        "| `grader check kmeans` | the peer's `pytest` | ratio (paired) |",
        "|---|---|---|",
        f"| {cell(ours)} | {cell(peer)} | {cell(paired, 'x')} |",
        "",
    ]
    targets = [
        Target("loop-style k-means: `grader check` ≤ 2 × the reference's", f"{ratios['kmeans']:.2f} x",
               ratios["kmeans"] <= 2.0),
        Target("loop-style MLP: `grader check` ≤ 3 × the reference's", f"{ratios['mlp']:.2f} x", ratios["mlp"] <= 3.0),
        Target("`grader check kmeans` ≤ 0.6 × a peer's pytest check (paired)", f"{stats(paired)[0]:.2f} x",
               stats(paired)[0] <= 0.6),
    ]
    return lines, targets


def _peer(runs: int, work: Path) -> tuple[list[float], list[float], list[float]]:
    """(the peer's pytest, `grader check kmeans`, their ratios), run in turns on the reference."""
    folder = work / "peer"
    folder.mkdir(exist_ok=True)
    shutil.copy(PEER_CHECK, folder / "test_kmeans.py")
    shutil.copy(REFERENCE, folder / "kmeans.py")
    cache = work / "cache"
    _check(REFERENCE, cache)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    peer, ours = [], []
    for _ in range(runs):
        wall, result = timed(command, cwd=folder)
        if result.returncode != 0:
            raise SystemExit(f"the peer's check failed on the reference:\n{result.stdout}")
        peer.append(wall)
        ours.append(_check(REFERENCE, cache)[0])
    return peer, ours, [a / b for a, b in zip(ours, peer)]


def _merge(previous: str, targets: list[Target], body: list[str], sections: list[str]) -> tuple[list[str], list[str]]:
    """The target rows and body of RESULTS.md after a run of ``sections``: theirs new, the others' as they were."""
    rows = previous.split("## Targets", 1)[1].split("\n## ", 1)[0]
    old_rows = [line for line in rows.splitlines() if line.startswith("| ") and "---" not in line][1:]

    def owner(row: str) -> str:
        name = row.strip("|").split("|")[0].strip()
        return next((section for section, names in TARGET_NAMES.items() if name.startswith(names or ("\0",))), "")

    new_rows = [f"| {t.name} | {t.figure} | {'yes' if t.holds else 'no'} |" for t in targets]
    merged_rows = [row for row in old_rows if owner(row) not in sections] + new_rows
    merged_rows.sort(key=lambda row: SECTIONS.index(owner(row)) if owner(row) else len(SECTIONS))  # stable
    blocks = ["## " + block for block in previous.split("\n## ")[1:] if not block.startswith("Targets")]
    fresh = ["## " + block for block in "\n".join(body).split("\n## ") if block]
    fresh = [block[3:] if block.startswith("## ## ") else block for block in fresh]
    numbers = {number for section in sections for number in TABLES[section]}
    kept = [block.rstrip("\n") for block in blocks if block[3:].split(".", 1)[0] not in numbers]
    numbered = [b for b in kept if b[3:].split(".", 1)[0].isdigit()] + [b.rstrip("\n") for b in fresh]
    numbered.sort(key=lambda block: int(block[3:].split(".", 1)[0]))
    others = [b for b in kept if not b[3:].split(".", 1)[0].isdigit()]
    return merged_rows, "\n\n".join(numbered + others).splitlines() + [""]


def compile_grader() -> None:
    """The grader's modules compiled to bytecode once, as installing the package does: where
    ``PYTHONDONTWRITEBYTECODE`` is set (some containers), every run would compile them all again, in the
    grader and in its worker, and time that rather than grading."""
    import compileall

    compileall.compile_dir(str(ROOT / "grader"), quiet=1)


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
        partial = tuple(args.sections) != SECTIONS and args.out.exists()
        if partial:
            previous = args.out.read_text(encoding="utf-8")
            rows, merged = _merge(previous, targets, body, args.sections)
            intro = previous.split("## Targets", 1)[0].rstrip("\n").splitlines()
            numbers = [number for section in args.sections for number in TABLES[section]]
            tables = f"{'Table' if len(numbers) == 1 else 'Tables'} {', '.join(numbers)}"
            intro = [line for line in intro if not line.startswith(tables + ":")]
            note = (f"{tables}: `python benchmarks/run.py{' --quick' if args.quick else ''} "
                    f"--sections {' '.join(args.sections)}`, {minutes:.0f} min, {runs} runs per figure; load average "
                    f"(1 min) at the start and the end: {loads[0]}, {loads[1]}"
                    f"{' (the machine was loaded by other work: these figures are pessimistic)' if busy else ''}.")
            header = [*intro, note, "", "## Targets", "", "| target | figure | holds |", "|---|---|---|", *rows, ""]
            args.out.write_text("\n".join(header + merged) + "\n", encoding="utf-8")
            return header
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

    compile_grader()
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
            elif section == "loops":
                lines, found = loops(runs, work)
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
