"""The perceptron's mutant corpus: real bugs, each a small edit of the ``loops`` variant, and the check that owns it.

An edit whose text is not found is an error, so a mutant can never silently become
the correct program.
"""

from __future__ import annotations

from pathlib import Path

from tests.kmeans.mutants import Mutant as _Edits

VARIANTS = Path(__file__).parent / "variants"


class Mutant(_Edits):
    """A bug of the perceptron exercise; ``owner`` is the check whose property it breaks."""

    def __init__(self, name: str, owner: str, edits: tuple[tuple[str, str], ...], base: str = "loops") -> None:
        super().__init__(name, edits, base)
        object.__setattr__(self, "owner", owner)

    def source(self) -> str:
        text = (VARIANTS / f"{self.base}.py").read_text(encoding="utf-8")
        for old, new in self.edits:
            if old not in text:
                raise AssertionError(f"mutant {self.name}: {old!r} not found in variants/{self.base}.py")
            text = text.replace(old, new)
        return text


#: confusion_matrix writing the 0/1 classes of the outputs into y (a bug of the perceptron's and the MLP's).
ROUND_Y_IN_PLACE = ("    size = max(len(t[0]), 2)\n    cm = np.zeros((size, size), dtype=int)\n",
                    "    size = max(len(t[0]), 2)\n    if len(t[0]) == 1:\n        y[:, 0] = y[:, 0] > 0.5\n    else:\n"
                    "        y[:] = y == y.max(axis=1, keepdims=True)\n    cm = np.zeros((size, size), dtype=int)\n")

