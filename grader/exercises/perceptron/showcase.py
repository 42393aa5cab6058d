"""The student's perceptron on the course's problems, as the course's program runs them.

Two runs: the OR gate (2 inputs, 1 output, 20 epochs) and iris (normalised
features, 3 one-hot outputs, 100 epochs), with ``eta = 0.1`` and initial weights
uniform in [-0.01, 0.01] drawn with the course's seed.  Each run keeps the
student's final weights, mistakes per epoch and confusion matrix (computed by the
grader from the student's ``forward``), as plain data for the reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from grader.authoring import CheckFailed, plain
from grader.config import ExerciseConfig
from grader.exercises.perceptron.calls import call_forward, call_train
from grader.exercises.perceptron.confusion import accuracy_of, trusted_confusion
from grader.exercises.perceptron.strategies import bias_column
from grader.showcase import describe_problem
from grader.student import CallAborted, NotImplementedYet, Student, StudentRaised

__all__ = ["ETA", "run", "iris_inputs"]

ETA = 0.1
_PROBLEMS = (CheckFailed, StudentRaised, NotImplementedYet, CallAborted)


def iris_inputs(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Normalised iris features with the bias column, and one-hot targets (the course's preparation)."""
    table = np.loadtxt(path)
    features = table[:, :4] - table[:, :4].mean(axis=0)
    features /= np.abs(features).max(axis=0)
    return bias_column(features), np.eye(3, dtype=np.int64)[table[:, 4].astype(int)]


def _run(student: Student, label: str, x: np.ndarray, t: np.ndarray, epochs: int, seed: int) -> dict[str, Any]:
    entry: dict[str, Any] = {"file": label, "epochs": epochs, "eta": ETA, "error": ""}
    w0 = np.random.default_rng(seed).uniform(-0.01, 0.01, size=(x.shape[1], t.shape[1]))
    try:
        w, mistakes = call_train(student, x, t, w0, ETA, epochs, seed)
        outputs = call_forward(student, x, w)
    except _PROBLEMS as error:
        entry["error"] = describe_problem(error)
        return entry
    cm = trusted_confusion(outputs.astype(float), t)
    accuracy = accuracy_of(cm)
    entry.update(w=plain(w), mistakes=plain(mistakes), confusion=plain(cm), accuracy=accuracy,
                 summary=f"{int(mistakes.sum())} mistakes in {epochs} epochs, {int(mistakes[-1])} in the last; "
                         f"accuracy {accuracy:.2f} on the training set")
    if x.shape[1] == 3:
        entry.update(x=plain(x[:, :2]), t=plain(t[:, 0]))
    return entry


def run(student: Student, exercise: ExerciseConfig, *, seed: int) -> dict[str, Any]:
    x_or = bias_column(np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]))
    runs = [_run(student, "OR gate", x_or, np.array([[0], [1], [1], [1]]), 20, seed)]
    iris = [Path(path) for path in exercise.data if Path(path).name == "iris.data"]
    if iris:
        try:
            x, t = iris_inputs(iris[0])
        except (OSError, ValueError) as error:
            runs.append({"file": "iris.data", "error": f"cannot read the course file: {error}"})
        else:
            runs.append(_run(student, "iris.data", x, t, 100, seed))
    return {"title": f"your perceptron on the course's problems (eta = {ETA})", "runs": runs}
