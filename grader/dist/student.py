"""``grader dist OUT``: the starter repository handed to each student.

It holds the skeletons, each exercise's README, the data files, a ``config.yaml``
without any hidden check, a copy of the grader package (vendored: see the
generated README for why), a ``pyproject.toml`` that installs it, the CI workflow
``.github/workflows/grade.yml`` and a README for students.  It never holds the
reference solutions or the hidden checks: the plan is checked for them before
anything is written.
"""

from __future__ import annotations

import ast
import base64
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Optional

from grader import _atomic
from grader.config import CourseConfig, ExerciseConfig
from grader.dist._files import (
    Plan,
    course_files,
    course_config_text,
    compilers,
    exercise_packages,
    install_compilers,
    package_files,
    pyproject_text,
    relative,
    select_exercises,
    template,
)
from grader.dist._generated import ignore_patterns, implemented_functions, is_generated
from grader.dist._guard import assert_no_leak
from grader.dist.policy import DEFAULT_POLICY, POLICIES
from grader.errors import ConfigError, UsageError
from grader.signature import KEY_VARIABLE
from grader.exercise import load_exercise
from grader.render.markdown import escape_markdown

__all__ = ["StudentRepo", "build_student_repo", "assert_skeleton_not_implemented", "assert_starter_loads",
           "WORKFLOW_PATH"]

WORKFLOW_PATH = ".github/workflows/grade.yml"
_GITIGNORE = """# What installing, running and checking your code produces: never commit it.
__pycache__/
*.pyc
*.egg-info/
build/
.venv/
.hypothesis/
.pytest_cache/
grader-report/
report/
*_output_*.dat
"""


@dataclass(frozen=True)
class StudentRepo:
    """What :func:`build_student_repo` wrote."""

    root: Path
    exercises: tuple[str, ...]
    files: tuple[str, ...]


def _step_id(exercise_id: str) -> str:
    step = re.sub(r"[^A-Za-z0-9_-]", "-", exercise_id)
    return step if re.match(r"[A-Za-z_]", step) else f"x{step}"


def _not_graded(exercise: ExerciseConfig) -> str:
    """The Classroom result of an exercise the step could not grade at all (its file deleted, say), base64: the
    reporter reads every exercise's result or sends none, so each step always leaves one."""
    public = sum(spec.points for spec in exercise.points.values() if not spec.hidden)
    result = {"version": 1, "status": "error", "max_score": public,
              "tests": [{"name": f"{exercise.title}: grade the submission", "status": "error", "score": 0,
                         "message": "the grader could not grade this exercise: the step's log says why"}]}
    return base64.b64encode(json.dumps(result).encode("utf-8")).decode("ascii")


def _grade_step(exercise: ExerciseConfig) -> str:
    step = _step_id(exercise.id)
    return (
        f"\n      - name: Grade {exercise.title}\n"
        f"        id: {step}\n"
        "        if: ${{ !cancelled() && steps.install.outcome == 'success' }}\n"
        f"        run: |\n"
        "          status=0\n"
        f"          grader check {exercise.id} --format github --fail-on \"$GRADER_FAIL_ON\" \\\n"
        f"            --student \"${{GITHUB_REPOSITORY#*/}}\" --report-dir \"grader-report/{exercise.id}\" || status=$?\n"
        "          # Classroom's reporter needs every step's result: one that could not grade leaves a failed one.\n"
        "          if [ -n \"${GITHUB_OUTPUT:-}\" ] && ! grep -q '^result=' \"$GITHUB_OUTPUT\"; then\n"
        f"            echo \"result={_not_graded(exercise)}\" >> \"$GITHUB_OUTPUT\"\n"
        "          fi\n"
        "          exit \"$status\"\n"
        # The instructor's key signs report.json for grader collect (empty, and no signature, when unset).
        "        env:\n"
        f"          {KEY_VARIABLE}: ${{{{ secrets.{KEY_VARIABLE} }}}}\n"
    )


def _compiler_step(exercises: tuple[ExerciseConfig, ...]) -> str:
    """A step installing the compilers of the exercises' C and Fortran versions, when the runner lacks them."""
    needed = compilers(exercises)
    if not needed:
        return ""
    lines = install_compilers(needed, sudo=True).replace("\n", "\n          ")
    return (
        "\n      - name: Install the compilers\n"
        "        # C and Fortran submissions are compiled by the grader; the runner usually has them already.\n"
        "        # Without them a C or Fortran submission's report says what is missing: Python ones still grade.\n"
        "        if: ${{ !cancelled() && steps.install.outcome == 'success' }}\n"
        "        continue-on-error: true\n"
        "        run: |\n"
        f"          {lines}\n"
        f"          {' && '.join(f'{name} --version | head -n 1' for name in needed)}\n"
    )