MUTANTS = [
    Mutant("bias_plus_one", "add_bias.appends_minus_one", (("out[i, d] = -1.0", "out[i, d] = 1.0"),)),
    Mutant("bias_first", "add_bias.appends_minus_one", (("out[i, j] = x[i][j]\n        out[i, d] = -1.0",
                                                         "out[i, j + 1] = x[i][j]\n        out[i, 0] = -1.0"),)),
    Mutant("fires_at_zero", "forward.threshold", (("if h > 0:", "if h >= 0:"),)),
    # A learning rate of its own (a notebook's global ETA) instead of the eta train is given.
    Mutant("eta_of_its_own", "train.online_epoch", (("w = update(x[s], y, t[s], w, eta)",
                                                     "w = update(x[s], y, t[s], w, 0.1)"),)),
    # A learning rate that decays (halved every 5 epochs) instead of the eta train is given.
    Mutant("eta_decays", "train.online_epoch", (("w = update(x[s], y, t[s], w, eta)",
                                                 "w = update(x[s], y, t[s], w, eta * 0.5 ** (epoch // 5))"),)),
    Mutant("forward_ignores_bias", "forward.threshold", (("for j in range(n_in):", "for j in range(n_in - 1):"),)),
    Mutant("forward_first_output_only", "forward.threshold", (("for i in range(n_out):", "for i in range(1):"),)),
    Mutant("forward_transposed_weights", "forward.threshold", (("h += w[j][i] * x[s][j]",
                                                                "h += w[min(i, n_in - 1)][min(j, n_out - 1)] * x[s][j]"),)),
    Mutant("update_wrong_sign", "update.rule", (("new[j, i] -= eta", "new[j, i] += eta"),)),
    Mutant("update_ignores_eta", "update.rule", (("-= eta * (y[i] - t[i])", "-= (y[i] - t[i])"),)),
    Mutant("update_modifies_w", "update.inputs_untouched", (("new = np.array(w, dtype=float)", "new = w"),)),
    Mutant("update_ignores_input", "update.rule", (("* (y[i] - t[i]) * x[j]", "* (y[i] - t[i])"),)),
    Mutant("batch_not_online", "train.online_epoch",
           (("        for s in order:\n            y = forward([x[s]], w)[0]",
             "        start = w.copy()\n        for s in order:\n            y = forward([x[s]], start)[0]"),
            ("                w = update(x[s], y, t[s], w, eta)", "                w = update(x[s], y, t[s], w, eta)\n"
             "        w = w"))),
    Mutant("mistakes_per_output", "train.online_epoch",
           (("                    wrong = True", "                    wrong = True\n"
             "                    mistakes[epoch] += 1"),
            ("                mistakes[epoch] += 1\n                w = update", "                w = update"))),
    Mutant("every_sample_a_mistake", "train.online_epoch", (("            if wrong:\n                mistakes",
                                                             "            if True:\n                mistakes"),)),
    Mutant("train_ignores_w0", "train.online_epoch", (("w = np.array(w0, dtype=float)", "w = np.zeros(np.shape(w0))"),)),
    Mutant("mistakes_cumulative", "train.converges_on_separable_data",
           (("    for epoch in range(epochs):\n        order", "    total = 0\n    for epoch in range(epochs):\n"
             "        mistakes[epoch] = total\n        order"),
            ("                mistakes[epoch] += 1\n", "                mistakes[epoch] += 1\n                total += 1\n"))),
    Mutant("no_shuffle", "train.shuffles_with_rng", (("        rng.shuffle(order)\n", ""),)),
    Mutant("global_random_shuffle", "train.shuffles_with_rng", (("rng.shuffle(order)", "np.random.shuffle(order)"),)),
    # A copy of the generator as it was given, shuffling the order kept from the epoch before: every epoch the same
    # swaps (the generator restarted from its seed), a new order that rng did not draw.
    Mutant("same_swaps_every_epoch", "train.shuffles_with_rng",
           (("    for epoch in range(epochs):\n        order = np.arange(len(x))\n        rng.shuffle(order)",
             "    order = np.arange(len(x))\n    for epoch in range(epochs):\n        copy.deepcopy(rng).shuffle(order)"),
            ("import numpy as np", "import copy\n\nimport numpy as np"))),
    Mutant("shuffles_data_in_place", "train.inputs_untouched",
           (("        rng.shuffle(order)\n", "        rng.shuffle(order)\n        x[:] = x[order]\n"
             "        t[:] = t[order]\n        order = np.arange(len(x))\n"),)),
    Mutant("confusion_transposed", "confusion_matrix.counts", (("cm[_class(y[s]), _class(t[s])]",
                                                                "cm[_class(t[s]), _class(y[s])]"),)),
    Mutant("confusion_last_on_ties", "confusion_matrix.counts", (("if row[i] > row[best]:",
                                                                  "if row[i] >= row[best]:"),)),
    Mutant("single_output_one_class", "confusion_matrix.single_output",
           (("    if len(row) == 1:\n        return 1 if row[0] > 0.5 else 0\n", ""),)),
    Mutant("recall_precision_swapped", "class_scores.recall_precision",
           (("recall[i] = cm[i][i] / column", "recall[i] = cm[i][i] / row"),
            ("precision[i] = cm[i][i] / row", "precision[i] = cm[i][i] / column"))),
    Mutant("accuracy_over_classes", "class_scores.accuracy", (("return recall, precision, trace / total",
                                                               "return recall, precision, trace / size"),)),
    # Bugs in the other correct variants' styles.
    Mutant("bias_weight_twice", "forward.threshold", (("h = x[:, :-1] @ w[:-1] - w[-1]", "h = x @ w - w[-1]"),), base="bias_weight_apart"),
    Mutant("threshold_half", "forward.threshold", (("if h > 0:", "if h > 0.5:"),)),
    Mutant("sign_outputs", "forward.threshold", (("return (np.sign(h) + 1) // 2", "return np.sign(h)"),), base="shuffled_copies"),
    Mutant("add_bias_negates_inputs", "add_bias.appends_minus_one",
           (("return np.column_stack((x, -np.ones(len(x))))", "return -np.column_stack((x, np.ones(len(x))))"),), base="shuffled_copies"),
    Mutant("outer_reshaped", "update.rule", (("np.einsum(\"j,i->ji\", x, np.subtract(y, t))",
                                              "np.outer(np.subtract(y, t), x).reshape(self.w.shape)"),), base="class_based"),
    Mutant("update_only_first_output", "update.rule", (("    for i in range(w.shape[1]):\n        if y[i] != t[i]:",
                                                        "    for i in range(1):\n        if y[i] != t[i]:"),), base="fisher_yates"),
    Mutant("bias_row_not_updated", "update.rule", (("    new[-1] += eta * e\n", ""),), base="bias_weight_apart"),
    Mutant("epochs_off_by_one", "train.online_epoch", (("for epoch in range(epochs):", "for epoch in range(epochs - 1):"),)),
    Mutant("outputs_once_per_epoch", "train.online_epoch",
           (("        for i in order:\n            y = forward(x, w)[i]", "        outputs = forward(x, w)\n        for i in order:\n            y = outputs[i]"),), base="whole_set_forward"),
    Mutant("shuffle_once", "train.shuffles_with_rng", (("    for e in range(epochs):\n        perm = rng.permutation(x.shape[0])",
                                                        "    perm = rng.permutation(x.shape[0])\n    for e in range(epochs):"),), base="shuffled_copies"),
    Mutant("shuffle_x_not_t", "train.online_epoch", (("xs, ts = x[perm], t[perm]", "xs, ts = x[perm], t"),), base="shuffled_copies"),
    # An unseeded generator draws the same numbers on every call (grading is reproducible): the order is then the
    # same for every rng, which the shuffling check tells.
    Mutant("new_generator", "train.shuffles_with_rng", (("j = int(rng.integers(0, i + 1))", "j = int(np.random.default_rng().integers(0, i + 1))"),), base="fisher_yates"),
    Mutant("train_modifies_w0", "train.inputs_untouched", (("w = np.array(w0, dtype=float)\n    mistakes = []", "w = w0\n    mistakes = []"),
                                                           ("    w = np.array(w, dtype=float)\n    for i in range(w.shape[1]):", "    for i in range(w.shape[1]):")), base="fisher_yates"),
    Mutant("mistake_after_update", "train.online_epoch",
           (("                w = update(x[s], y, t[s], w, eta)", "                w = update(x[s], y, t[s], w, eta)\n                if np.array_equal(forward([x[s]], w)[0], t[s]):\n                    mistakes[epoch] -= 1"),)),
    Mutant("single_output_at_half", "confusion_matrix.single_output", (("p = np.where(y[:, 0] > 0.5, 1, 0)", "p = np.where(y[:, 0] >= 0.5, 1, 0)"),), base="fisher_yates"),
    Mutant("confusion_out_dim_classes", "confusion_matrix.single_output", (("    size = max(len(t[0]), 2)", "    size = len(t[0]) + 0"),
                                                                            ("    if len(row) == 1:\n        return 1 if row[0] > 0.5 else 0\n", "")),),
    Mutant("confusion_last_class_dropped", "confusion_matrix.counts", (("for j in range(k)] for i in range(k)]", "for j in range(k)] for i in range(k - 1)] + [[0] * k]"),), base="whole_set_forward"),
    Mutant("scores_nan_on_empty", "class_scores.recall_precision", (("recall.append(cm[i, i] / col if col else 0.0)", "recall.append(cm[i, i] / col)"),), base="whole_set_forward"),
    Mutant("scores_integer_division", "class_scores.recall_precision", (("recall[i] = cm[i][i] / column", "recall[i] = cm[i][i] // column"),)),
    Mutant("accuracy_mean_recall", "class_scores.accuracy", (("return recall, precision, trace / total", "return recall, precision, recall.mean()"),)),
    Mutant("precision_swapped_only", "class_scores.recall_precision", (("precision = np.where(cm.sum(axis=1) > 0, d / cm.sum(axis=1), 0.0)",
                                                                       "precision = np.where(cm.sum(axis=0) > 0, d / cm.sum(axis=0), 0.0)"),), base="class_based"),
    Mutant("forward_transposed_result", "forward.threshold", (("    return np.where(x @ w > 0, 1, 0)", "    return np.where(x @ w > 0, 1, 0).T.reshape(len(x), -1)"),), base="whole_set_forward"),
    Mutant("mistakes_count_outputs", "train.online_epoch", (("                mistakes[e] += 1\n                w = update(x[i], y, t[i], w, eta)",
                                                             "                mistakes[e] += np.sum(y != t[i])\n                w = update(x[i], y, t[i], w, eta)"),), base="bias_weight_apart"),
]
MUTANTS.append(Mutant("samples_with_replacement", "train.online_epoch",
                      (("for i in rng.permutation(x.shape[0]):", "for i in rng.integers(0, x.shape[0], x.shape[0]):"),),
                      base="vectorised"))
