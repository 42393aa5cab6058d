"""The student's MLP on iris, as the course's program runs it, shortened for the reports.

The course's network (20 hidden neurons, beta = 1, normalised features, the first
100 samples to train and the last 50 to test, weights uniform in [-0.01, 0.01])
for ``EPOCHS`` epochs at ``ETA`` in calls of ``CHUNK`` epochs.  The report keeps the
error curve the student's ``train`` returned and the test set's confusion matrix,
computed by the grader from the student's ``forward``.  The course runs 1000 epochs
at eta = 0.05; the report's run is twenty times shorter at twice the rate (the same
test accuracy, 0.94 to 1), so that code written with loops over neurons or weights
is graded fast too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from grader.authoring import CheckFailed, plain
from grader.config import ExerciseConfig
from grader.exercises.mlp.calls import call_forward, call_train
from grader.exercises.perceptron.confusion import accuracy_of, trusted_confusion
from grader.exercises.perceptron.showcase import iris_inputs
from grader.showcase import describe_problem
from grader.student import CallAborted, NotImplementedYet, Student, StudentRaised

__all__ = ["HID_DIM", "ETA", "BETA", "EPOCHS", "CHUNK", "run"]

HID_DIM, ETA, BETA, EPOCHS, CHUNK = 20, 0.1, 1.0, 50, 25
_PROBLEMS = (CheckFailed, StudentRaised, NotImplementedYet, CallAborted)


def _iris(student: Student, path: Path, seed: int) -> dict[str, Any]:
    entry: dict[str, Any] = {"file": path.name, "epochs": EPOCHS, "hid_dim": HID_DIM, "eta": ETA, "error": ""}
    try:
        x, t = iris_inputs(path)
    except (OSError, ValueError) as error:
        entry["error"] = f"cannot read the course file: {error}"
        return entry
    t = t.astype(float)
    rng = np.random.default_rng(seed)
    w1 = rng.uniform(-0.01, 0.01, size=(x.shape[1], HID_DIM))
    w2 = rng.uniform(-0.01, 0.01, size=(HID_DIM + 1, t.shape[1]))
    curve: list[float] = []
    try:
        for chunk in range(EPOCHS // CHUNK):
            w1, w2, errors = call_train(student, x[:100], t[:100], w1, w2, ETA, BETA, CHUNK, seed + chunk)
            curve.extend(errors.tolist())
        _, y = call_forward(student, x[100:], w1, w2, BETA)
    except _PROBLEMS as error:
        entry["error"] = describe_problem(error)
        if curve:
            entry["errors"] = plain(curve)
        return entry
    cm = trusted_confusion(y, t[100:])
    accuracy = accuracy_of(cm)
    entry.update(errors=plain(curve), confusion=plain(cm), accuracy=accuracy,
                 summary=f"training error {curve[-1]:.4g} after {EPOCHS} epochs; accuracy {accuracy:.2f} on the "
                         f"50 test samples")
    return entry


def run(student: Student, exercise: ExerciseConfig, *, seed: int) -> dict[str, Any]:
    iris = [Path(path) for path in exercise.data if Path(path).name == "iris.data"]
    runs = [_iris(student, iris[0], seed)] if iris else []
    return {"title": f"your MLP on iris ({HID_DIM} hidden neurons, eta = {ETA}, {EPOCHS} epochs)", "runs": runs}
