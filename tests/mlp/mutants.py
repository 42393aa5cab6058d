"""The MLP's mutant corpus: real bugs, each a small edit of a correct variant, and the check that owns it.

The back-propagation bugs the gradient check exists for are listed in ``GRADIENT_BUGS``.
"""

from __future__ import annotations

from pathlib import Path

from tests.perceptron.mutants import ROUND_Y_IN_PLACE, Mutant as _Mutant

VARIANTS = Path(__file__).parent / "variants"


class Mutant(_Mutant):
    def source(self) -> str:
        text = (VARIANTS / f"{self.base}.py").read_text(encoding="utf-8")
        for old, new in self.edits:
            if old not in text:
                raise AssertionError(f"mutant {self.name}: {old!r} not found in variants/{self.base}.py")
            text = text.replace(old, new)
        return text


GRADIENT = "backprop.gradient_step"

#: Back-propagation bugs: each must fail the gradient check.
GRADIENT_BUGS = [
    Mutant("missing_beta_output_delta", GRADIENT, (("delta_o[k] = beta * (y[k] - t[k])", "delta_o[k] = (y[k] - t[k])"),)),
    Mutant("missing_beta_hidden_delta", GRADIENT, (("delta_h[i] = beta * a[i]", "delta_h[i] = a[i]"),)),
    Mutant("missing_output_derivative", GRADIENT, (("beta * (y[k] - t[k]) * y[k] * (1 - y[k])",
                                                    "beta * (y[k] - t[k])"),)),
    Mutant("missing_hidden_derivative", GRADIENT, (("beta * a[i] * (1 - a[i]) * s", "beta * s"),)),
    Mutant("hidden_deltas_with_updated_w2", GRADIENT,
           (("    delta_h = np.zeros(hid_dim)\n    for i in range(hid_dim):\n        s = 0.0\n"
             "        for k in range(out_dim):\n            s += w2[i, k] * delta_o[k]\n"
             "        delta_h[i] = beta * a[i] * (1 - a[i]) * s\n", ""),
            ("    new_w1 = w1.copy()\n", "    delta_h = np.zeros(hid_dim)\n    for i in range(hid_dim):\n"
             "        s = 0.0\n        for k in range(out_dim):\n            s += new_w2[i, k] * delta_o[k]\n"
             "        delta_h[i] = beta * a[i] * (1 - a[i]) * s\n    new_w1 = w1.copy()\n"))),
    Mutant("bias_node_delta", GRADIENT, (("updatew1 = eta * np.dot(np.transpose(x), deltah[:, :-1])",
                                          "updatew1 = eta * np.dot(np.transpose(x), deltah[:, 1:])"),),
           base="course_style"),
    Mutant("transposed_hidden_weights", GRADIENT, (("            s += w2[i, k] * delta_o[k]",
                                                    "            s += w2[min(k, hid_dim), min(i, out_dim - 1)] * delta_o[k]"),)),
    Mutant("outer_reshaped_not_transposed", GRADIENT,
           (("w1 - eta * np.einsum(\"i,h->ih\", x, d_hid)",
             "w1 - eta * np.einsum(\"h,i->hi\", d_hid, x).reshape(w1.shape)"),), base="tanh_einsum"),
    Mutant("gradient_ascent", GRADIENT, (("new_w2[i, k] -= eta", "new_w2[i, k] += eta"),
                                         ("new_w1[j, i] -= eta", "new_w1[j, i] += eta"))),
    # In the other correct variants' styles.
    Mutant("tanh_derivative_hidden", GRADIENT, (("delta_h = beta * hidden[:-1] * (1 - hidden[:-1])", "delta_h = beta * (1 - hidden[:-1] ** 2)"),), base="choice_order"),
    Mutant("derivative_of_h_not_a", GRADIENT, (("d_h = self.beta * a * (1 - a) * (self.v2[:, :-1].T @ d_o)",
                                                "h = self.v1 @ x\n        d_h = self.beta * h * (1 - h) * (self.v2[:, :-1].T @ d_o)"),), base="class_transposed"),
    Mutant("w2_updated_before_hidden_deltas", GRADIENT, (("    for i in range(w2.shape[0]):\n        w2[i] -= e * a[i] * do\n", ""),
                                                         ("    dh = np.array(", "    for i in range(w2.shape[0]):\n        w2[i] -= e * a[i] * do\n    dh = np.array(")), base="float32_loops"),
    Mutant("w1_bias_row_frozen", GRADIENT, (("    for j in range(len(x)):\n        g1[j] = x[j] * delta_h", "    for j in range(len(x) - 1):\n        g1[j] = x[j] * delta_h"),), base="outer_rows"),
    Mutant("w2_bias_row_frozen", GRADIENT, (("    for i in range(len(a)):\n        g2[i] = a[i] * delta_o", "    for i in range(len(a) - 1):\n        g2[i] = a[i] * delta_o"),), base="outer_rows"),
    Mutant("hidden_delta_uses_bias_row", GRADIENT, (("back = np.dot(w2, delta_o)[:-1]", "back = np.dot(w2, delta_o)[1:]"),), base="outer_rows"),
    Mutant("eta_missing_on_w1", GRADIENT, (("return w1 - eta * g1, w2 - eta * g2", "return w1 - g1, w2 - eta * g2"),), base="outer_rows"),
    Mutant("beta_squared_output_delta", GRADIENT, (("do = beta * (y - t) * y * (1 - y)", "do = beta * beta * (y - t) * y * (1 - y)"),), base="clipped_exp"),
    Mutant("delta_o_without_sign", GRADIENT, (("delta_o = beta * (y - t) * y * (1 - y)", "delta_o = beta * np.abs(y - t) * y * (1 - y)"),), base="choice_order"),
]

