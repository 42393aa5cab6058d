"""The perceptron exercise: strategies, calls, public checks, the confusion matrix checks (shared with the MLP),
and its plugin (decision-boundary figures, the run on the course's problems).

``plugin`` is the :class:`~grader.plugin.ExercisePlugin` that ``config.yaml`` names
(``plugin: grader.exercises.perceptron``), imported when first read: a course helper of the package imported by a
student's code (``coursefile``, ``plots``) brings neither the checks nor Hypothesis with it.
"""

from typing import TYPE_CHECKING

from grader import _lazy

if TYPE_CHECKING:
    from grader.exercises.perceptron.plugin import plugin  # noqa: F401

__getattr__ = _lazy.exports(__name__, {"plugin": "grader.exercises.perceptron.plugin"})
