"""The k-means exercise: strategies, geometry helpers, public checks, and its plugin (figures, showcase).

``plugin`` is the :class:`~grader.plugin.ExercisePlugin` that ``config.yaml`` names
(``plugin: grader.exercises.kmeans``).
"""

from grader.exercises.kmeans.plugin import plugin  # noqa: F401
