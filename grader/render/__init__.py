"""Views of a :class:`~grader.results.Report`: each module renders the same model one way."""
