"""Checks of the confusion matrix and the per-class scores, shared by the perceptron and the MLP.

Contract (the course's ``confmat``): ``confusion_matrix(y, t)`` takes outputs ``y``
and targets ``t`` of shape ``(n, out_dim)``; the class of a row is the index of its
largest value (the first one on ties), or, with a single output, 1 when the value
is above 0.5 and 0 otherwise.  ``cm[i, j]`` counts the samples of predicted class
``i`` and target class ``j``; there are ``max(out_dim, 2)`` classes.
``class_scores(cm)`` returns ``(recall, precision, accuracy)``: recall of class ``i``
is ``cm[i, i]`` over the column sum (samples of target class ``i``), precision over
the row sum (samples predicted ``i``), 0 when that sum is 0; accuracy is the trace
over the total.  Neither function modifies the arrays it receives.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from grader.authoring import CheckContext, check, describe, expect_array, fail, index, precondition
from grader.exercises.perceptron.calls import ACCURACY_HINT, CONFUSION_HINT, SCORES_HINT, same, suspecting
from grader.precision import EPS, SINGLE_EPS, Rounding

__all__ = ["classes_of", "trusted_confusion", "accuracy_of"]


def classes_of(y: np.ndarray) -> np.ndarray:
    if y.shape[1] == 1:
        return (y[:, 0] > 0.5).astype(np.int64)
    return y.argmax(axis=1)


def trusted_confusion(y: np.ndarray, t: np.ndarray) -> np.ndarray:
    size = max(t.shape[1], 2)
    cm = np.zeros((size, size), dtype=np.int64)
    np.add.at(cm, (classes_of(y), classes_of(t)), 1)
    return cm


def accuracy_of(cm: np.ndarray) -> float:
    """The accuracy of a confusion matrix with at least one sample: its trace over its total."""
    return float(np.trace(cm) / np.sum(cm))


@st.composite
def predictions(draw, *, single: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(y, t): outputs (0/1 like the perceptron's, or in (0, 1) like the MLP's) and one-hot targets; a single
    output when ``single``, else 2 to 5 (a single output's two classes are confusion_matrix.single_output's: a bug
    there costs that check alone)."""
    n = draw(st.integers(1, 30))
    out_dim = 1 if single else draw(st.integers(2, 5))
    if draw(st.booleans()):
        y = draw(arrays(np.int64, (n, out_dim), elements=st.integers(0, 1))).astype(float)
    else:
        y = draw(arrays(np.int64, (n, out_dim), elements=st.integers(1, 63))) / 64
    if out_dim == 1:
        t = draw(arrays(np.int64, (n, 1), elements=st.integers(0, 1)))
    else:
        t = np.eye(out_dim, dtype=np.int64)[draw(arrays(np.int64, (n,), elements=st.integers(0, out_dim - 1)))]
    return y, t


def _confusion_of(result, y, t) -> np.ndarray:
    """What confusion_matrix returned, validated as a matrix of counts of the right size."""
    size = max(t.shape[1], 2)
    return expect_array(result, "confusion_matrix", shape=(size, size), kind="index", inputs={"y": y, "t": t})


def _call_confusion(student, y, t) -> np.ndarray:
    return _confusion_of(student.call("confusion_matrix", y, t), y, t)


def _check_counts(cm: np.ndarray, y: np.ndarray, t: np.ndarray) -> None:
    want = trusted_confusion(y, t)
    if cm.sum() != len(y):
        fail(f"confusion_matrix: the entries sum to {int(cm.sum())}, but there are {len(y)} samples", y=y, t=t,
             returned=cm, expected=want)
    if not np.array_equal(np.diag(cm), np.diag(want)):
        fail(f"confusion_matrix: the diagonal should count the correct predictions of each class, "
             f"{np.diag(want).tolist()}, got {np.diag(cm).tolist()} (rows: predicted class, columns: target class)",
             y=y, t=t, returned=cm, expected=want)
    if not np.array_equal(cm, want):
        i, j = (int(k) for k in np.argwhere(cm != want)[0])
        fail(f"confusion_matrix: cm[{i}, {j}] should count the samples predicted {index(i)} whose target is {index(j)} "
             f"({int(want[i, j])}), got {int(cm[i, j])} (rows: predicted class, columns: target class)",
             y=y, t=t, returned=cm, expected=want)


@check("confusion_matrix.counts", "confusion_matrix (2 outputs or more) counts each (predicted, target) pair; it "
       "sums to n, its diagonal holds the correct predictions",
       hint=CONFUSION_HINT,
       case=predictions())
def confusion_counts(student, case):
    y, t = case
    _check_counts(_call_confusion(student, y, t), y, t)


