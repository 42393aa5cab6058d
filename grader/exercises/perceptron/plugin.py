"""What the perceptron exercise adds to the core: decision-boundary figures, its run on the course's problems."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Sequence

from grader.plugin import ExercisePlugin, FigureText

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from grader.config import ExerciseConfig
    from grader.results import CheckResult
    from grader.student import Student

__all__ = ["PerceptronPlugin", "plugin"]


class PerceptronPlugin(ExercisePlugin):
    """Counterexamples with two inputs drawn with their decision boundaries; the OR gate and iris runs."""

    def counterexample_figure(self, check: CheckResult) -> Optional[Figure]:
        from grader.exercises.perceptron.figures import counterexample_figure

        return counterexample_figure(check.counterexample, check.function)

    def counterexample_text(self, check: CheckResult) -> FigureText:
        return FigureText(alt=f"the samples of {check.id}'s counterexample and the decision boundaries",
                          caption="Samples coloured by target; lines: where h = 0 for each weight matrix "
                                  "(yours in red, expected in green); crosses: samples with a wrong output.")

    def run_showcase(self, student: Student, exercise: ExerciseConfig, *, seed: int) -> Optional[dict[str, Any]]:
        from grader.exercises.perceptron.showcase import run

        return run(student, exercise, seed=seed)

    def showcase_figure(self, runs: Sequence[dict[str, Any]], *, figure: Optional[Figure] = None) -> Optional[Figure]:
        from grader.exercises.perceptron.figures import course_figure

        return course_figure(runs, figure=figure)

    def showcase_text(self, run: dict[str, Any]) -> FigureText:
        name = run.get("file", "")
        if name == "OR gate":
            return FigureText(alt="your perceptron's decision boundary on the OR gate",
                              caption="The four inputs of OR coloured by target, and the line where your h = 0.")
        return FigureText(alt=f"the confusion matrix of your perceptron on {name}",
                          caption=f"Your perceptron on {name}: rows predicted class, columns target class.")


#: The object ``plugin: grader.exercises.perceptron`` names in ``config.yaml``.
plugin = PerceptronPlugin()
