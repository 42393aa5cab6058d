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
    # The smallest distance so far started at a large number rather than the first center's: a point farther than
    # 1e5 from every center keeps label 0.
    Mutant("assign_finite_start", (("        best_d = distance(data[i], centers[0])\n",
                                    "        best_d = 1e10\n"),)),
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
    # An empty cluster treated as an error: the only property broken is the empty cluster's.
    Mutant("empty_cluster_raises", (("        if counts[j] > 0:\n            new[j] = sums[j] / counts[j]",
                                     "        if counts[j] == 0:\n            raise ValueError('empty cluster')\n"
                                     "        new[j] = sums[j] / counts[j]"),)),
    # Work arrays of a fixed size, enough for the course's data: more than 10 centers overflow them.
    Mutant("update_fixed_size_counts", (("def update(data, labels, centers):\n    k, ndim = centers.shape\n"
                                         "    sums = np.zeros((k, ndim))\n    counts = np.zeros(k, dtype=int)\n",
                                         "MAX_K = 10\n_COUNTS = np.zeros(MAX_K, dtype=int)\n\n\n"
                                         "def update(data, labels, centers):\n    k, ndim = centers.shape\n"
                                         "    sums = np.zeros((k, ndim))\n    counts = _COUNTS\n    counts[:] = 0\n"),)),
    # The main loop's previous centers kept in an array of a fixed size: more than 10 centers overflow it (in C, a
    # `double old[MAX_K][d]` written past its end).
    Mutant("kmeans_fixed_size_previous",
           (("def kmeans(data, centers, eps=1e-3, max_iter=100):\n    centers = np.array(centers, dtype=float)\n",
             "MAX_K = 10\n\n\ndef kmeans(data, centers, eps=1e-3, max_iter=100):\n"
             "    centers = np.array(centers, dtype=float)\n    previous = np.zeros((MAX_K, centers.shape[1]))\n"),
            ("        move = 0.0\n        for j in range(len(centers)):\n            move += distance(new[j], centers[j])\n",
             "        previous[:len(centers)] = centers\n        move = 0.0\n        for j in range(len(centers)):\n"
             "            move += distance(new[j], previous[j])\n"))),
    Mutant("empty_cluster_origin", (("    new = np.array(centers, dtype=float)\n    for j in range(k):",
                                     "    new = np.zeros_like(centers, dtype=float)\n    for j in range(k):"),)),
    Mutant("median_not_mean", (("            new[j] = sums[j] / counts[j]",
                                "            new[j] = np.median(data[labels == j], axis=0)"),)),
    Mutant("global_mean", (("            new[j] = sums[j] / counts[j]", "            new[j] = data.mean(axis=0)"),)),
    # Centers that overflow to inf: inf <= inf, the error "never increases" unless infinity is told apart.
    Mutant("update_returns_inf", (("    return new\n", "    new[:] = np.inf\n    return new\n"),)),
    # State kept between calls: the first call fails (a table built lazily, used before it is filled), every later
    # one is right.  Which student of a class fills the example cache must not change its grade.
    Mutant("assign_fails_on_its_first_call",
           (("def assign(data, centers):\n    labels = np.zeros(len(data), dtype=int)\n",
             "_table = {}\n\n\ndef assign(data, centers):\n    if not _table:\n        _table['ready'] = True\n"
             "        raise KeyError('ready')\n    labels = np.zeros(len(data), dtype=int)\n"),)),
    # The main loop gives update the initial centers: a center that moved, then lost its points, goes back.
    Mutant("update_from_initial_centers", (("    centers = np.array(centers, dtype=float)\n",
                                            "    centers = np.array(centers, dtype=float)\n    start = centers.copy()\n"),
                                           ("        new = update(data, labels, centers)\n",
                                            "        new = update(data, labels, start)\n"))),
    # The main loop computes the means itself: a center without points becomes NaN (numpy's mean of nothing).
    Mutant("main_loop_means_of_nothing", (("        new = update(data, labels, centers)\n",
                                           "        new = np.array([data[labels == j].mean(axis=0) if np.any(labels == j)"
                                           " else np.full(data.shape[1], np.nan) for j in range(len(centers))])\n"),)),
    # The labels of the association before the last one returned.
    Mutant("labels_one_iteration_behind", (("        labels = assign(data, centers)\n        new = update",
                                            "        behind = labels\n        labels = assign(data, centers)\n"
                                            "        new = update"),
                                           ("    return centers, labels, n_iter",
                                            "    return centers, (behind if n_iter > 1 else labels), n_iter"))),
    # Ties broken one way or the other depending on how many calls came before: runs on the same input disagree.
    Mutant("ties_broken_by_call_count", (("def assign(data, centers):\n",
                                          "_CALLS = [0]\n\n\ndef assign(data, centers):\n    _CALLS[0] += 1\n"),
                                         ("            if d <= best_d:",
                                          "            if d < best_d or (d == best_d and _CALLS[0] % 2):"))),
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
    # The C idiom `for (step = 0; step < max_iter; step++) { ...; if (move <= eps) break; } return step;`: the
    # break skips the count of the iteration it leaves, so n_iter is one short when the loop ends on eps.
    Mutant("n_iter_not_counted_on_break", (("        n_iter += 1\n        if move <= eps:\n            break",
                                            "        if move <= eps:\n            break\n        n_iter += 1"),)),
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
    # Bugs met in styles other than plain loops (bases: the other correct variants).
    Mutant("init_never_picks_last_point", (("rng.choice(len(data), size=k, replace=False)",
                                            "rng.choice(len(data) - 1, size=k, replace=False)"),), base="random_ties"),
    Mutant("init_rejects_k_equal_n", (("if k < 1 or k > len(data):", "if k < 1 or k >= len(data):"),),
           base="first_tie_uint8"),
    Mutant("init_shuffles_data", (("    indices = np.arange(len(data))\n    rng.shuffle(indices)\n"
                                   "    return np.asarray(data, dtype=float)[indices[:k]]",
                                   "    rng.shuffle(data)\n    return np.array(data[:k], dtype=float)"),), base="masked"),
    Mutant("init_random_module", (("picked = rng.choice(len(data), k, replace=False).tolist()",
                                   "picked = random.sample(range(len(data)), k)"),
                                  ("import functools\n", "import functools\nimport random\n")),
           base="functools_reduce"),
    Mutant("init_returns_indices", (("    return data[np.sort(rng.choice(data.shape[0], size=k, replace=False))].astype(float)",
                                     "    return np.sort(rng.choice(data.shape[0], size=k, replace=False))"),),
           base="sorted_reduceat"),
    Mutant("assign_sums_over_centers_axis", (("np.square(data[:, np.newaxis, :] - centers[np.newaxis, :, :]).sum(axis=2)",
                                              "np.square(data[:, np.newaxis, :] - centers[np.newaxis, :, :]).sum(axis=1)"),),
           base="argpartition"),
    Mutant("assign_chebyshev", (("    d2 = ((data[:, None, :] - centers[None, ::-1, :]) ** 2).sum(axis=-1)",
                                 "    d2 = np.abs(data[:, None, :] - centers[None, ::-1, :]).max(axis=-1)"),),
           base="last_tie_reversed"),
    Mutant("assign_forgets_best_index", (("            if d < best_d:\n                best, best_d = j, d",
                                          "            if d < best_d:\n                best_d = d"),),
           base="first_tie_uint8"),
    Mutant("assign_skips_last_point", (("    for i, p in enumerate(data):\n        ds =",
                                        "    for i, p in enumerate(data[:-1]):\n        ds ="),), base="running_mean"),
    Mutant("assign_all_tied_centers", (("        labels[i] = np.random.choice(np.flatnonzero(row == row.min()))\n    return labels",
                                        "        pass\n    return np.nonzero(d2 == d2.min(axis=1, keepdims=True))[1]"),),
           base="random_ties"),
    Mutant("assign_modifies_data", (("    d2 = np.zeros((data.shape[0], centers.shape[0]))\n",
                                     "    shift = data.mean(axis=0)\n    data -= shift\n    centers = centers - shift\n"
                                     "    d2 = np.zeros((data.shape[0], centers.shape[0]))\n"),), base="per_axis_loop"),
    Mutant("update_integer_sums", (("    sums = np.zeros((k, data.shape[1]))\n    np.add.at(sums, labels, data)",
                                    "    sums = np.zeros((k, data.shape[1]), dtype=int)\n"
                                    "    np.add.at(sums, labels, data.astype(int))"),), base="vq"),
    Mutant("update_floor_division", (("    new[filled] = sums[filled] / counts[filled, None]",
                                      "    new[filled] = sums[filled] // counts[filled, None]"),), base="class_einsum"),
    Mutant("update_forgets_to_divide", (("            new[j] = picked.sum(axis=0) / picked.shape[0]",
                                         "            new[j] = picked.sum(axis=0)"),), base="argpartition"),
    Mutant("update_mean_over_wrong_axis", (("            new[j] = np.mean(data[mask], axis=0)",
                                            "            new[j] = np.mean(data[mask], axis=1)"),), base="first_tie_uint8"),
    Mutant("update_singleton_stays", (("        if np.count_nonzero(mask):", "        if np.count_nonzero(mask) > 1:"),),
           base="first_tie_uint8"),
    Mutant("update_empty_takes_previous_mean", (("    means = [np.array(c, dtype=float) for c in centers]",
                                                 "    means = [np.array(c, dtype=float) for c in centers]\n"
                                                 "    fallback = np.array(centers[0], dtype=float)"),
                                                ("    return np.array(means)",
                                                 "    for j in range(len(means)):\n        if seen[j] == 0:\n"
                                                 "            means[j] = fallback\n        else:\n"
                                                 "            fallback = means[j]\n    return np.array(means)")),
           base="running_mean"),
    Mutant("update_empty_moves_to_random_point", (("        if np.all(labels != j):\n            new[j] = centers[j]",
                                                   "        if np.all(labels != j):\n"
                                                   "            new[j] = data[np.random.randint(len(data))]"),), base="masked"),
    # A cluster told empty by the sum of its points rather than their number: one whose points sum to 0 keeps its
    # previous center.
    Mutant("update_zero_sum_as_empty", (("        if counts[j] > 0:\n            new[j] = sums[j] / counts[j]",
                                         "        if sums[j].any():\n            new[j] = sums[j] / counts[j]"),)),
    Mutant("update_skips_first_point", (("    for point, label in zip(data, labels):",
                                         "    for point, label in zip(data[1:], labels[1:]):"),), base="running_mean"),
    Mutant("move_is_max_not_sum", (("        move = np.sum((new - current) ** 2)",
                                    "        move = np.max(np.sum((new - current) ** 2, axis=1))"),), base="argpartition"),
    Mutant("move_is_mean_not_sum", (("        move = float(np.sum((new - centers) ** 2))",
                                     "        move = float(np.mean((new - centers) ** 2))"),), base="vq"),
    Mutant("move_norm_not_squared", (("        move = np.linalg.norm(new - centers) ** 2",
                                      "        move = np.linalg.norm(new - centers)"),), base="last_tie_reversed"),
    Mutant("move_against_aliased_centers", (("        old = self.centers\n        self.centers = update(self.data, self.labels, old)",
                                             "        old = self.centers\n"
                                             "        self.centers[:] = update(self.data, self.labels, old)"),),
            base="class_einsum"),
    Mutant("eps_hard_coded", (("        if move <= eps:\n            return current, labels, step",
                               "        if move <= 1e-3:\n            return current, labels, step"),), base="argpartition"),
    Mutant("eps_squared", (("        if history[-1] <= eps:", "        if history[-1] <= eps ** 2:"),), base="sorted_reduceat"),
    Mutant("stops_when_labels_repeat", (("    centers = np.array(centers, dtype=float)\n    for n_iter in itertools.count(1):\n"
                                         "        labels = assign(data, centers)\n        new = update(data, labels, centers)\n"
                                         "        move = sum(distance(a, b) for a, b in zip(new, centers))\n"
                                         "        centers = new\n        if move <= eps or n_iter >= max_iter:",
                                         "    centers = np.array(centers, dtype=float)\n    labels = None\n"
                                         "    for n_iter in itertools.count(1):\n        previous = labels\n"
                                         "        labels = assign(data, centers)\n        new = update(data, labels, centers)\n"
                                         "        centers = new\n"
                                         "        if (previous is not None and np.array_equal(previous, labels)) or n_iter >= max_iter:"),),
           base="functools_reduce"),
    Mutant("max_iter_hard_coded", (("    while state.steps < max_iter:", "    while state.steps < 100:"),), base="class_einsum"),
    Mutant("max_iter_minus_one", (("        if n_iter == max_iter:\n            break",
                                   "        if n_iter >= max_iter - 1:\n            break"),), base="first_tie_uint8"),
    Mutant("n_iter_from_range_index", (("    for step in range(1, max_iter + 1):", "    for step in range(max_iter):"),
                                       ("    return current, labels, max_iter\n", "    return current, labels, step\n")),
           base="argpartition"),
    Mutant("returns_centers_before_last_update", (("        move = float(((new - centers) ** 2).sum())\n        centers = new\n"
                                                   "        n_iter += 1\n        if move <= eps:\n            break",
                                                   "        move = float(((new - centers) ** 2).sum())\n        n_iter += 1\n"
                                                   "        if move <= eps:\n            break\n        centers = new"),),
           base="random_ties"),
    Mutant("kmeans_asarray_modifies_centers", (("    centers = np.array(centers, dtype=float)\n    n_iter, move = 0, None",
                                                "    centers = np.asarray(centers, dtype=float)\n    n_iter, move = 0, None"),
                                               ("        centers = new\n        n_iter += 1\n    return",
                                                "        centers[...] = new\n        n_iter += 1\n    return")),
           base="chunked_views"),
    Mutant("kmeans_returns_max_iter", (("    return _step((np.array(centers, dtype=float), None, 0), data, eps, max_iter)",
                                        "    centers, labels, _ = _step((np.array(centers, dtype=float), None, 0), data, eps, max_iter)\n"
                                        "    return centers, labels, max_iter"),), base="recursive_loop_stats"),
    Mutant("assign_squeezes_distances", (("    d2 = np.square(data[:, np.newaxis, :] - centers[np.newaxis, :, :]).sum(axis=2)\n",
                                          "    d2 = np.square(data[:, np.newaxis, :] - centers[np.newaxis, :, :]).sum(axis=2).squeeze()\n"),), base="argpartition"),
    Mutant("assign_keepdims_column", (("    return d2.argmin(axis=1)\n", "    return d2.argmin(axis=1, keepdims=True)\n"),),
           base="per_axis_loop"),
    Mutant("init_unique_draws", (("    picked = rng.choice(len(data), k, replace=False).tolist()",
                                  "    picked = np.unique(rng.integers(0, len(data), size=k)).tolist()"),),
           base="functools_reduce"),
    Mutant("assign_integer_distances", (("    d2 = np.zeros((data.shape[0], centers.shape[0]))\n",
                                         "    d2 = np.zeros((data.shape[0], centers.shape[0]), dtype=int)\n"),
                                        ("        d2 += (data[:, axis, None] - centers[None, :, axis]) ** 2",
                                         "        d2 += ((data[:, axis, None] - centers[None, :, axis]) ** 2).astype(int)")),
           base="per_axis_loop"),
    Mutant("move_l1", (("        move = float(((new - centers) ** 2).sum())\n        centers = new\n        n_iter += 1\n    return",
                        "        move = float(np.abs(new - centers).sum())\n        centers = new\n        n_iter += 1\n    return"),),
           base="chunked_views"),
    Mutant("assign_first_center_label_minus_one", (("        best, best_d = 0, np.inf\n        for j, center in enumerate(centers):",
                                                    "        best, best_d = -1, distance(point, centers[0])\n"
                                                    "        for j, center in enumerate(centers[1:], 1):"),
                                                   ("    labels = np.empty(len(data), dtype=np.uint8)",
                                                    "    labels = np.empty(len(data), dtype=int)")),
           base="first_tie_uint8"),
    Mutant("assign_1d_signed_difference", (("def assign(data, centers):\n    k = len(centers)\n",
                                            "def assign(data, centers):\n    k = len(centers)\n    if data.shape[1] == 1:\n"
                                            "        return (k - 1) - np.argmin(data - centers[::-1].T, axis=1)\n"),),
           base="last_tie_reversed"),
    Mutant("n_iter_counts_moving_steps", (("        centers = new\n        n_iter += 1\n        if move <= eps:",
                                           "        centers = new\n        if move > 0:\n            n_iter += 1\n        if move <= eps:"),),
           base="longdouble"),
    # The loop's condition off by one, `<=`, in single precision: one iteration past max_iter.
    Mutant("max_iter_at_most_float32", (("    while n_iter < max_iter:", "    while n_iter <= max_iter:"),), base="float32"),
    Mutant("update_sorts_data", (("    order = np.argsort(labels, kind=\"stable\")\n    sorted_labels = labels[order]",
                                  "    order = np.argsort(labels, kind=\"stable\")\n    data[:] = data[order]\n"
                                  "    order = np.arange(len(data))\n    sorted_labels = labels[np.argsort(labels, kind=\"stable\")]"),),
           base="sorted_reduceat"),
]