@check("confusion_matrix.single_output", "confusion_matrix with one output: two classes, the second when the "
       "output is above 0.5, else the first", case=predictions(single=True))
def confusion_single_output(student, case):
    y, t = case
    _check_counts(_call_confusion(student, y, t), y, t)


@st.composite
def symmetric_predictions(draw) -> tuple[np.ndarray, np.ndarray]:
    """(y, t) whose answer no mistake about the classes' conventions changes: at least 2 outputs in (0, 1), a
    single largest one per row (no tie), and each wrong (predicted, target) pair with its mirror (a symmetric
    matrix: reading it transposed changes nothing).  Outputs are never 0 or 1, so rounding them in place shows."""
    out_dim = draw(st.integers(2, 5))
    pairs = draw(st.lists(st.tuples(st.integers(0, out_dim - 1), st.integers(0, out_dim - 1)), min_size=1,
                          max_size=10))
    pairs += [(target, predicted) for predicted, target in pairs if predicted != target]
    n = len(pairs)
    rows = np.arange(n)
    y = draw(arrays(np.int64, (n, out_dim), elements=st.integers(1, 31))) / 64
    y[rows, [predicted for predicted, _ in pairs]] = draw(arrays(np.int64, (n,), elements=st.integers(33, 63))) / 64
    t = np.eye(out_dim, dtype=np.int64)[[target for _, target in pairs]]
    return y, t


@check("confusion_matrix.inputs_untouched", "confusion_matrix leaves y and t unchanged",
       hint={"python": "Compute the classes into new arrays (np.argmax(y, axis=1)); never write into y or t.",
             "c": "Write only into cm: y and t are const.",
             "fortran": "Assign only to cm: y and t are intent(in)."},
       suspects=("confusion_matrix.counts",), case=symmetric_predictions())
def confusion_untouched(student, case):
    y, t = case
    cm, args = student.call_with_args("confusion_matrix", y, t)
    with precondition(), suspecting("confusion_matrix.counts"):
        _check_counts(_confusion_of(cm, y, t), y, t)
    for name, sent, back in zip(("y", "t"), (y, t), args):
        if not same(back, sent):
            fail(f"confusion_matrix modified the array {name} it was given", y=y, t=t,
                 **{f"{name}_afterwards": back})


@st.composite
def matrices(draw) -> np.ndarray:
    size = draw(st.integers(2, 5))
    cm = draw(arrays(np.int64, (size, size), elements=st.integers(0, 9) | st.just(0)))
    if cm.sum() == 0:
        cm[draw(st.integers(0, size - 1)), draw(st.integers(0, size - 1))] = 1
    return cm


