"""``grader dist --gradescope OUT.zip``: a Gradescope autograder bundle.

Gradescope unpacks the zip into ``/autograder/source``, runs ``setup.sh`` once to
build its image, then ``run_autograder`` for every submission, which must write
``/autograder/results/results.json``.  The bundle holds the grader package, the
full configuration with the hidden checks and their files, the data files and a
``pyproject.toml`` that ``setup.sh`` installs (with the compilers of the exercises'
C and Fortran versions); never the reference solutions.  A submission is scored out
of the bundle's exercises: one assignment, one exercise (``--exercise``).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from grader.config import CourseConfig
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
from grader.dist._guard import assert_no_leak
from grader.errors import UsageError

__all__ = ["GradescopeBundle", "build_gradescope_bundle"]

# Zip entries get a fixed date, so the same course gives the same bundle byte for byte.
_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class GradescopeBundle:
    path: Path
    exercises: tuple[str, ...]
    files: tuple[str, ...]


def plan_gradescope_bundle(config: CourseConfig, exercise_ids: Optional[Iterable[str]] = None) -> Plan:
    exercises = select_exercises(config, exercise_ids)
    plan = Plan()
    for name, source in package_files(exercise_packages(exercises, hidden=True)):
        plan.add_file(name, source)
    plan.add("setup.sh", template("setup.sh", COMPILERS=install_compilers(compilers(exercises), sudo=False)),
             executable=True)
    plan.add("run_autograder", template("run_autograder"), executable=True)
    plan.add("pyproject.toml", pyproject_text("The course's grader, as a Gradescope autograder."))
    plan.add("config.yaml", course_config_text(
        config, exercises, hidden=True, note="Course configuration of the Gradescope autograder (with hidden checks)."))
    for exercise in exercises:
        for data in exercise.data:
            plan.add_file(relative(config, data), data)
        for path in course_files(exercise, hidden=True):
            plan.add_file(relative(config, path), path)
    assert_no_leak(plan, exercises, hidden_allowed=True)
    return plan


def build_gradescope_bundle(config: CourseConfig, out: Path, *, exercises: Optional[Iterable[str]] = None,
                            force: bool = False) -> GradescopeBundle:
    """Write the autograder zip for ``exercises`` (default: all) to ``out``."""
    out = Path(out)
    if out.suffix.lower() != ".zip":
        raise UsageError(f"{out}: the Gradescope bundle is a .zip file; give a name ending in .zip")
    if out.exists() and not force:
        raise UsageError(f"{out} exists: choose another name, or pass --force to replace it")
    plan = plan_gradescope_bundle(config, exercises)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, entry in sorted(plan.items()):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.external_attr = (0o100755 if entry.executable else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entry.data)
    partial.replace(out)
    chosen = tuple(e.id for e in select_exercises(config, exercises))
    return GradescopeBundle(path=out, exercises=chosen, files=tuple(sorted(plan)))