MUTANTS.append(Mutant("train_returns_mistakes_first", "train.online_epoch",
                      (("    return w, np.array(mistakes)", "    return np.array(mistakes), w"),), base="vectorised"))
MUTANTS.append(Mutant("mistakes_of_the_last_epoch_only", "train.converges_on_separable_data",
                      (("        mistakes.append(count)\n", "        mistakes.append(0)\n"),
                       ("    return w, np.array(mistakes)", "    mistakes[-1] = count\n    return w, np.array(mistakes)")),
                      base="vectorised"))
MUTANTS += [
    Mutant("restarts_from_w0_every_epoch", "train.online_epoch",
           (("    for _ in range(epochs):\n        count = 0\n", "    for _ in range(epochs):\n        w = w0.copy()\n        count = 0\n"),),
           base="vectorised"),
    Mutant("eta_decays", "train.online_epoch", (("w = update(x[i], y, t[i], w, eta)", "w = update(x[i], y, t[i], w, eta / (e + 1))"),),
           base="bias_weight_apart"),
]
MUTANTS += [
    Mutant("only_first_output_checked", "train.online_epoch", (("if (y != t[i]).any():", "if y[0] != t[i][0]:"),),
           base="vectorised"),
    Mutant("target_of_position_not_sample", "train.online_epoch",
           (("        for i in order:\n            y = forward(x[i:i + 1], w)[0]\n            if not np.array_equal(y, t[i]):\n"
             "                mistakes[epoch] = mistakes[epoch] + 1\n                w = update(x[i], y, t[i], w, eta)",
             "        for k, i in enumerate(order):\n            y = forward(x[i:i + 1], w)[0]\n"
             "            if not np.array_equal(y, t[k]):\n                mistakes[epoch] = mistakes[epoch] + 1\n"
             "                w = update(x[i], y, t[k], w, eta)"),), base="course_style"),
]