MUTANTS = GRADIENT_BUGS + [
    Mutant("bias_node_plus_one", "forward.bias_node", (("hidden[s, hid_dim] = -1.0", "hidden[s, hid_dim] = 1.0"),)),
    Mutant("no_bias_node_value", "forward.bias_node", (("        hidden[s, hid_dim] = -1.0\n", ""),)),
    Mutant("forward_without_beta", "forward.logistic", (("return 1.0 / (1.0 + math.exp(-beta * h))",
                                                         "return 1.0 / (1.0 + math.exp(-h))"),)),
    Mutant("tanh_activation", "forward.logistic", (("return 1.0 / (1.0 + math.exp(-beta * h))",
                                                    "return math.tanh(beta * h)"),)),
    Mutant("outputs_ignore_bias_node", "forward.logistic", (("            for i in range(hid_dim + 1):\n"
                                                             "                h += hidden[s, i] * w2[i, k]",
                                                             "            for i in range(hid_dim):\n"
                                                             "                h += hidden[s, i] * w2[i, k]"),)),
    Mutant("backprop_modifies_w2", "backprop.inputs_untouched", (("    new_w2 = w2.copy()\n", "    new_w2 = w2\n"),)),
    # A beta of its own (a notebook's global BETA) passed to backprop instead of the beta train is given.
    Mutant("beta_of_its_own", "train.online_epoch", (("w1, w2 = backprop(x[s], t[s], w1, w2, eta, beta)",
                                                      "w1, w2 = backprop(x[s], t[s], w1, w2, eta, 2.0)"),)),
    # The weights of the epoch with the lowest error returned, not the last epoch's (an early-stopping habit).
    Mutant("best_weights_kept", "train.online_epoch",
           (("    errors = np.zeros(epochs)\n", "    errors = np.zeros(epochs)\n    best = (np.inf, w1, w2)\n"),
            ("        errors[epoch] = total\n", "        errors[epoch] = total\n"
             "        if total < best[0]:\n            best = (total, w1, w2)\n"),
            ("    return w1, w2, errors\n", "    return best[1], best[2], errors\n"))),
    # Eta halved whenever the error rises (a "bold driver"), instead of the eta train is given.
    Mutant("eta_halved_when_error_rises", "train.online_epoch",
           (("        errors[epoch] = total\n", "        errors[epoch] = total\n"
             "        if epoch and total > errors[epoch - 1]:\n            eta = eta / 2\n"),)),
    # One epoch too many, the error of the extra one dropped.
    Mutant("one_epoch_too_many", "train.online_epoch", (("    for epoch in range(epochs):\n",
                                                          "    for epoch in range(epochs + 1):\n"),
                                                         ("        errors[epoch] = total\n",
                                                          "        errors[min(epoch, epochs - 1)] = total\n"))),
    Mutant("batch_epoch", "train.online_epoch",
           (("        for s in order:\n            w1, w2 = backprop(x[s], t[s], w1, w2, eta, beta)",
             "        start1, start2 = w1, w2\n        for s in order:\n"
             "            n1, n2 = backprop(x[s], t[s], start1, start2, eta, beta)\n"
             "            w1, w2 = w1 + (n1 - start1), w2 + (n2 - start2)"),)),
    Mutant("error_before_the_epoch", "train.error_curve",
           (("        for s in order:\n            w1, w2 = backprop(x[s], t[s], w1, w2, eta, beta)\n"
             "        _, y = forward(x, w1, w2, beta)\n",
             "        _, y = forward(x, w1, w2, beta)\n        for s in order:\n"
             "            w1, w2 = backprop(x[s], t[s], w1, w2, eta, beta)\n"),)),
    Mutant("error_without_half", "train.error_curve", (("total += 0.5 * (y[s, k] - t[s, k]) ** 2",
                                                        "total += (y[s, k] - t[s, k]) ** 2"),)),
    Mutant("train_wrong_sign", "train.decreases_error",
           (("            w1, w2 = backprop(x[s], t[s], w1, w2, eta, beta)",
             "            w1, w2 = backprop(x[s], t[s], w1, w2, -eta, beta)"),)),
    Mutant("global_random_order", "train.shuffles_with_rng", (("order = rng.permutation(len(x))",
                                                          "order = np.random.permutation(len(x))"),)),
    Mutant("never_shuffles", "train.shuffles_with_rng", (("order = rng.permutation(len(x))",
                                                         "order = np.arange(len(x))"),)),
    # One permutation drawn once, applied to the order at every epoch: a new order every epoch that rng did not draw
    # (the order of epoch 2 is the first one permuted again the same way).
    Mutant("one_permutation_applied_every_epoch", "train.shuffles_with_rng",
           (("    for epoch in range(epochs):\n        order = rng.permutation(len(x))",
             "    step, order = rng.permutation(len(x)), np.arange(len(x))\n    for epoch in range(epochs):\n"
             "        order = order[step]"),)),
    Mutant("shuffles_data_in_place", "train.inputs_untouched",
           (("        order = rng.permutation(len(x))\n", "        order = rng.permutation(len(x))\n"
             "        x[:] = x[order]\n        t[:] = t[order]\n        order = range(len(x))\n"),)),
    Mutant("predict_smallest_output", "predict.classes", (("if y[s, k] > y[s, best]:", "if y[s, k] < y[s, best]:"),)),
    Mutant("confusion_transposed", "confusion_matrix.counts", (("cm[_class(y[s]), _class(t[s])]",
                                                                "cm[_class(t[s]), _class(y[s])]"),)),
    Mutant("rate_divided_by_n", "train.iris_accuracy",
           (("            w1, w2 = backprop(x[i], t[i], w1, w2, eta, beta)",
             "            w1, w2 = backprop(x[i], t[i], w1, w2, eta / len(x), beta)"),), base="course_style"),
    # In the other correct variants' styles.
    Mutant("bias_node_zero", "forward.bias_node", (("hidden = np.ones((a.shape[0], a.shape[1] + 1)) * -1.0", "hidden = np.zeros((a.shape[0], a.shape[1] + 1))"),), base="outer_rows"),
    Mutant("bias_node_first", "forward.bias_node", (("hidden = np.c_[a, -np.ones(len(a))]", "hidden = np.c_[-np.ones(len(a)), a]"),
                                                    ("a = hidden[:-1]", "a = hidden[1:]"),
                                                    ("self.v2 - eta * np.outer(d_o, hidden)", "self.v2 - eta * np.outer(d_o, np.roll(hidden, -1))"),
                                                    ("return hidden, expit(self.beta * (self.v2 @ hidden.T)).T", "return hidden, expit(self.beta * (self.v2 @ np.roll(hidden, -1, axis=1).T)).T")), base="class_transposed"),
    Mutant("beta_only_on_outputs", "forward.logistic", (("a = _sigma(np.dot(x, w1), beta)", "a = _sigma(np.dot(x, w1), 1.0)"),), base="outer_rows"),
    Mutant("epochs_off_by_one", "train.error_curve", (("    for epoch in range(epochs):\n        for i in rng.choice", "    for epoch in range(epochs - 1):\n        for i in rng.choice"),), base="choice_order"),
    Mutant("error_mean_not_sum", "train.error_curve", (("errs[e] = 0.5 * np.linalg.norm(forward(x, w1, w2, beta)[1] - t) ** 2", "errs[e] = 0.5 * np.mean((forward(x, w1, w2, beta)[1] - t) ** 2)"),), base="clipped_exp"),
    Mutant("error_during_epoch", "train.error_curve", (("        for i in rng.choice(n, n, replace=False):\n            w1, w2 = backprop(x[i], t[i], w1, w2, eta, beta)\n        for i in range(n):\n            y = forward(x[i:i + 1], w1, w2, beta)[1][0]\n            errors[epoch] += 0.5 * np.dot(y - t[i], y - t[i])",
                                                       "        for i in rng.choice(n, n, replace=False):\n            y = forward(x[i:i + 1], w1, w2, beta)[1][0]\n            errors[epoch] += 0.5 * np.dot(y - t[i], y - t[i])\n            w1, w2 = backprop(x[i], t[i], w1, w2, eta, beta)"),), base="choice_order"),
    Mutant("shuffle_once", "train.shuffles_with_rng", (("    for _ in range(epochs):\n        perm = rng.permutation(len(x))", "    perm = rng.permutation(len(x))\n    for _ in range(epochs):"),), base="outer_rows"),
    Mutant("shuffles_x_not_t", "train.online_epoch", (("xs, ts = x[perm], t[perm]", "xs, ts = x[perm], t"),), base="outer_rows"),
    Mutant("train_returns_initial_weights", "train.online_epoch", (("    return np.array(w1, dtype=float), np.array(w2, dtype=float), np.array(errors)", "    return np.array(w1_start, dtype=float), np.array(w2_start, dtype=float), np.array(errors)"),
                                                                   ("    errors = []\n    for _ in range(epochs):", "    errors = []\n    w1_start, w2_start = w1, w2\n    for _ in range(epochs):")), base="outer_rows"),
    Mutant("train_in_place", "train.inputs_untouched", (("    w1 = np.array(w1, dtype=float)\n    w2 = np.array(w2, dtype=float)\n    errors = np.zeros(epochs)", "    errors = np.zeros(epochs)"),
                                                       ("            w1, w2 = backprop(x[i], t[i], w1, w2, eta, beta)\n        for i in range(n):", "            n1, n2 = backprop(x[i], t[i], w1, w2, eta, beta)\n            w1[...] = n1\n            w2[...] = n2\n        for i in range(n):")), base="choice_order"),
    Mutant("predict_argmax_axis0", "predict.classes", (("    return y.argmax(axis=-1)", "    return y.argmax(axis=0)"),), base="outer_rows"),
    Mutant("predict_single_output_argmax", "predict.classes", (("    if y.shape[1] == 1:\n        return np.where(y[:, 0] > 0.5, 1, 0)\n", ""),), base="outer_rows"),
    Mutant("predict_rounds_outputs", "predict.classes", (("    return np.argmax(y, axis=1, keepdims=True).ravel()", "    return np.argmax(np.round(y), axis=1)"),), base="choice_order"),
    Mutant("recall_precision_swapped", "class_scores.recall_precision", (("    return recall, precision, cm.trace() / cm.sum()", "    return precision, recall, cm.trace() / cm.sum()"),), base="outer_rows"),
    Mutant("scores_nan_on_empty", "class_scores.recall_precision", (("    with np.errstate(all=\"ignore\"):\n        r = np.nan_to_num(d / cm.sum(0))", "    with np.errstate(all=\"ignore\"):\n        r = d / cm.sum(0)"),), base="clipped_exp"),
    Mutant("confusion_transposed_eye", "confusion_matrix.counts", (("return np.eye(k, dtype=int)[p].T @ np.eye(k, dtype=int)[q]", "return np.eye(k, dtype=int)[q].T @ np.eye(k, dtype=int)[p]"),), base="class_transposed"),
]
MUTANTS += [
    Mutant("samples_with_replacement", "train.online_epoch", (("for i in rng.permutation(len(x)):",
                                                               "for i in rng.integers(0, len(x), len(x)):"),),
           base="class_transposed"),
    Mutant("hidden_without_bias_node", "forward.shapes", (("    return hidden, y\n", "    return hidden[:, :-1], y\n"),)),
    Mutant("error_of_the_last_epoch_only", "train.error_curve",
           (("    errors = np.zeros(epochs)\n    for epoch in range(epochs):\n        order",
             "    errors = np.zeros(epochs)\n    for epoch in range(epochs):\n        total = 0.0\n        order"),
            ("        total = 0.0\n        for s in range(len(x)):", "        for s in range(len(x)):"),
            ("        errors[epoch] = total\n", ""),
            ("    return w1, w2, errors\n", "    errors[-1] = total\n    return w1, w2, errors\n"))),
    Mutant("backprop_returns_w2_first", GRADIENT, (("    return new_w1, new_w2\n", "    return new_w2, new_w1\n"),)),
    Mutant("forward_returns_y_first", "forward.shapes", (("    return hidden, y\n", "    return y, hidden\n"),)),
]
MUTANTS += [
    Mutant("restarts_from_initial_weights", "train.online_epoch",
           (("    for epoch in range(epochs):\n        order = rng.permutation(len(x))\n",
             "    start1, start2 = w1, w2\n    for epoch in range(epochs):\n        w1, w2 = start1, start2\n"
             "        order = rng.permutation(len(x))\n"),)),
    Mutant("eta_decays", "train.online_epoch", (("            net.step(x[i], t[i], eta)", "            net.step(x[i], t[i], eta / (e + 1))"),),
           base="class_transposed"),
]
#: Shuffles that draw a new order every epoch, but only some orders: of three samples, two each epoch, so that the
#: second order is always (Sattolo's) or often (the last sample left out) one the first epoch's order predicts.
#: train.shuffles_with_rng names what the first orders show (tests/mlp/test_shuffle_flaws.py).
LAST_SAMPLE_LEFT_OUT = Mutant("shuffle_leaves_out_last_sample", "train.shuffles_with_rng",
                              (("order = rng.permutation(len(x))",
                                "order = np.append(rng.permutation(len(x) - 1), len(x) - 1)"),))