def _call_scores(student, cm: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    return _scores_of(student.call("class_scores", cm), cm)


def _scores_of(result, cm: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """What class_scores returned, validated as (recall, precision, accuracy) of the right shapes and types."""
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        fail(f"class_scores returned {describe(result, whole=True)}, expected a tuple (recall, precision, accuracy)", cm=cm,
             returned=result)
    recall = expect_array(result[0], "class_scores", shape=(len(cm),), kind="number", inputs={"cm": cm})
    precision = expect_array(result[1], "class_scores", shape=(len(cm),), kind="number", inputs={"cm": cm})
    accuracy = result[2]
    if isinstance(accuracy, np.ndarray) and accuracy.shape == () and accuracy.dtype.kind in "iuf":
        accuracy = accuracy.item()  # a 0-d array is a number (np.asarray of one, a reduction kept as an array)
    if isinstance(accuracy, bool) or not isinstance(accuracy, (int, float)):
        fail(f"class_scores returned {describe(accuracy)} as the accuracy, expected a number", cm=cm,
             returned=result)
    return recall, precision, float(accuracy)


def _ratio_wrong(got: np.ndarray, part: np.ndarray, whole: np.ndarray, unit: float = EPS) -> np.ndarray:
    """Where ``got`` is not the ratio part / whole (0 where whole is 0), verified as ``got * whole == part``.

    A correctly rounded division is within 2 units (``unit``: the machine epsilon of the arithmetic it was
    computed in, at least double's) of the exact ratio (at most 1 here); the product back, in double, adds at most
    eps of ``part``: 4 unit * whole + 2 unit * part covers any way of writing it.
    """
    got, part, whole = (np.asarray(a, dtype=float) for a in (got, part, whole))
    slack = 4 * unit * whole + 2 * unit * part
    ok = np.where(whole > 0, np.abs(got * whole - part) <= slack, np.abs(got) <= 4 * unit)
    return ~ok


def _ratios_wrong(got: np.ndarray, part: np.ndarray, whole: np.ndarray, rounding: Rounding) -> tuple[np.ndarray, str]:
    """Where ``got`` is not part / whole under the precision policy, and words for a single-precision-sized miss.

    A ratio right within single-precision rounding (float32 division, as in C float or numpy float32) but not
    double is accepted (and noted once) under ``single-or-double``, explained under ``double``.
    """
    wrong = _ratio_wrong(got, part, whole)
    if not np.any(wrong):
        return wrong, ""
    single_wrong = _ratio_wrong(got, part, whole, SINGLE_EPS)
    if np.any(single_wrong):
        return single_wrong, ""
    if rounding.accept_single():
        return single_wrong, ""
    i = int(np.flatnonzero(wrong)[0])
    exact = float(part[i] / whole[i]) if whole[i] > 0 else 0.0
    return wrong, ": " + Rounding.explain("it differs from the exact ratio", abs(float(got[i]) - exact), exact)


#: The checks of class_scores' values: a wrong value in a check of another property is theirs.
SCORES = ("class_scores.recall_precision", "class_scores.accuracy")


@check("class_scores.recall_precision", "class_scores: recall and precision of each class as the course defines "
       "them", hint=SCORES_HINT, cm=matrices())
def scores_recall_precision(student, cm, context: CheckContext):
    recall, precision, _ = _call_scores(student, cm)
    _check_recall_precision(cm, recall, precision, Rounding.of(context))


def _check_recall_precision(cm: np.ndarray, recall: np.ndarray, precision: np.ndarray, rounding: Rounding) -> None:
    correct = np.diag(cm)
    for name, got, axis, sums in (("recall", recall, "column", cm.sum(axis=0)),
                                  ("precision", precision, "row", cm.sum(axis=1))):
        wrong, words = _ratios_wrong(got, correct, sums, rounding)
        if np.any(wrong):
            i = int(np.flatnonzero(wrong)[0])
            ratio = f"{int(correct[i])} / {int(sums[i])}" if sums[i] > 0 else f"0 (the {axis} sums to 0)"
            fail(f"class_scores: the {name} of class {index(i)} should be cm[{i}, {i}] over the sum of {axis} {index(i)}, "
                 f"{ratio}, got {got[i]:.9g}{words}", cm=cm, returned=got)


@check("class_scores.accuracy", "class_scores: accuracy is the trace over the total", hint=ACCURACY_HINT,
       cm=matrices())
def scores_accuracy(student, cm, context: CheckContext):
    _, _, accuracy = _call_scores(student, cm)
    _check_accuracy(cm, accuracy, Rounding.of(context))


def _check_accuracy(cm: np.ndarray, accuracy: float, rounding: Rounding) -> None:
    wrong, words = _ratios_wrong(np.array([accuracy]), np.array([np.trace(cm)]), np.array([cm.sum()]), rounding)
    if wrong[0]:
        fail(f"class_scores: the accuracy should be the trace over the total, {int(np.trace(cm))} / {int(cm.sum())}, "
             f"got {accuracy:.9g}{words}", cm=cm, returned=accuracy)


@st.composite
def symmetric_matrices(draw) -> np.ndarray:
    """Confusion matrices whose scores no mistake about the course's conventions changes: symmetric (recall and
    precision are equal, whichever is divided by rows), every class predicted at least once (no 0 / 0)."""
    size = draw(st.integers(2, 5))
    upper = np.triu(draw(arrays(np.int64, (size, size), elements=st.integers(0, 9))), 1)
    return upper + upper.T + np.diag(draw(arrays(np.int64, (size,), elements=st.integers(1, 9))))


@check("class_scores.inputs_untouched", "class_scores leaves cm unchanged",
       hint={"python": "Compute into new arrays; never write into cm (np.fill_diagonal(cm, 0), cm /= ... change the "
                       "caller's matrix: work on cm.copy()).",
             "c": "Write only into recall and precision: cm is const.",
             "fortran": "Assign only to recall and precision: cm is intent(in)."},
       suspects=SCORES, cm=symmetric_matrices())
def scores_untouched(student, cm, context: CheckContext):
    result, args = student.call_with_args("class_scores", cm)
    rounding = Rounding.of(context).lenient()  # the values' precision is the other checks' property
    with precondition():
        with suspecting(*SCORES):
            recall, precision, accuracy = _scores_of(result, cm)
        with suspecting(SCORES[0]):
            _check_recall_precision(cm, recall, precision, rounding)
        with suspecting(SCORES[1]):
            _check_accuracy(cm, accuracy, rounding)
    if not same(args[0], cm):
        fail("class_scores modified the array cm it was given", cm=cm, cm_afterwards=args[0])
