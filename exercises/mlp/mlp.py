"""Multi-layer perceptron trained by back-propagation: complete the functions marked TODO.

The network, as in the course:

- inputs get an extra constant bias input -1, appended as the last column;
- one hidden layer of hid_dim logistic neurons a = sigma(h) = 1 / (1 + exp(-beta h)), h = x . w1,
  followed by a bias node fixed at -1 (so the hidden layer has hid_dim + 1 entries);
- logistic outputs y = sigma(beta * hidden . w2);
- error of a sample: E = 1/2 sum (y - t)^2.

Back-propagation, one sample at a time (on-line):
    delta_o    = beta (y - t) y (1 - y)
    delta_h[i] = beta a[i] (1 - a[i]) sum_j w2[i, j] delta_o[j]     for the real hidden neurons only
    w1 -= eta outer(x, delta_h);  w2 -= eta outer(hidden, delta_o)  (both deltas computed with the old w2)

Shapes: ``x`` is ``(n, in_dim + 1)`` *with* the bias column, ``w1`` is ``(in_dim + 1, hid_dim)``,
``w2`` is ``(hid_dim + 1, out_dim)``, targets ``t`` are ``(n, out_dim)`` (one-hot).
Your code must work for any numbers of inputs, hidden neurons and outputs.
No function may modify the arrays it is given.

Run it on iris:     python mlp.py        (python mlp.py --show to display the figures)
Check your work:    grader check mlp
"""

import sys
from pathlib import Path

import numpy as np


def add_bias(x):
    """``x`` (n, d) with the bias input appended: a last column of -1 (given)."""
    return np.hstack([x, -np.ones((len(x), 1))])


def forward(x, w1, w2, beta):
    """Forward pass of every sample of ``x`` (n, in_dim + 1).

    Returns ``(hidden, y)``: the hidden activations (n, hid_dim + 1), whose last column is
    the bias node -1, and the outputs (n, out_dim), both logistic with slope ``beta``.
    """
    # TODO
    raise NotImplementedError("forward")


def backprop(x, t, w1, w2, eta, beta):
    """One on-line step of back-propagation on one sample ``x`` (in_dim + 1,), target ``t`` (out_dim,).

    Returns the new weights ``(w1, w2)`` as new arrays; ``w1`` and ``w2`` are left unchanged.
    Compute both deltas with the old ``w2`` before changing any weight; the bias node gets no delta.
    """
    # TODO
    raise NotImplementedError("backprop")


def train(x, t, w1, w2, eta, beta, epochs, rng):
    """On-line training for ``epochs`` epochs from the weights ``w1``, ``w2``.

    Every epoch presents each sample once, in an order shuffled with ``rng`` (a numpy random
    ``Generator``: ``rng.permutation`` or ``rng.shuffle`` on indices), with one ``backprop``
    step per sample.  Returns ``(w1, w2, errors)``: the final weights and a float array of
    shape ``(epochs,)``, the training error 1/2 sum (y - t)^2 over all samples at the end
    of each epoch.
    """
    # TODO
    raise NotImplementedError("train")


def predict(x, w1, w2, beta):
    """The class of each sample: the index of its largest output, the first on ties (one output: 1 when above 0.5).

    Returns an integer array of shape (n,).
    """
    # TODO
    raise NotImplementedError("predict")


def confusion_matrix(y, t):
    """Confusion matrix of outputs ``y`` against targets ``t``, both (n, out_dim), as in the perceptron.

    The class of a row is the index of its largest value (the first on ties); with one output,
    class 1 when the value is above 0.5.  Returns an integer array of shape (n_classes, n_classes),
    n_classes = max(out_dim, 2): ``cm[i, j]`` counts the samples predicted i whose target is j.
    """
    # TODO
    raise NotImplementedError("confusion_matrix")


def class_scores(cm):
    """``(recall, precision, accuracy)``: recall[i] = cm[i, i] / column sum, precision[i] = cm[i, i] / row sum
    (0 when the sum is 0), accuracy = trace / total."""
    # TODO
    raise NotImplementedError("class_scores")


def print_confusion(cm):
    """Print a confusion matrix with the recall and precision of each class and the accuracy (given)."""
    recall, precision, accuracy = class_scores(cm)
    print("confusion matrix (rows: predicted class, columns: target class)")
    for row in np.asarray(cm):
        print("   " + " ".join(f"{int(v):5d}" for v in row))
    print("recall    " + " ".join(f"{v:6.2f}" for v in recall))
    print("precision " + " ".join(f"{v:6.2f}" for v in precision))
    print(f"accuracy  {accuracy:.3f}")


def _course_file(name):
    """The course data file ``name``: in the current folder, else beside this file or in the repository's
    ``data/`` (a notebook has no ``__file__``: its folder is the current one)."""
    folders = [Path.cwd()]
    if "__file__" in globals():
        here = Path(__file__).resolve().parent
        folders += [here, here.parents[1] / "data"]
    for folder in folders:
        if (folder / name).exists():
            return folder / name
    raise SystemExit(f"cannot find {name}: copy it into the current folder")


if __name__ == "__main__":
    hid_dim, eta, beta, epochs, every = 20, 0.05, 1.0, 1000, 50
    table = np.loadtxt(_course_file("iris.data"))
    features = table[:, :4] - table[:, :4].mean(axis=0)   # normalise: subtract the mean,
    features /= np.abs(features).max(axis=0)               # divide by the largest absolute value
    x = add_bias(features)
    t = np.eye(3)[table[:, 4].astype(int)]
    x_train, t_train, x_test, t_test = x[:100], t[:100], x[100:], t[100:]

    rng = np.random.default_rng()
    w1 = rng.uniform(-0.01, 0.01, size=(x.shape[1], hid_dim))
    w2 = rng.uniform(-0.01, 0.01, size=(hid_dim + 1, t.shape[1]))
    curve = []
    for start in range(0, epochs, every):
        w1, w2, errors = train(x_train, t_train, w1, w2, eta, beta, every, rng)
        curve.extend(errors)
        print(f"epoch {start + every}: training error {errors[-1]:.4f}")
        cm = confusion_matrix(forward(x_test, w1, w2, beta)[1], t_test)
        print_confusion(cm)

    import matplotlib

    if "--show" not in sys.argv:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(np.arange(1, len(curve) + 1), curve)
    left.set(xlabel="epoch", ylabel="training error 1/2 sum (y - t)^2", title="error curve")
    right.imshow(cm, cmap="Blues")
    for (i, j), value in np.ndenumerate(cm):
        right.text(j, i, int(value), ha="center", va="center")
    right.set(xlabel="target class", ylabel="predicted class", title="confusion matrix (test set)")
    if "--show" in sys.argv:
        plt.show()
    else:
        figure.savefig("mlp_iris.png")
        print("figures saved to mlp_iris.png (python mlp.py --show to display them)")