SATTOLO = Mutant("sattolo_shuffle", "train.shuffles_with_rng",
                 (("        order = rng.permutation(len(x))\n",
                   "        order = list(range(len(x)))\n        for i in range(len(x) - 1, 0, -1):\n"
                   "            j = int(rng.integers(0, i))\n            order[i], order[j] = order[j], order[i]\n"),))
#: Sattolo's shuffle fails the check in every example kept; the other, only for some runs of seeds.
MUTANTS += [SATTOLO]

MUTANTS += [
    # The outputs made 0/1 (one-hot) in the caller's array before counting: the right counts, y changed.
    Mutant("confusion_rounds_y_in_place", "confusion_matrix.inputs_untouched", (ROUND_Y_IN_PLACE,)),
    # The classes kept in the caller's x, in its bias column: the right classes, x changed.
    Mutant("predict_stores_classes_in_x", "predict.inputs_untouched",
           (("            classes[s] = best\n    return classes", "            classes[s] = best\n    x[:, -1] = classes\n    return classes"),)),
]

MUTANTS += [
    # The bias node +1, used as such by the outputs: one bug, forward.bias_node's; the logistic neurons are right.
    Mutant("bias_node_plus_one_padded", "forward.bias_node", (("constant_values=-1.0", "constant_values=1.0"),),
           base="tanh_einsum"),
    # A single output of exactly 0.5 is not above 0.5: class 0.
    Mutant("predict_half_is_class_1", "predict.classes", (("classes[s] = 1 if y[s, 0] > 0.5 else 0",
                                                           "classes[s] = 1 if y[s, 0] >= 0.5 else 0"),)),
    # Equal outputs: the class is the first of them, not the last ('>=' in the loop, np.argmax of the outputs
    # reversed). Drawn outputs tie only within rounding, where either class is accepted: only w2 all zero shows it.
    Mutant("predict_last_of_ties", "predict.classes", (("if y[s, k] > y[s, best]:", "if y[s, k] >= y[s, best]:"),)),
    Mutant("predict_argmax_reversed", "predict.classes",
           (("    return np.argmax(y, axis=1, keepdims=True).ravel()",
             "    return y.shape[1] - 1 - np.argmax(y[:, ::-1], axis=1)"),), base="choice_order"),
]