MUTANTS += [
    # The outputs made 0/1 (one-hot) in the caller's array before counting: the right counts, y changed.
    Mutant("confusion_rounds_y_in_place", "confusion_matrix.inputs_untouched", (ROUND_Y_IN_PLACE,)),
    # The diagonal cleared after the scores, to print the errors: the right scores, cm changed.
    Mutant("scores_clear_the_diagonal", "class_scores.inputs_untouched",
           (("    return recall, precision, trace / total", "    np.fill_diagonal(cm, 0)\n    return recall, precision, trace / total"),)),
]

#: Bugs of the epochs after the second (as the MLP's train.error_curve mutants): a whole run of training shows them.
MUTANTS += [
    # The last epoch's count stored for every epoch: 0 in epoch 0 after a run that learned the data.
    Mutant("mistakes_computed_once", "train.converges_on_separable_data",
           (("                w = update(x[s], y, t[s], w, eta)\n    return w, mistakes\n",
             "                w = update(x[s], y, t[s], w, eta)\n    mistakes[:] = mistakes[-1]\n    return w, mistakes\n"),)),
    # Stops when the mistakes no longer decrease, the last count copied forward.
    Mutant("stops_on_plateau", "train.converges_on_separable_data",
           (("                w = update(x[s], y, t[s], w, eta)\n    return w, mistakes\n",
             "                w = update(x[s], y, t[s], w, eta)\n        if epoch > 0 and mistakes[epoch - 1] - mistakes[epoch] < 1e-2:\n"
             "            mistakes[epoch:] = mistakes[epoch]\n            break\n    return w, mistakes\n"),)),
    Mutant("trains_only_two_epochs", "train.converges_on_separable_data",
           (("    for epoch in range(epochs):\n        order", "    for epoch in range(epochs):\n        if epoch >= 2:\n"
             "            mistakes[epoch] = mistakes[epoch - 1]\n            continue\n        order"),)),
]

