"""The mutant corpus: real bugs, each a small edit of a correct implementation.

Each mutant names its base (a file of ``variants/``) and the edits that make the
bug; an edit whose text is not found is an error, so a mutant can never silently
become the correct program.  Add a bug here when you meet a new one in the wild.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

VARIANTS = Path(__file__).parent / "variants"


@dataclass(frozen=True)
class Mutant:
    name: str
    edits: tuple[tuple[str, str], ...]
    base: str = "loops"

    def source(self) -> str:
        text = (VARIANTS / f"{self.base}.py").read_text(encoding="utf-8")
        for old, new in self.edits:
            if old not in text:
                raise AssertionError(f"mutant {self.name}: {old!r} not found in variants/{self.base}.py")
            text = text.replace(old, new)
        return text


MUTANTS = [
    Mutant("farthest_center", (("if d <= best_d:", "if d >= best_d:"),)),
    Mutant("distance_2d_only", (("    s = 0.0\n    for i in range(len(a)):\n        s += (a[i] - b[i]) ** 2\n"
                                 "    return s", "    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2"),)),
    Mutant("l1_distance", (("s += (a[i] - b[i]) ** 2", "s += abs(a[i] - b[i])"),)),
    Mutant("misses_last_center", (("        for j in range(len(centers)):\n            d = distance",
                                   "        for j in range(len(centers) - 1):\n            d = distance"),)),
    Mutant("float_labels", (("    labels = np.zeros(len(data), dtype=int)\n    for i in range(len(data)):",
                             "    labels = np.zeros(len(data))\n    for i in range(len(data)):"),
                            ("sums[labels[i]] += data[i]\n        counts[labels[i]] += 1",
                             "sums[int(labels[i])] += data[i]\n        counts[int(labels[i])] += 1"))),
    Mutant("empty_cluster_nan", (("        if counts[j] > 0:\n            new[j] = sums[j] / counts[j]",
                                  "        with np.errstate(all='ignore'):\n            new[j] = sums[j] / counts[j]"),)),
    Mutant("empty_cluster_origin", (("    new = np.array(centers, dtype=float)\n    for j in range(k):",
                                     "    new = np.zeros_like(centers, dtype=float)\n    for j in range(k):"),)),
    Mutant("median_not_mean", (("            new[j] = sums[j] / counts[j]",
                                "            new[j] = np.median(data[labels == j], axis=0)"),)),
    Mutant("global_mean", (("            new[j] = sums[j] / counts[j]", "            new[j] = data.mean(axis=0)"),)),
    Mutant("update_modifies_centers", (("    new = np.array(centers, dtype=float)\n    for j in range(k):",
                                        "    new = centers\n    for j in range(k):"),)),
    Mutant("kmeans_modifies_data", (("    centers = np.array(centers, dtype=float)\n    labels = np.zeros",
                                     "    data -= 0.0 * data + data.mean(axis=0) * 0\n    data[...] = data\n"
                                     "    data *= 1.0\n    data += 0\n    data[0] = data[0] + 0.5\n"
                                     "    centers = np.array(centers, dtype=float)\n    labels = np.zeros"),)),
    Mutant("ignores_eps", (("        if move <= eps:", "        if move <= 0.0:"),)),
    Mutant("stops_after_one_iteration", (("        if move <= eps:", "        if True:"),)),
    Mutant("strict_less_than_eps", (("        if move <= eps:", "        if move < eps:"),)),
    Mutant("move_not_squared", (("            move += distance(new[j], centers[j])",
                                 "            move += distance(new[j], centers[j]) ** 0.5"),)),
    Mutant("max_iter_plus_one", (("    while n_iter < max_iter:", "    while n_iter <= max_iter:"),)),
    Mutant("ignores_max_iter", (("    while n_iter < max_iter:", "    while True:"),)),
    Mutant("n_iter_off_by_one", (("    n_iter = 0\n", "    n_iter = 1\n"),)),
    Mutant("update_before_association", (("        labels = assign(data, centers)\n        new = update(data, labels, centers)",
                                          "        new = update(data, labels, centers)\n        labels = assign(data, new)"),)),
    Mutant("labels_of_final_centers", (("    return centers, labels, n_iter", "    return centers, assign(data, centers), n_iter"),)),
    Mutant("init_with_replacement", (("replace=False", "replace=True"),)),
    Mutant("init_ignores_generator", (("indices = rng.choice(n, size=k, replace=False)",
                                       "indices = np.random.default_rng(0).choice(n, size=k, replace=False)"),)),
    Mutant("init_global_numpy_random", (("indices = rng.choice(n, size=k, replace=False)",
                                         "indices = np.random.choice(n, size=k, replace=False)"),)),
    Mutant("init_no_error_for_impossible_k", (("    if k < 1 or k > n:\n        raise ValueError(\"k must be between 1 and n\")\n", ""),)),
    Mutant("init_first_k_points", (("indices = rng.choice(n, size=k, replace=False)", "indices = range(k)"),)),
    Mutant("assign_returns_list", (("    return labels\n", "    return [float(x) for x in labels]\n"),)),
    Mutant("update_returns_int", (("    new = np.array(centers, dtype=float)\n    for j in range(k):",
                                   "    new = np.array(centers, dtype=float)\n    for j in range(k):\n        pass\n"
                                   "    new = new.astype(int)\n    for j in range(k):"),)),
    Mutant("kmeans_returns_two_values", (("    return centers, labels, n_iter", "    return centers, labels"),)),
]
