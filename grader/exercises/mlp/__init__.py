"""Checks of the multi-layer perceptron exercise: the trusted network, strategies, public checks."""
