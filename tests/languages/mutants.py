"""The C and Fortran mutant corpora: the bug classes of the Python corpus, each a small edit of a correct
variant (``variants/loops.c``, ``variants/loops.f90``), and the check that must catch it.

An edit whose text is not found is an error, so a mutant can never silently become the correct program.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

VARIANTS = Path(__file__).parent / "variants"


@dataclass(frozen=True)
class Mutant:
    name: str
    language: str
    edits: tuple[tuple[str, str], ...]
    #: At least one of these checks must fail (the one that diagnoses the bug).
    caught_by: tuple[str, ...]

    def source(self) -> str:
        base = VARIANTS / ("loops.c" if self.language == "c" else "loops.f90")
        text = base.read_text(encoding="utf-8")
        for old, new in self.edits:
            if old not in text:
                raise AssertionError(f"mutant {self.name}: {old!r} not found in {base.name}")
            text = text.replace(old, new)
        return text


def c(name: str, edits, *caught_by: str) -> Mutant:
    return Mutant(name, "c", tuple(edits), caught_by)


def f(name: str, edits, *caught_by: str) -> Mutant:
    return Mutant(name, "fortran", tuple(edits), caught_by)


C_MUTANTS = [
    c("farthest_center", [("double best = INFINITY;", "double best = -1.0;"), ("if (dist <= best)", "if (dist >= best)")],
      "assign.nearest_center"),
    c("distance_2d_only", [("    for (int j = 0; j < d; j++)\n        sum += (a[j] - b[j]) * (a[j] - b[j]);",
                            "    for (int j = 0; j < 2; j++)\n        sum += (a[j] - b[j]) * (a[j] - b[j]);")],
      "assign.nearest_center", "kmeans.any_dimension"),
    c("l1_distance", [("sum += (a[j] - b[j]) * (a[j] - b[j]);", "sum += fabs(a[j] - b[j]);")],
      "assign.nearest_center"),
    c("misses_last_center", [("for (int c = 0; c < k; c++) {\n            double dist",
                              "for (int c = 0; c < k - 1; c++) {\n            double dist")],
      "assign.nearest_center"),
    c("strict_less_ties_unset", [("double best = INFINITY;", "double best = 1e300;"),
                                 ("if (dist <= best)", "if (dist < best && dist > 0.0)")],
      "assign.nearest_center"),
    c("empty_cluster_nan", [("            if (count > 0)\n                new_centers[c * d + j] /= count;\n"
                             "            else\n                new_centers[c * d + j] = centers[c * d + j];",
                             "            new_centers[c * d + j] /= count;")],
      "update.empty_cluster_keeps_center"),
    c("empty_cluster_origin", [("            else\n                new_centers[c * d + j] = centers[c * d + j];", "")],
      "update.empty_cluster_keeps_center"),
    c("last_point_not_mean", [("new_centers[c * d + j] += data[i * d + j];", "new_centers[c * d + j] = data[i * d + j];"),
                              ("count++;", "count = 1;")],
      "update.centroids"),
    c("update_modifies_centers", [("    for (int c = 0; c < k; c++) {\n        int count = 0;",
                                   "    ((double *)centers)[0] += 1.0;\n    for (int c = 0; c < k; c++) {\n"
                                   "        int count = 0;")],
      "update.inputs_untouched", "update.centroids"),
    c("assign_modifies_data", [("    for (int i = 0; i < n; i++) {\n        double best",
                                "    ((double *)data)[0] = 0.0;\n    for (int i = 0; i < n; i++) {\n        double best")],
      "assign.inputs_untouched", "assign.nearest_center"),
    c("kmeans_modifies_data", [("    int n_iter = 0;\n", "    int n_iter = 0;\n    ((double *)data)[0] += 0.5;\n")],
      "kmeans.inputs_untouched"),
    c("ignores_eps", [("if (move <= eps)", "if (move <= 0.0)")], "kmeans.stops_at_eps"),
    c("stops_after_one_iteration", [("if (move <= eps)", "if (1)")],
      "kmeans.stops_at_eps", "kmeans.fixed_point", "kmeans.respects_max_iter"),
    c("strict_less_than_eps", [("if (move <= eps)", "if (move < eps)")], "kmeans.stops_at_eps"),
    c("move_not_squared", [("move += distance(&new_centers[c * d], &centers[c * d], d);",
                            "move += sqrt(distance(&new_centers[c * d], &centers[c * d], d));")],
      "kmeans.stops_at_eps"),
    c("max_iter_plus_one", [("while (n_iter < max_iter)", "while (n_iter <= max_iter)")], "kmeans.respects_max_iter"),
    c("ignores_max_iter", [("while (n_iter < max_iter)", "while (1)")], "kmeans.respects_max_iter"),
    c("n_iter_off_by_one", [("    int n_iter = 0;\n", "    int n_iter = 1;\n")],
      "kmeans.respects_max_iter", "kmeans.stops_at_eps"),
    c("update_before_association", [("        assign(data, n, d, centers, k, labels);\n"
                                      "        update(data, n, d, labels, centers, k, new_centers);",
                                      "        update(data, n, d, labels, centers, k, new_centers);\n"
                                      "        assign(data, n, d, new_centers, k, labels);")],
      "kmeans.lloyd_iterations"),
    c("init_with_replacement", [("        while (taken[i])\n            i = random_index(&state, n);\n", "")],
      "init_centers.distinct_data_points"),
    c("init_ignores_seed", [("uint64_t state = seed;", "uint64_t state = 42;")], "init_centers.uses_generator"),
    c("init_first_k_points", [("        int i = random_index(&state, n);", "        int i = c;")],
      "init_centers.uses_generator"),
    c("init_no_error_for_impossible_k", [("    if (k < 1 || k > n)\n        return -1;\n", "    if (k < 1)\n        k = 1;\n")],
      "init_centers.rejects_impossible_k"),
]

F_MUTANTS = [
    f("zero_based_labels", [("          labels(i) = c\n", "          labels(i) = c - 1\n")], "assign.nearest_center"),
    f("loop_from_zero", [("      do c = 1, k\n        dist = distance", "      do c = 0, k\n        dist = distance")],
      "assign.nearest_center"),
    f("misses_last_center", [("      do c = 1, k\n        dist = distance", "      do c = 1, k - 1\n        dist = distance")],
      "assign.nearest_center"),
    f("farthest_center", [("best = huge(best)", "best = -1.0d0"), ("if (dist <= best)", "if (dist >= best)")],
      "assign.nearest_center"),
    f("distance_2d_only", [("    do j = 1, d\n      dist = dist + (a(j) - b(j))**2",
                            "    do j = 1, 2\n      dist = dist + (a(j) - b(j))**2")],
      "assign.nearest_center", "kmeans.any_dimension"),
    f("l1_distance", [("dist = dist + (a(j) - b(j))**2", "dist = dist + abs(a(j) - b(j))")], "assign.nearest_center"),
    f("empty_cluster_origin", [("      else\n        new_centers(c, :) = centers(c, :)\n", "")],
      "update.empty_cluster_keeps_center"),
    f("update_counts_from_zero", [("    do i = 1, n\n      counts(labels(i))", "    do i = 0, n\n      counts(labels(i))")],
      "update.centroids"),
    f("kmeans_modifies_data", [("    real(c_double), intent(in) :: data(n, d), init(k, d)\n    real(c_double), intent(inout) :: centers(k, d)",
                                "    real(c_double), intent(inout) :: data(n, d)\n    real(c_double), intent(in) :: init(k, d)\n"
                                "    real(c_double), intent(inout) :: centers(k, d)"),
                               ("    centers = init\n    labels = 1\n", "    centers = init\n    labels = 1\n    data(1, 1) = data(1, 1) + 0.5d0\n")],
      "kmeans.inputs_untouched"),
    f("ignores_eps", [("if (move <= eps) exit", "if (move <= 0.0d0) exit")], "kmeans.stops_at_eps"),
    f("strict_less_than_eps", [("if (move <= eps) exit", "if (move < eps) exit")], "kmeans.stops_at_eps"),
    f("stops_after_one_iteration", [("if (move <= eps) exit", "exit")],
      "kmeans.stops_at_eps", "kmeans.fixed_point", "kmeans.respects_max_iter"),
    f("max_iter_plus_one", [("do while (n_iter < max_iter)", "do while (n_iter <= max_iter)")], "kmeans.respects_max_iter"),
    f("init_ignores_seed", [("    state = seed\n", "    state = 42_c_int64_t\n")], "init_centers.uses_generator"),
    f("init_with_replacement", [("      do while (taken(i))\n        i = random_index(state, n)\n      end do\n", "")],
      "init_centers.distinct_data_points"),
    f("init_no_error_for_impossible_k", [("    if (k < 1 .or. k > n) then\n      status = -1\n      return\n    end if\n", "")],
      "init_centers.rejects_impossible_k"),
    f("init_zero_based_index", [("      taken(i) = .true.\n      centers(c, :) = data(i, :)",
                                 "      taken(i) = .true.\n      centers(c, :) = data(i - 1, :)")],
      "init_centers.distinct_data_points"),
]

MUTANTS = C_MUTANTS + F_MUTANTS
