"""What the MLP exercise adds to the core: its run on iris, drawn as an error curve and a confusion matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Sequence

from grader.plugin import ExercisePlugin, FigureText

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from grader.config import ExerciseConfig
    from grader.student import Student

__all__ = ["MLPPlugin", "plugin"]


class MLPPlugin(ExercisePlugin):
    """The student's MLP trained on iris with the course's settings: error curve and test confusion matrix."""

    def run_showcase(self, student: Student, exercise: ExerciseConfig, *, seed: int) -> Optional[dict[str, Any]]:
        from grader.exercises.mlp.showcase import run

        return run(student, exercise, seed=seed)

    def showcase_figure(self, runs: Sequence[dict[str, Any]], *, figure: Optional[Figure] = None) -> Optional[Figure]:
        from grader.exercises.mlp.figures import course_figure

        return course_figure(runs, figure=figure)

    def showcase_text(self, run: dict[str, Any]) -> FigureText:
        name = run.get("file", "")
        return FigureText(alt=f"the error curve and the test confusion matrix of your MLP on {name}",
                          caption=f"Your MLP on {name}: the training error after each epoch, and the confusion "
                                  "matrix of the last 50 samples (rows predicted class, columns target class).")


#: The object ``plugin: grader.exercises.mlp`` names in ``config.yaml``.
plugin = MLPPlugin()
