"""The perceptron: complete the functions marked TODO.

A layer of binary threshold neurons, as in the course:

- the inputs get an extra constant input, the bias, equal to -1, appended as the last column;
- for output i, h = sum_j w[j, i] * x[j] over the inputs including the bias; the output is 1 if h > 0, else 0;
- learning, one sample at a time (on-line): w[j, i] -= eta * (y[i] - t[i]) * x[j];
- an epoch presents every sample once, in an order shuffled at every epoch.

Shapes: ``x`` is ``(n, in_dim + 1)`` *with* the bias column (``add_bias`` makes it),
``w`` is ``(in_dim + 1, out_dim)``, outputs ``y`` and targets ``t`` are ``(n, out_dim)``
arrays of 0 and 1.  Your code must work for any number of inputs and outputs.
No function may modify the arrays it is given.

Run it on the OR gate and on iris:   python perceptron.py
Check your work:                      grader check perceptron
"""

import sys
from pathlib import Path

import numpy as np


def add_bias(x):
    """``x`` (n, in_dim) with the bias input appended: a new last column of -1, shape (n, in_dim + 1)."""
    # TODO
    raise NotImplementedError("add_bias")


def forward(x, w):
    """Outputs of the layer for every sample: 1 where h = x . w > 0, else 0 (h = 0 gives 0).

    ``x`` (n, in_dim + 1) already holds the bias column; ``w`` is (in_dim + 1, out_dim).
    Returns an (n, out_dim) array of 0 and 1.
    """
    # TODO
    raise NotImplementedError("forward")


def update(x, y, t, w, eta):
    """One step of the perceptron learning rule for one sample.

    ``x`` (in_dim + 1,) is the sample with its bias input, ``y`` (out_dim,) the outputs the
    layer gave for it, ``t`` (out_dim,) its targets.  Returns the *new* weights
    ``w[j, i] - eta * (y[i] - t[i]) * x[j]`` as a new array; ``w`` itself is left unchanged.
    """
    # TODO
    raise NotImplementedError("update")


def train(x, t, w0, eta, epochs, rng):
    """On-line training for ``epochs`` epochs, starting from the weights ``w0``.

    Every epoch presents each sample once, in an order shuffled with ``rng`` (a numpy random
    ``Generator``: use ``rng.permutation`` or ``rng.shuffle`` on indices): compute the
    sample's outputs with ``forward``; when one of them is wrong, count a mistake and apply
    ``update``.  Returns ``(w, mistakes)``: the final weights and an integer array of shape
    ``(epochs,)``, the number of samples whose outputs were wrong in each epoch.
    """
    # TODO
    raise NotImplementedError("train")


def confusion_matrix(y, t):
    """Confusion matrix of outputs ``y`` against targets ``t``, both (n, out_dim).

    The class of a row is the index of its largest value (``np.argmax``, the first on ties);
    with a single output, class 1 when the value is above 0.5, else class 0.
    Returns an integer array ``cm`` of shape (n_classes, n_classes), n_classes = max(out_dim, 2):
    ``cm[i, j]`` is the number of samples predicted in class i whose target class is j.
    """
    # TODO
    raise NotImplementedError("confusion_matrix")


def class_scores(cm):
    """``(recall, precision, accuracy)`` of a confusion matrix, as in the course.

    recall[i] = cm[i, i] / (sum of column i), precision[i] = cm[i, i] / (sum of row i)
    (0 when that sum is 0), accuracy = trace / total.
    """
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


def _run(name, x, t, eta=0.1, epochs=100, seed=None):
    """Train a layer on inputs x (without bias) and one-hot targets t, print the mistakes and the confusion."""
    rng = np.random.default_rng(seed)
    xb = add_bias(x)
    w0 = rng.uniform(-0.01, 0.01, size=(xb.shape[1], t.shape[1]))
    w, mistakes = train(xb, t, w0, eta, epochs, rng)
    print(f"--- {name}: {len(x)} samples, {x.shape[1]} inputs, {t.shape[1]} output(s), eta = {eta}")
    print("mistakes per epoch:", " ".join(str(int(m)) for m in mistakes[:20]), "..." if epochs > 20 else "")
    print_confusion(confusion_matrix(forward(xb, w), t))
    return xb, w


if __name__ == "__main__":
    # OR gate: 2 inputs, 1 output.
    x_or = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    t_or = np.array([[0], [1], [1], [1]])
    xb_or, w_or = _run("OR gate", x_or, t_or, epochs=20)

    # Iris: 4 features, 3 classes (one-hot targets), normalised features.
    table = np.loadtxt(_course_file("iris.data"))
    features = table[:, :4] - table[:, :4].mean(axis=0)
    features /= np.abs(features).max(axis=0)
    targets = np.eye(3, dtype=int)[table[:, 4].astype(int)]
    _run("iris", features, targets)

    import matplotlib

    if "--show" not in sys.argv:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # The OR gate's decision boundary: w0 * x0 + w1 * x1 - w2 = 0.
    figure, axes = plt.subplots()
    axes.scatter(x_or[:, 0], x_or[:, 1], c=t_or[:, 0], cmap="bwr", s=80, edgecolors="k")
    grid = np.linspace(-0.5, 1.5, 2)
    if w_or[1, 0] != 0:
        axes.plot(grid, (w_or[2, 0] - w_or[0, 0] * grid) / w_or[1, 0], "k-")
    axes.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), title="perceptron: OR gate and its decision boundary")
    if "--show" in sys.argv:
        plt.show()
    else:
        figure.savefig("perceptron_or.png")
        print("decision boundary saved to perceptron_or.png (python perceptron.py --show to display it)")
