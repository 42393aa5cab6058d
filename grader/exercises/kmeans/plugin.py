"""What the k-means exercise adds to the core: its pictures, its run on the course data, its words.

Counterexamples with a 1-D to 3-D dataset are drawn as clusterings (the
student's beside the expected one); the showcase runs the student's
``init_centers`` and ``kmeans`` on the course's data files (see
:mod:`grader.exercises.kmeans.showcase`) and draws them like the course's
visualisation script.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Sequence

from grader.plugin import ExercisePlugin, FigureText

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from grader.config import ExerciseConfig
    from grader.results import CheckResult
    from grader.student import Student

__all__ = ["KMeansPlugin", "plugin"]


class KMeansPlugin(ExercisePlugin):
    """The k-means exercise's figures, showcase and summary lines."""

    def counterexample_figure(self, check: CheckResult) -> Optional[Figure]:
        from grader.exercises.kmeans.figures import counterexample_figure

        return counterexample_figure(check.counterexample, check.index_base)

    def counterexample_text(self, check: CheckResult) -> FigureText:
        return FigureText(alt=f"the example of {check.id}, yours and expected",
                          caption="Points coloured by center; crosses: centers; circles: the centers given to "
                                  "your code.")

    def run_showcase(self, student: Student, exercise: ExerciseConfig, *, seed: int) -> Optional[dict[str, Any]]:
        from grader.exercises.kmeans.showcase import run

        return run(student, exercise, seed=seed)

    def showcase_lines(self, run: dict[str, Any]) -> list[str]:
        lines = [f"{run.get('k')} centers, {run.get('n_iter')} iteration{'' if run.get('n_iter') == 1 else 's'}."]
        return lines + ([f"Note: {run['note']}"] if run.get("note") else [])

    def showcase_figure(self, runs: Sequence[dict[str, Any]], *, figure: Optional[Figure] = None) -> Optional[Figure]:
        from grader.exercises.kmeans.figures import course_figure

        return course_figure(runs, figure=figure)

    def showcase_text(self, run: dict[str, Any]) -> FigureText:
        name = run.get("file", "")
        return FigureText(alt=f"your clustering of {name}",
                          caption=f"Your k-means on {name}: points coloured by their center, centers as crosses.")

    def summary_lines(self, showcase: dict[str, Any]) -> list[str]:
        """One line per data file: what the student's k-means did on it."""
        lines = [showcase["error"]] if showcase.get("error") else []
        for run in showcase.get("runs", []):
            points = run.get("points") or []
            shape = f"{len(points)} points in {len(points[0])}-D" if points else "no points"
            head = f"{run.get('file')}: {shape}, k = {run.get('k')}"
            if run.get("note"):
                lines.append(f"{head}: note: {run['note']}")
            if run.get("error"):
                lines.append(f"{head}: {run['error']}")
            else:
                lines.append(f"{head}: stopped after {run.get('n_iter')} iteration{'' if run.get('n_iter') == 1 else 's'}")
        return lines


#: The object ``plugin: grader.exercises.kmeans`` names in ``config.yaml``.
plugin = KMeansPlugin()
