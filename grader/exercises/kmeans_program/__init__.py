"""The k-means exercise as the course hands it out: a whole program, in Python, C or Fortran, graded by running it.

``plugin`` is the :class:`~grader.plugin.ExercisePlugin` that ``config.yaml`` names
(``plugin: grader.exercises.kmeans_program``).
"""

from grader.exercises.kmeans_program.plugin import plugin  # noqa: F401