def workflow_text(exercises: Iterable[ExerciseConfig], *, fail_on: str = DEFAULT_POLICY, classroom: bool = True,
                  python: str = "3.10", timeout_minutes: int = 20) -> str:
    """``.github/workflows/grade.yml`` for ``exercises``."""
    exercises = tuple(exercises)
    if fail_on not in POLICIES:
        raise UsageError(f"unknown failure policy {fail_on!r}: use one of {', '.join(POLICIES)}")
    steps = _compiler_step(exercises) + "".join(_grade_step(exercise) for exercise in exercises)
    reporter_env = "\n".join(
        f"          {_step_id(e.id).upper()}_RESULTS: ${{{{ steps.{_step_id(e.id)}.outputs.result }}}}"
        for e in exercises)
    return template("grade.yml", FAIL_ON=fail_on, CLASSROOM="true" if classroom else "false", PYTHON=python,
                    TIMEOUT_MINUTES=str(timeout_minutes), GRADE_STEPS=steps, REPORTER_ENV=reporter_env,
                    RUNNERS=",".join(_step_id(e.id) for e in exercises))


def _module_docstring(path: Path) -> str:
    try:
        return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    except (SyntaxError, UnicodeDecodeError, OSError):
        return ""


def _points(value: float) -> str:
    return f"{value:g}"


def exercise_readme(exercise: ExerciseConfig) -> str:
    """The README of one exercise: what to complete, how to check it, and what each public check is worth."""
    loaded = load_exercise(exercise, hidden=False)  # the public checks only
    skeleton = exercise.skeleton.name
    notebook = exercise.skeleton.suffix == ".ipynb"  # a starter notebook holds the instructions itself
    handed = skeleton if notebook else exercise.module
    lines = [f"# {exercise.title}", "", f"Complete `{skeleton}` (the file you hand in is `{handed}`).", ""]
    docstring = "" if notebook else _module_docstring(exercise.skeleton)
    if docstring:
        lines += ["## What to do", "", "```", docstring, "```", ""]
    lines += ["## Checking your work", "", "```", f"grader check {exercise.id}", "```", "",
              "| Function | Check | Points |", "|---|---|---|"]
    lines += [f"| `{bound.check.function}` | {escape_markdown(bound.check.title)} | {_points(bound.spec.points)} |"
              for bound in loaded.checks]
    total = sum(bound.spec.points for bound in loaded.checks)
    lines += ["", f"Total of these checks: {_points(total)} points."]
    if any(spec.hidden for spec in exercise.points.values()):
        lines += ["", "Your instructor also runs further checks at grading time; "
                      "code that passes every check above and follows the instructions is ready for them."]
    return "\n".join(lines) + "\n"


def _skeleton_folder_files(config: CourseConfig, exercise: ExerciseConfig) -> list[tuple[str, Path]]:
    """The files of the skeleton's folder, without what running or checking the code generated."""
    folder = exercise.skeleton.parent
    if not exercise.skeleton.is_file():
        raise ConfigError(f"exercise {exercise.id!r}: skeleton {exercise.skeleton} not found")
    if folder.resolve() == config.root.resolve():
        return [(relative(config, exercise.skeleton), exercise.skeleton)]
    patterns = ignore_patterns(folder)
    return [(relative(config, path), path) for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.is_symlink() and not is_generated(path.relative_to(folder), patterns)]


