"""What the k-means program exercise adds to the core: its figures and its run on the course data.

Counterexamples hold the dataset (``data``), the program's final centers
(``returned``) and the means of the points nearest to them (``expected``):
they are drawn like the k-means exercise's, the points coloured by their
nearest center, the program's centers beside the means.  The showcase runs the
program once on each of the course's data files (written under the name it
reads) and draws the result like the course's visualisation script.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from grader.exercises.kmeans.plugin import KMeansPlugin
from grader.plugin import FigureText

if TYPE_CHECKING:
    from grader.config import ExerciseConfig
    from grader.results import CheckResult
    from grader.student import Student

__all__ = ["KMeansProgramPlugin", "plugin"]


def _read_course_file(path: Any) -> np.ndarray:
    lines = path.read_text(encoding="ascii").split("\n")
    d, n = (int(value) for value in lines[0].split())
    return np.array([[float(value) for value in line.split()] for line in lines[1:1 + d]]).T.reshape(n, d)


def _run_file(student: Student, path: Any) -> dict[str, Any]:
    from grader.authoring import plain
    from grader.exercises.kmeans_program.fileformat import INPUT_NAMES, OUTPUT_NAMES, parse_output, parse_steps

    entry: dict[str, Any] = {"file": path.name, "points": None, "k": None, "centers": None, "labels": None,
                             "n_iter": None, "error": ""}
    data = _read_course_file(path)
    entry["points"] = plain(data)
    content = path.read_bytes()
    run = student.run({name: content for name in INPUT_NAMES}, wanted=OUTPUT_NAMES)  # type: ignore[attr-defined]
    if not run.ok:
        entry["error"] = f"your program did not end normally ({run.ended}, exit code {run.exit_code})"
        return entry
    entry["n_iter"] = len(parse_steps(run.printed))
    name = next((name for name in OUTPUT_NAMES if name in run.files), "")
    if not name:
        entry["error"] = f"your program wrote no {OUTPUT_NAMES[0]}"
        return entry
    output = parse_output(run.files[name], name)
    if output.centers is None or output.ndim != data.shape[1] or not np.isfinite(output.centers).all():
        entry["error"] = output.problem or f"{name} does not hold {data.shape[1]}-D finite centers"
        return entry
    centers = output.centers
    labels = (((data[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)).argmin(axis=1)
    entry.update(k=int(len(centers)), centers=plain(centers), labels=plain(labels))
    return entry


class KMeansProgramPlugin(KMeansPlugin):
    """Figures as the k-means exercise's; the showcase runs the whole program."""

    def counterexample_text(self, check: CheckResult) -> FigureText:
        return FigureText(alt=f"the example of {check.id}: your centers and the means of their points",
                          caption="Points coloured by their nearest center. Left: your program's final centers; "
                                  "right: the means of the points nearest to them, where a converged k-means puts "
                                  "its centers.")

    def run_showcase(self, student: Student, exercise: ExerciseConfig, *, seed: int) -> Optional[dict[str, Any]]:
        runs = []
        for path in exercise.data:
            try:
                runs.append(_run_file(student, path))
            except Exception as error:  # an unreadable data file or a program fault: said, never raised
                runs.append({"file": path.name, "points": None, "k": None, "centers": None, "labels": None,
                             "n_iter": None, "error": f"could not run: {error}"})
        return {"title": "your program on the course data", "error": "", "runs": runs}


#: The object ``plugin: grader.exercises.kmeans_program`` names in ``config.yaml``.
plugin = KMeansProgramPlugin()