#: Bugs of the epochs after the second: only a run of three epochs or more shows them (the error curve's check runs
#: one sample for 3 to 6 epochs against the chain of the student's own backprop steps).
MUTANTS += [
    # The error computed once after the loop and stored for every epoch: the last entry is right.
    Mutant("error_curve_computed_once", "train.error_curve",
           (("        errors[epoch] += 0.5 * np.dot(y - t[i], y - t[i])\n    return w1, w2, errors",
             "        errors[epoch] += 0.5 * np.dot(y - t[i], y - t[i])\n    errors[:] = errors[-1]\n"
             "    return w1, w2, errors"),), base="choice_order"),
    # Stops when an epoch lowers the error by less than 0.01 (or 0.001), the last error copied forward.
    Mutant("stops_on_plateau", "train.error_curve",
           (("        errors[epoch] = total\n",
             "        errors[epoch] = total\n        if epoch > 0 and errors[epoch - 1] - errors[epoch] < 1e-2:\n"
             "            errors[epoch:] = errors[epoch]\n            break\n"),)),
    Mutant("stops_on_small_plateau", "train.error_curve",
           (("        errs[e] = 0.5 * np.linalg.norm(forward(x, w1, w2, beta)[1] - t) ** 2\n",
             "        errs[e] = 0.5 * np.linalg.norm(forward(x, w1, w2, beta)[1] - t) ** 2\n"
             "        if e > 0 and errs[e - 1] - errs[e] < 1e-3:\n            errs[e:] = errs[e]\n            break\n"),),
           base="clipped_exp"),
    # Stops when an epoch lowers the error by less than 1e-4: only a network whose error is nearly flat shows it.
    Mutant("stops_on_tiny_plateau", "train.error_curve",
           (("        errors[epoch] = total\n",
             "        errors[epoch] = total\n        if epoch > 0 and errors[epoch - 1] - errors[epoch] < 1e-4:\n"
             "            errors[epoch:] = errors[epoch]\n            break\n"),)),
    # Trains two epochs, then copies the last error forward.
    Mutant("trains_only_two_epochs", "train.error_curve",
           (("    for _ in range(epochs):\n        shuffle(order, rng)\n",
             "    for epoch in range(epochs):\n        if epoch >= 2:\n            errors.append(errors[-1])\n"
             "            continue\n        shuffle(order, rng)\n"),), base="course_style"),
]
#: Single-bug mutants whose every other failing check must be linked to the owner (``caused_by``): the owner is the
#: root of the report.  Graded with the hidden checks where the bug reaches them (the iris run goes through train
#: and predict).
DIAGNOSED = [
    # beta as an exponent: NaN outputs wherever h < 0 and beta is not a whole number, in the same places every run.
    Mutant("nan_outputs", "forward.logistic", (("return 0.5 + 0.5 * np.tanh(0.5 * beta * h)",
                                                "return 0.5 + 0.5 * np.tanh(0.5 * h ** beta)"),), base="choice_order"),
    Mutant("predict_argmin", "predict.classes", (("return np.argmax(y, axis=1, keepdims=True).ravel()",
                                                  "return np.argmin(y, axis=1, keepdims=True).ravel()"),),
           base="choice_order"),
    Mutant("forward_outputs_transposed", "forward.shapes", (("    return hidden, sigmoid(np.matmul(hidden, w2), beta)\n",
                                                             "    return hidden, sigmoid(np.matmul(hidden, w2), beta).T\n"),),
           base="choice_order"),
    # The same in a style whose backprop and train compute with forward's outputs: their checks fail too.
    Mutant("forward_outputs_transposed_rows", "forward.shapes", (("    return hidden, _sigma(np.dot(hidden, w2), beta)\n",
                                                                  "    return hidden, _sigma(np.dot(hidden, w2), beta).T\n"),),
           base="outer_rows"),
    # backprop returns the weights it was given: every order of the samples ends where it started, so the check of
    # the shuffling (which keeps only examples whose orders end apart, through the student's backprop) can keep none.
    Mutant("backprop_returns_its_input", GRADIENT, (("    return new_w1, new_w2", "    return w1, w2"),)),
]
