"""The MLP's mutant corpus: real bugs, each a small edit of a correct variant, and the check that owns it.

The back-propagation bugs the gradient check exists for are listed in ``GRADIENT_BUGS``.
"""

from __future__ import annotations

from pathlib import Path

from tests.perceptron.mutants import Mutant as _Mutant

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
    Mutant("shuffles_data_in_place", "train.inputs_untouched",
           (("        order = rng.permutation(len(x))\n", "        order = rng.permutation(len(x))\n"
             "        x[:] = x[order]\n        t[:] = t[order]\n        order = range(len(x))\n"),)),
    Mutant("predict_smallest_output", "predict.classes", (("if y[s, k] > y[s, best]:", "if y[s, k] < y[s, best]:"),)),
    Mutant("confusion_transposed", "confusion_matrix.counts", (("cm[_class(y[s]), _class(t[s])]",
                                                                "cm[_class(t[s]), _class(y[s])]"),)),
    Mutant("rate_divided_by_n", "train.iris_accuracy",
           (("            w1, w2 = backprop(x[i], t[i], w1, w2, eta, beta)",
             "            w1, w2 = backprop(x[i], t[i], w1, w2, eta / len(x), beta)"),), base="course_style"),
]