def assert_skeleton_not_implemented(config: CourseConfig, exercise: ExerciseConfig) -> None:
    """Refuse a skeleton whose checked functions are no longer marked as to write (Python: raise
    ``NotImplementedError``; C, Fortran: set the flag ``not_implemented``): filled in (by its author trying it,
    say), it would hand the solution to every student."""
    # Every skeleton config.yaml names is handed out: each must be there (a mistyped path is a configuration error,
    # not an output path to change).
    skeletons = [exercise.skeleton] + [language.skeleton for language in (exercise.languages or {}).values()]
    for skeleton in skeletons:
        if not Path(skeleton).is_file():
            raise ConfigError(f"exercise {exercise.id!r}: the skeleton {relative(config, Path(skeleton))} does not "
                              f"exist: correct its path in config.yaml (relative to {exercise.root})")
    if exercise.kind == "program":  # a whole program marks what to write with TODO comments, which are advice
        return
    functions = {bound.check.function for bound in load_exercise(exercise, hidden=False).checks}
    for skeleton in skeletons:
        _assert_compiled_skeleton_marked(config, Path(skeleton), functions)
    if exercise.skeleton.suffix != ".py":
        return
    shown = relative(config, exercise.skeleton)
    try:
        done = implemented_functions(exercise.skeleton.read_text(encoding="utf-8"), sorted(functions))
    except (SyntaxError, UnicodeDecodeError) as error:
        raise UsageError(f"the skeleton {shown} is not valid Python ({error}): fix it before distributing it") \
            from None
    if done:
        raise UsageError(
            f"the skeleton {shown} looks completed: {', '.join(done)} no longer raise NotImplementedError, "
            f"so students would receive a solution. Restore the skeleton (e.g. 'git checkout {shown}') and "
            "run grader dist again.")


def _assert_compiled_skeleton_marked(config: CourseConfig, skeleton: Path, functions: set[str]) -> None:
    """Refuse a C or Fortran skeleton that marks none of its functions as to write, or defines a checked function
    without the mark (read as grading reads a submission: see :mod:`grader.sources`).  Unmarked, the skeleton a
    student has not touched reads as completed: graded in place of the file they worked on, and if filled in, a
    solution handed out."""
    from grader.sources import READERS, marks, unmarked

    reader = READERS.get(skeleton.suffix.lower())
    if reader is None or reader.language not in ("c", "fortran"):
        return
    shown = relative(config, skeleton)
    contract = ("each function to write sets the global flag not_implemented (C: the NOT_IMPLEMENTED; statement "
                "of 'grader new', or not_implemented = 1;  Fortran: not_implemented = 1)")
    if marks(skeleton) == 0:
        raise UsageError(f"the skeleton {shown} marks no function as to write, so students would receive it as "
                         f"completed: {contract}. Restore the skeleton and run grader dist again.")
    done = unmarked(skeleton, functions)
    if done:
        raise UsageError(f"the skeleton {shown} looks completed: {', '.join(done)} no longer set not_implemented, "
                         f"so students would receive a solution: {contract}. Restore the skeleton (e.g. 'git "
                         f"checkout {shown}') and run grader dist again.")


def _notebooks(config: CourseConfig, exercises: tuple[ExerciseConfig, ...]) -> dict[str, tuple[str, bytes]]:
    """Exercise id -> (place, content) of the starter notebook of each Python exercise (``--notebooks``)."""
    from grader.dist.notebooks import has_notebook, notebook_path, starter_notebook

    return {exercise.id: (relative(config, notebook_path(exercise)), starter_notebook(exercise))
            for exercise in exercises if has_notebook(exercise)}


def plan_student_repo(config: CourseConfig, exercises: tuple[ExerciseConfig, ...], *, fail_on: str,
                      classroom: bool, python: str, notebooks: bool = False) -> Plan:
    plan = Plan()
    for name, source in package_files(exercise_packages(exercises, hidden=False)):
        plan.add_file(name, source)
    note = ("Course configuration for students: the exercises, their public checks and points.\n"
            "A copy: your instructor grades with their own.")
    # With starter notebooks, a notebook takes the place of each Python skeleton, and is what is checked.
    starters = _notebooks(config, exercises) if notebooks else {}
    config_text = course_config_text(config, exercises, hidden=False, note=note,
                                     skeletons={key: place for key, (place, _) in starters.items()})
    plan.add("config.yaml", config_text)
    plan.add("pyproject.toml", pyproject_text("The course's grader (a copy), to check your exercises."))
    plan.add(".gitignore", _GITIGNORE)
    plan.add(WORKFLOW_PATH, workflow_text(exercises, fail_on=fail_on, classroom=classroom, python=python))
    for exercise in exercises:
        for name, source in _skeleton_folder_files(config, exercise):
            if exercise.id not in starters or source != exercise.skeleton:
                plan.add_file(name, source)
        if exercise.id in starters:
            plan.add(*starters[exercise.id])
        for data in exercise.data:
            plan.add_file(relative(config, data), data)
        for path in course_files(exercise, hidden=False):
            plan.add_file(relative(config, path), path)
    return plan


