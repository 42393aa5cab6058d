"""Hidden checks of the MLP exercise: the course's iris run, and the gradient check on a network of its size.

Instructors only: never shipped to students.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import strategies as st

from grader.authoring import check, fail, indices
from grader.exercises.mlp.calls import call_predict, call_train
from grader.exercises.mlp import checks as public  # a module: its checks are not re-registered here
from grader.exercises.mlp.strategies import betas, nets, rates

DATA = Path(__file__).resolve().parent.parent / "data"

#: The run goes through the student's train (and the backprop and forward it calls) and predict: the public checks of
#: all of them are suspects, the most specific first, so that a failure is linked to whichever of them fails.
IRIS_SUSPECTS = ("forward.shapes", "predict.classes", "train.online_epoch", "backprop.gradient_step",
                 "train.error_curve", "train.decreases_error", "train.shuffles_with_rng", "train.reproducible",
                 "train.inputs_untouched", "backprop.inputs_untouched", "forward.bias_node", "forward.logistic")

#: The course's iris network (20 hidden neurons, beta 1), trained twenty times shorter than the course's run
#: (1000 epochs at eta 0.05) at twice its rate: the same test accuracy, and code written with a loop per neuron or
#: per weight (ten times slower than the reference, or more) spends about a second on it, a small fraction of its
#: time limits.  From the weights of SEED, the reference and the correct variants of the tests (loops, single
#: precision, other ways to shuffle) reach 0.98 or 1 (0.94 to 1 from other seeds; the reference 0.98 after the
#: course's 1000 epochs).  But the order a correct train visits the samples in is the student's (how they use
#: rng): over 1000 random orders from these weights, the reference reached 1 in 677, 0.98 in 287, 0.96 in 18,
#: 0.94 in 13 and 0.92 in 5, never less.  The bound leaves two samples below that; a rate divided by the number
#: of samples gets 0.28.
HID_DIM, ETA, BETA, EPOCHS, CHUNK, SEED = 20, 0.1, 1.0, 50, 10, 5
MIN_ACCURACY = 0.88


def iris() -> tuple[np.ndarray, np.ndarray]:
    """Inputs (normalised features and the bias input) and one-hot targets of data/iris.data."""
    table = np.loadtxt(DATA / "iris.data")
    features = table[:, :4] - table[:, :4].mean(axis=0)
    features /= np.abs(features).max(axis=0)
    x = np.hstack([features, -np.ones((len(table), 1))])
    return x, np.eye(3)[table[:, 4].astype(int)]


@check("train.iris_accuracy", "on iris with the course's network (20 hidden neurons, eta 0.1, 50 epochs, "
       "first 100 samples to train, last 50 to test) the test accuracy reaches the course's",
       suspects=IRIS_SUSPECTS, seed=st.sampled_from([SEED]))
def iris_accuracy(student, seed):
    x, t = iris()
    rng = np.random.default_rng(seed)
    w1 = rng.uniform(-0.01, 0.01, (x.shape[1], HID_DIM))
    w2 = rng.uniform(-0.01, 0.01, (HID_DIM + 1, t.shape[1]))
    # 10 epochs per call: each call stays short, far below the ceiling of a call even for loop-style code.
    for chunk in range(EPOCHS // CHUNK):
        w1, w2, _ = call_train(student, x[:100], t[:100], w1, w2, ETA, BETA, CHUNK, seed + chunk)
    predicted = call_predict(student, x[100:], w1, w2, BETA)
    accuracy = float(np.mean(predicted == t[100:].argmax(axis=1)))
    if accuracy < MIN_ACCURACY:
        fail(f"after your train on the first 100 iris samples for {EPOCHS} epochs at eta {ETA}, your predict "
             f"classifies {accuracy:.2f} of the last 50 right; a correct MLP reaches at least {MIN_ACCURACY} (this "
             "run goes through train, backprop, forward and predict: a bug in any of them shows here)", seed=seed,
             returned=indices(predicted), expected=indices(t[100:].argmax(axis=1)), suspects=IRIS_SUSPECTS)


@check("backprop.gradient_step_iris_size", "backprop takes the step -eta grad E on networks as wide as the iris "
       "network (10 to 20 hidden neurons, up to 4 inputs and 3 outputs)",
       net=nets(max_n=1, max_in=4, max_hid=20, max_out=3).filter(lambda n: n.hid_dim >= 10), eta=rates(),
       beta=betas())
def gradient_step_iris_size(student, net, eta, beta, context):
    public.backprop_gradient_step.test(student, net, eta, beta, context=context)
