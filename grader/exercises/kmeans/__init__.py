"""The k-means exercise: strategies, geometry helpers, public checks, and its plugin (figures, showcase).

``plugin`` is the :class:`~grader.plugin.ExercisePlugin` that ``config.yaml`` names
(``plugin: grader.exercises.kmeans``), imported when first read: a course helper of the package imported by a
student's code (``coursefile``, ``plots``) brings neither the checks nor Hypothesis with it.
"""

from typing import TYPE_CHECKING

from grader import _lazy

if TYPE_CHECKING:
    from grader.exercises.kmeans.plugin import plugin  # noqa: F401

__getattr__ = _lazy.exports(__name__, {"plugin": "grader.exercises.kmeans.plugin"})