#: Single-bug mutants whose every other failing check must be linked to the owner (``caused_by``): the owner is the
#: root of the report.
DIAGNOSED = [
    # train's mistakes one epoch short (a loop that stops early): every train check reads that result, each is linked
    # to the check of the epochs, whose message names the value that is wrong.
    Mutant("mistakes_one_epoch_short", "train.online_epoch", (("    return w, mistakes\n",
                                                               "    return w, mistakes[:-1]\n"),)),
    # A shape error in forward: its outputs transposed, (out_dim, n).
    Mutant("forward_outputs_transposed", "forward.threshold", (("    return np.where(np.dot(x, w) > 0, 1, 0)\n",
                                                                "    return np.where(np.dot(x, w) > 0, 1, 0).T\n"),),
           base="vectorised"),
    # The same, in a style whose train computes with forward's outputs of the whole set: train fails too.
    Mutant("whole_set_forward_transposed", "forward.threshold", (("    return np.where(x @ w > 0, 1, 0)\n",
                                                                  "    return np.where(x @ w > 0, 1, 0).T\n"),),
           base="whole_set_forward"),
    # A buffer of a fixed size, enough for the course's data: more than 4 outputs do not fit (a ValueError). Every
    # check calling forward with more outputs fails, linked to the check of any number of outputs.
    Mutant("forward_fixed_size_buffer", "forward.threshold",
           (("def forward(x, w):\n    n = len(x)\n    n_in, n_out = np.shape(w)\n    y = np.zeros((n, n_out), dtype=int)\n",
             "_H = np.zeros((150, 4))\n\n\ndef forward(x, w):\n    n = len(x)\n    n_in, n_out = np.shape(w)\n"
             "    y = np.zeros((n, n_out), dtype=int)\n    h_all = _H[:n, :n_out]\n    h_all[...] = np.dot(x, w)\n"),
            ("            h = 0.0\n            for j in range(n_in):\n                h += w[j][i] * x[s][j]\n",
             "            h = h_all[s, i]\n"))),
]
# A single output's class taken as the largest of one value (always 0): one bug, single_output's alone (counts is the
# check of two outputs or more).
DIAGNOSED += [m for m in MUTANTS if m.name == "single_output_one_class"]


#: Shuffles that draw a new order every epoch, but only some orders (not in ``MUTANTS``: the shuffling check fails
#: them only in the examples of three samples it keeps, which it draws seldom).  train.shuffles_with_rng names what
#: their first orders show (tests/perceptron/test_shuffle_flaws.py).
LAST_SAMPLE_LEFT_OUT = Mutant("shuffle_leaves_out_last_sample", "train.shuffles_with_rng",
                              (("        rng.shuffle(order)\n", "        rng.shuffle(order[:-1])\n"),))
SATTOLO = Mutant("sattolo_shuffle", "train.shuffles_with_rng",
                 (("        order = np.arange(len(x))\n        rng.shuffle(order)\n",
                   "        order = list(range(len(x)))\n        for i in range(len(x) - 1, 0, -1):\n"
                   "            j = int(rng.integers(0, i))\n            order[i], order[j] = order[j], order[i]\n"),))