def _add_readmes(plan: Plan, config: CourseConfig, exercises: tuple[ExerciseConfig, ...]) -> None:
    folders = []
    for exercise in exercises:
        folder = Path(relative(config, exercise.skeleton)).parent.as_posix()
        readme = "README.md" if folder == "." else f"{folder}/README.md"
        if readme not in plan:
            plan.add(readme, exercise_readme(exercise))
        folders.append(folder + "/")
    listing = "\n".join(f"- **{e.title}** (`grader check {e.id}`): complete `{relative(config, e.skeleton)}`."
                        for e in exercises)
    hidden = any(spec.hidden for e in exercises for spec in e.points.values())
    plan.add("README.md", template(
        "README.md", COURSE_TITLE="Course exercises", EXERCISE_LIST=listing, FIRST_EXERCISE=exercises[0].id,
        SKELETON_DIRS="`, `".join(dict.fromkeys(folders)),
        HIDDEN_NOTE=("At grading time your instructor also runs further checks that are not in this "
                     "repository; the points shown here are those of the public checks.") if hidden else ""))


def _write(plan: Plan, out: Path) -> None:
    for name, entry in sorted(plan.items()):
        _atomic.write_bytes(out / name, entry.data, executable=entry.executable)


def _make_room(out: Path, config: CourseConfig, *, force: bool) -> None:
    if not out.exists() or not any(out.iterdir()):
        return
    if not force:
        raise UsageError(f"{out} is not empty: choose a new folder, or pass --force to replace it")
    resolved, root = out.resolve(), config.root.resolve()
    # --force only ever replaces an earlier student repository, never the course or anything else.
    if resolved == root or resolved in root.parents or not (out / WORKFLOW_PATH).is_file() \
            or not (out / "grader").is_dir():
        raise UsageError(f"{out} is not a student repository made by grader dist: refusing to replace it")
    shutil.rmtree(out)


_SELF_CHECK = """
import sys
from pathlib import Path
import grader
from grader.config import load_config
from grader.exercise import load_exercise
if Path(grader.__file__).resolve().parent != Path("grader").resolve():
    sys.exit("the starter's copy of the grader is not the one imported")
config = load_config(Path("config.yaml"))
for exercise_id in sys.argv[1:]:
    load_exercise(config.exercise(exercise_id), hidden=False)
"""


def assert_starter_loads(out: Path, exercises: Iterable[ExerciseConfig]) -> None:
    """Refuse a starter that cannot load its own configuration as a student gets it: its copy of the grader, its
    files only (a check module, plugin or helper left behind would break every student's ``grader check``).
    Run in a fresh Python in the starter's folder, with nothing of the instructor's import path."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME",
                                                                           "PYTHONSTARTUP")}
    done = subprocess.run([sys.executable, "-c", _SELF_CHECK, *(e.id for e in exercises)], cwd=out, env=env,
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        said = next((line for line in reversed(lines) if line.strip()), "it exited with an error")
        raise ConfigError(f"the student repository written to {out} cannot load its own configuration: "
                          f"{said.removeprefix('grader.errors.ConfigError: ')}. Every file its checks and plugin "
                          "need must be in the course folder (see docs/authoring.md)")


def build_student_repo(config: CourseConfig, out: Path, *, exercises: Optional[Iterable[str]] = None,
                       fail_on: str = DEFAULT_POLICY, classroom: bool = True, python: str = "3.10",
                       force: bool = False, notebooks: bool = False) -> StudentRepo:
    """Write the student starter repository for ``exercises`` (default: all) into the new folder ``out``;
    ``notebooks``: each Python exercise as a starter notebook (see :mod:`grader.dist.notebooks`)."""
    out = Path(out)
    chosen = select_exercises(config, exercises)
    for exercise in chosen:
        assert_skeleton_not_implemented(config, exercise)
    _make_room(out, config, force=force)
    plan = plan_student_repo(config, chosen, fail_on=fail_on, classroom=classroom, python=python,
                             notebooks=notebooks)
    if notebooks:
        from grader.dist.notebooks import has_notebook, notebook_path

        chosen_as_shipped = tuple(replace(e, skeleton=notebook_path(e)) if has_notebook(e) else e for e in chosen)
    else:
        chosen_as_shipped = chosen
    _add_readmes(plan, config, chosen_as_shipped)
    assert_no_leak(plan, chosen, hidden_allowed=False)
    out.mkdir(parents=True, exist_ok=True)
    _write(plan, out)
    assert_starter_loads(out, chosen)
    return StudentRepo(root=out, exercises=tuple(e.id for e in chosen), files=tuple(sorted(plan)))
