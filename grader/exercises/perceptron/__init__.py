"""The perceptron exercise: strategies, calls, public checks, the confusion matrix checks (shared with the MLP),
and its plugin (decision-boundary figures, the run on the course's problems).

``plugin`` is the :class:`~grader.plugin.ExercisePlugin` that ``config.yaml`` names
(``plugin: grader.exercises.perceptron``).
"""

from grader.exercises.perceptron.plugin import plugin  # noqa: F401
