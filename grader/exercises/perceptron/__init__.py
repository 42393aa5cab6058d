"""Checks of the perceptron exercise: strategies, calls, public checks; the confusion matrix checks are shared
with the multi-layer perceptron."""
