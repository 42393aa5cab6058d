"""The MLP exercise: the trusted network, strategies, public checks, and its plugin (error curve and confusion
matrix of the run on iris).

``plugin`` is the :class:`~grader.plugin.ExercisePlugin` that ``config.yaml`` names
(``plugin: grader.exercises.mlp``).
"""

from grader.exercises.mlp.plugin import plugin  # noqa: F401
