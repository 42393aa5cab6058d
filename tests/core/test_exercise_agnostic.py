"""The core knows no exercise: nothing outside ``grader/exercises/`` names one, and a new exercise needs no core change.

The second half builds a minimal exercise in a temporary folder (a skeleton, a
reference, a module of checks, hidden checks, its own ``config.yaml``) and grades
it end to end: terminal, JSON, Markdown and HTML reports and the class overview,
first with the default plugin (no figure, no showcase), then with a plugin of its
own that runs and draws a showcase, as ``grader show`` does.
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from grader import grade_submission, load_config
from grader.errors import UsageError
from grader.grade import write_class_overview
from grader.render import render_text, report_schema, write_reports
from tests.conftest import ROOT, run_grader

PACKAGE = ROOT / "grader"
EXERCISES = PACKAGE / "exercises"
#: Words of the k-means exercise that have no business in the core.
CONCEPTS = ("k-means", "kmeans", "centers", "centroid", "cluster", "n_iter")
TEXT_SUFFIXES = {".py", ".json", ".md", ".yml", ".yaml", ".sh", ".txt", ".html", ""}


def core_files() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*") if path.is_file() and EXERCISES not in path.parents
                  and "__pycache__" not in path.parts and path.suffix in TEXT_SUFFIXES)


def forbidden_words() -> list[str]:
    exercises = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))["exercises"]
    return sorted(set(CONCEPTS) | {str(name) for name in exercises})


def forbidden() -> re.Pattern:
    return re.compile("|".join(rf"(?<![A-Za-z0-9]){re.escape(word)}" for word in forbidden_words()), re.I)


@pytest.mark.quick
def test_the_scan_is_not_vacuous():
    """The test below would pass if it scanned nothing or looked for nothing."""
    assert len(core_files()) > 50 and any(path.name == "cli.py" for path in core_files())
    assert not any(EXERCISES in path.parents for path in core_files())
    for line in ("from grader.exercises.kmeans import plugin", "draw the Centers", "# one K-means run",
                 "clustering(points)", "run['n_iter']"):
        assert forbidden().search(line), line
    assert not forbidden().search("text-align: center; the inputs of the failing call")


def test_no_module_outside_the_exercise_packages_names_an_exercise():
    pattern = forbidden()
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in core_files()
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if pattern.search(line)]
    assert not found, "the core names an exercise or its concepts:\n" + "\n".join(found)


@pytest.mark.quick
def test_no_core_module_imports_an_exercise_package():
    found = []
    for path in core_files():
        if path.suffix != ".py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            found += [f"{path.relative_to(ROOT)}: {name}" for name in names if name.startswith("grader.exercises")]
    assert not found, "the core imports an exercise:\n" + "\n".join(found)


# --- a minimal exercise of its own ------------------------------------------------------------------------------

CHECKS = '''
import numpy as np
from hypothesis import strategies as st

from grader.authoring import check, expect_array, fail

vectors = st.lists(st.integers(-1000, 1000), min_size=1, max_size=6).map(lambda xs: np.array(xs, dtype=float))


@check("double.twice", "double: every value times two", x=vectors)
def twice(student, x):
    y = expect_array(student.call("double", x), "double", shape=x.shape, kind="number", inputs={"x": x})
    if not np.array_equal(y, 2 * x):
        fail("double(x) is not 2 x", x=x, returned=y, expected=2 * x)


@check("double.inputs_untouched", "double: leaves its input unchanged", x=vectors)
def inputs_untouched(student, x):
    before = x.copy()
    student.call("double", x)
    if not np.array_equal(x, before):
        fail("double changed its input", x=before, x_afterwards=x)
'''

HIDDEN = '''
import numpy as np
from hypothesis import strategies as st

from grader.authoring import check, expect_array, fail


@check("double.empty", "double: an empty vector stays empty", n=st.just(0))
def empty(student, n):
    y = expect_array(student.call("double", np.zeros(n)), "double", shape=(0,), kind="number")
'''

REFERENCE = "import numpy as np\n\n\ndef double(x):\n    return 2 * np.asarray(x, dtype=float)\n"
SKELETON = "def double(x):\n    # TODO\n    raise NotImplementedError('double')\n"
BUGGY = "import numpy as np\n\n\ndef double(x):\n    return np.asarray(x, dtype=float) + 2\n"

#: A plugin of the exercise's own: its run on the data file, a one-panel figure, its words.
PLUGIN = '''
import numpy as np

from grader.authoring import expect_array, plain
from grader.plugin import ExercisePlugin, FigureText
from grader.showcase import describe_problem


class Doubling(ExercisePlugin):
    def run_showcase(self, student, exercise, *, seed):
        runs = []
        for path in exercise.data:
            x = np.loadtxt(path, ndmin=1)
            run = {"file": path.name, "x": plain(x), "y": None, "error": ""}
            try:
                run["y"] = plain(expect_array(student.call("double", x), "double", shape=x.shape, kind="number"))
                run["summary"] = f"{len(x)} values doubled."
            except BaseException as error:
                run["error"] = describe_problem(error)
            runs.append(run)
        return {"title": "your double on the course data", "runs": runs}

    def showcase_figure(self, runs, *, figure=None):
        drawable = [run for run in runs if not run.get("error") and isinstance(run.get("y"), list)]
        if not drawable:
            return None
        from matplotlib.figure import Figure

        figure = figure if figure is not None else Figure()
        for index, run in enumerate(drawable, 1):
            figure.add_subplot(1, len(drawable), index).plot(run["x"], run["y"], "o")
        return figure

    def showcase_text(self, run):
        return FigureText(alt=f"y against x for {run['file']}", caption="Each value and its double.")

    def counterexample_figure(self, check):
        example = check.counterexample or {}
        if not isinstance(example.get("returned"), list):
            return None
        from matplotlib.figure import Figure

        figure = Figure()
        figure.add_subplot().plot(example["returned"], "x")
        return figure


plugin = Doubling()
'''


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def make_course(root: Path, *, plugin: str = "") -> Path:
    """A course with one exercise, ``doubling``, in ``root``; returns its config.yaml."""
    write(root / "exercises" / "doubling" / "double.py", SKELETON)
    write(root / "reference" / "double.py", REFERENCE)
    write(root / "reference" / "double_hidden.py", HIDDEN)
    write(root / "checks" / "double_checks.py", CHECKS)
    write(root / "data" / "values.txt", "1\n2\n3.5\n")
    exercise = {"title": "Doubling", "module": "double.py", "skeleton": "exercises/doubling/double.py",
                "reference": "reference/double.py", "data": ["data/values.txt"],
                "checks": ["checks/double_checks.py"], "hidden_checks": ["reference/double_hidden.py"],
                "points": {"double.twice": 3, "double.inputs_untouched": 1,
                           "double.empty": {"points": 2, "hidden": True}}}
    if plugin:
        exercise["plugin"] = plugin
    config = {"seed": 7, "max_examples": 10, "exercises": {"doubling": exercise}}
    return write(root / "config.yaml", yaml.safe_dump(config, sort_keys=False))


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    config = load_config(make_course(root))
    submissions = {"reference": root / "reference" / "double.py", "skeleton": root / "exercises/doubling/double.py",
                   "buggy": write(root / "submissions" / "buggy" / "double.py", BUGGY)}
    reports = {name: grade_submission(config, {"doubling": path}, student=name, hidden=True, sandbox=False)
               for name, path in submissions.items()}
    return root, config, reports


def test_a_new_exercise_is_graded_with_the_default_plugin(course):
    _, _, reports = course
    assert reports["reference"].score == reports["reference"].max_score == 6
    assert {check.verdict for check in reports["skeleton"].exercises[0].checks} == {"not_implemented"}
    (buggy,) = reports["buggy"].exercises
    assert buggy.plugin == "" and buggy.showcase is None
    failed = {check.id: check for check in buggy.checks if not check.passed}
    assert set(failed) == {"double.twice"}
    assert failed["double.twice"].counterexample["returned"] != failed["double.twice"].counterexample["expected"]


def test_its_reports_in_every_format(course, tmp_path):
    _, _, reports = course
    report = reports["buggy"]
    text = render_text(report)
    assert "Doubling (doubling)" in text and "[double.twice]" in text and "your code returned:" in text
    jsonschema.Draft202012Validator(report_schema()).validate(json.loads(report.to_json()))
    written = write_reports(report, tmp_path / "buggy")
    assert set(written) == {"json", "md", "html"}
    markdown, page = written["md"].read_text(encoding="utf-8"), written["html"].read_text(encoding="utf-8")
    assert "double(x) is not 2 x" in markdown and "double(x) is not 2 x" in page
    assert not (tmp_path / "buggy" / "figures").exists() and "<img" not in page  # the default plugin draws nothing
    assert "Notes" not in markdown  # and nothing failed to draw


def test_its_class_overview(course, tmp_path):
    _, _, reports = course
    for name, report in reports.items():
        write_reports(report, tmp_path / name)
    page = write_class_overview(list(reports.values()), tmp_path).read_text(encoding="utf-8")
    assert "double.twice" in page and "3 students: 3 graded" in page and "reference/report.html" in page


def test_grader_show_says_the_exercise_has_no_showcase(course):
    from grader.show import run_on_course_data

    root, config, _ = course
    with pytest.raises(UsageError, match="has no run on the course data"):
        run_on_course_data(config, "doubling", root / "reference" / "double.py", sandbox=False)


def test_the_command_line_in_the_sandbox_defaults_to_the_only_exercise(course, tmp_path):
    root, _, _ = course
    result = run_grader("check", "--path", str(root / "submissions" / "buggy" / "double.py"), "--report-dir",
                        str(tmp_path / "out"), cwd=root)
    assert result.returncode == 1, result.stderr
    assert "[double.twice]" in result.stdout
    assert json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))["exercises"][0]["id"] == \
        "doubling"


def test_an_exercise_plugin_of_its_own_draws_and_runs_its_showcase(tmp_path, monkeypatch):
    from grader.show import run_on_course_data, save_or_show, summary_lines

    write(tmp_path / "plugins" / "doubling_plugin.py", PLUGIN)
    monkeypatch.syspath_prepend(str(tmp_path / "plugins"))
    config = load_config(make_course(tmp_path / "course", plugin="doubling_plugin"))
    buggy = write(tmp_path / "buggy" / "double.py", BUGGY)
    report = grade_submission(config, {"doubling": buggy}, student="buggy", sandbox=False)
    (exercise,) = report.exercises
    assert exercise.plugin == "doubling_plugin"
    assert exercise.showcase["runs"][0]["y"] == [3.0, 4.0, 5.5]
    written = write_reports(report, tmp_path / "report")
    figures = sorted(path.name for path in (tmp_path / "report" / "figures").glob("*.png"))
    assert figures == ["doubling-course-values.txt.png", "doubling-double.twice.png"]
    markdown = written["md"].read_text(encoding="utf-8")
    assert "Your double on the course data" in markdown and "3 values doubled." in markdown
    assert "Each value and its double." in markdown
    jsonschema.Draft202012Validator(report_schema()).validate(json.loads(report.to_json()))

    shown = run_on_course_data(config, "doubling", buggy, sandbox=False)
    assert summary_lines(shown) == ["values.txt: 3 values doubled."]
    output = save_or_show(shown, tmp_path / "show.png")
    assert output is not None and output.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_report_whose_plugin_is_gone_still_renders_with_a_note(course, tmp_path):
    from dataclasses import replace

    _, _, reports = course
    report = reports["buggy"]
    gone = replace(report, exercises=tuple(replace(e, plugin="no_such_plugin_module") for e in report.exercises))
    written = write_reports(gone, tmp_path)
    markdown = written["md"].read_text(encoding="utf-8").replace("\\", "")
    assert "the figures of doubling are left out: cannot import the plugin module 'no_such_plugin_module'" in markdown
    assert "double(x) is not 2 x" in markdown


def test_the_class_overview_draws_a_typical_counterexample_with_the_exercises_plugin(tmp_path, monkeypatch):
    write(tmp_path / "plugins" / "doubling_plugin.py", PLUGIN)
    monkeypatch.syspath_prepend(str(tmp_path / "plugins"))
    config = load_config(make_course(tmp_path / "course", plugin="doubling_plugin"))
    buggy = write(tmp_path / "buggy" / "double.py", BUGGY)
    reports = [grade_submission(config, {"doubling": buggy}, student=name, sandbox=False) for name in ("a", "b")]
    page = write_class_overview(reports, tmp_path / "out").read_text(encoding="utf-8")
    failed = page[page.index("Most failed"):]
    assert failed.count('<img src="data:image/png;base64,') == 1 and "the example of double.twice" in failed
    without = [replace_plugin(report, "") for report in reports]
    assert "<img" not in write_class_overview(without, tmp_path / "plain").read_text(encoding="utf-8")


def replace_plugin(report, plugin: str):
    from dataclasses import replace

    return replace(report, exercises=tuple(replace(e, plugin=plugin) for e in report.exercises))
