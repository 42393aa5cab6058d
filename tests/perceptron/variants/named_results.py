"""Perceptron returning named tuples (readable results that still unpack as tuples): train gives
TrainResult(w, mistakes), class_scores gives Scores(recall, precision, accuracy); the confusion matrix is an
np.matrix; forward by np.piecewise; the bias by np.c_; rng.permutation(n)."""
import sys
from collections import namedtuple
from pathlib import Path

import numpy as np

TrainResult = namedtuple("TrainResult", ["w", "mistakes"])
Scores = namedtuple("Scores", ["recall", "precision", "accuracy"])


def add_bias(x):
    return np.c_[np.asarray(x, dtype=float), np.full(len(x), -1.0)]


def forward(x, w):
    h = np.asarray(x, dtype=float) @ np.asarray(w, dtype=float)
    return np.piecewise(h, [h > 0], [1.0, 0.0]).astype(int)


def update(x, y, t, w, eta):
    return w - eta * np.outer(x, np.subtract(y, t))


def train(x, t, w0, eta, epochs, rng):
    w = np.array(w0, dtype=float)
    mistakes = np.zeros(epochs, dtype=int)
    for e in range(epochs):
        for i in rng.permutation(len(x)):
            y = forward(x[i:i + 1], w)[0]
            if (y != t[i]).any():
                mistakes[e] += 1
                w = update(x[i], y, t[i], w, eta)
    return TrainResult(w, mistakes)


def confusion_matrix(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    k = max(t.shape[1], 2)
    lab = (lambda a: (a[:, 0] > 0.5).astype(int)) if t.shape[1] == 1 else (lambda a: a.argmax(axis=1))
    cm = np.zeros((k, k), dtype=int)
    np.add.at(cm, (lab(y), lab(t)), 1)
    return np.asmatrix(cm)


def class_scores(cm):
    cm = np.asarray(cm, dtype=float)
    d = np.diag(cm)
    c, r = cm.sum(axis=0), cm.sum(axis=1)
    recall = np.divide(d, c, out=np.zeros_like(d), where=c > 0)
    precision = np.divide(d, r, out=np.zeros_like(d), where=r > 0)
    return Scores(recall, precision, float(d.sum() / cm.sum()))


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
    """The course data file ``name``: in the current folder, else in the repository's ``data/``."""
    for folder in (Path.cwd(), Path(__file__).resolve().parent, Path(__file__).resolve().parents[2] / "data"):
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
