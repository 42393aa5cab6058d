"""Checks of the k-means exercise: strategies, geometry helpers, public checks."""
