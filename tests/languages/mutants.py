"""The C and Fortran mutant corpora: the bug classes of the Python corpus, each a small edit of a correct
variant (``variants/loops.c``, ``variants/loops.f90`` unless the mutant names another), and the check that must
catch it.

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
    #: The correct variant the edits apply to (``loops.c`` or ``loops.f90`` when empty).
    base: str = ""

    def source(self) -> str:
        base = VARIANTS / (self.base or ("loops.c" if self.language == "c" else "loops.f90"))
        text = base.read_text(encoding="utf-8")
        for old, new in self.edits:
            if old not in text:
                raise AssertionError(f"mutant {self.name}: {old!r} not found in {base.name}")
            text = text.replace(old, new)
        return text


def c(name: str, edits, *caught_by: str, base: str = "") -> Mutant:
    return Mutant(name, "c", tuple(edits), caught_by, base)


def f(name: str, edits, *caught_by: str, base: str = "") -> Mutant:
    return Mutant(name, "fortran", tuple(edits), caught_by, base)


def _between(variant: str, start: str, end: str) -> str:
    """The text of ``variants/variant`` from ``start`` up to ``end`` included: what an edit replaces, read from the
    variant itself rather than copied (a copy could drift from it)."""
    text = (VARIANTS / variant).read_text(encoding="utf-8")
    first = text.index(start)
    return text[first:text.index(end, first) + len(end)]


#: The update phase of ``variants/loops.c``, and the same with work arrays of a fixed size.
_C_UPDATE = _between("loops.c", "void update(", "\n}\n")
_C_UPDATE_FIXED_SIZE = """static double sums[10][8]; /* enough for the course's data: 10 centers, 8 coordinates */
static int counts[10];

void update(const double *data, int n, int d, const int *labels, const double *centers, int k, double *new_centers)
{
    for (int c = 0; c < k; c++) {
        counts[c] = 0;
        for (int j = 0; j < d; j++)
            sums[c][j] = 0.0;
    }
    for (int i = 0; i < n; i++) {
        counts[labels[i]]++;
        for (int j = 0; j < d; j++)
            sums[labels[i]][j] += data[i * d + j];
    }
    for (int c = 0; c < k; c++)
        for (int j = 0; j < d; j++)
            new_centers[c * d + j] = counts[c] > 0 ? sums[c][j] / counts[c] : centers[c * d + j];
}
"""
#: The accumulation of ``variants/loops.f90``'s update phase, and the same in an array of a fixed size.
_F_UPDATE = _between("loops.f90", "    integer :: i, c, j, counts(k)\n", "new_centers(c, :) / counts(c)\n")
_F_UPDATE_FIXED_SIZE = """    integer :: i, c, j, counts(10)
    real(c_double) :: sums(10, 8)  ! enough for the course's data: 10 centers, 8 coordinates
    sums = 0.0d0
    counts = 0
    do i = 1, n
      counts(labels(i)) = counts(labels(i)) + 1
      do j = 1, d
        sums(labels(i), j) = sums(labels(i), j) + data(i, j)
      end do
    end do
    do c = 1, k
      if (counts(c) > 0) then
        new_centers(c, :) = sums(c, :d) / counts(c)
"""


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
    # A coordinate told empty by its sum rather than the count of points: a sum of exactly 0 keeps the previous one.
    c("update_zero_sum_as_empty", [("            if (count > 0)\n                new_centers[c * d + j] /= count;",
                                    "            if (new_centers[c * d + j] != 0.0)\n"
                                    "                new_centers[c * d + j] /= count;")],
      "update.centroids"),
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
    # The centers drawn before k is checked: -1 is returned, but the centers were written.
    c("init_writes_before_refusing", [("    if (k < 1 || k > n)\n        return -1;\n",
                                       "    for (int j = 0; j < d && k >= 1; j++)\n        centers[j] = data[j];\n"
                                       "    if (k < 1 || k > n)\n        return -1;\n")],
      "init_centers.rejects_impossible_k"),
    c("update_from_init", [("        update(data, n, d, labels, centers, k, new_centers);",
                            "        update(data, n, d, labels, init, k, new_centers);")], "kmeans.lloyd_iterations"),
    c("kmeans_modifies_init", [("    int n_iter = 0;\n", "    int n_iter = 0;\n    ((double *)init)[0] += 0.5;\n")],
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
    # Work arrays of a fixed size, large enough for the course's data files (2-D and 3-D): only more dimensions
    # than they hold show it.
    c("fixed_size_sums", [(_C_UPDATE, _C_UPDATE_FIXED_SIZE)], "kmeans.any_dimension"),
    # Only an index drawn again (k of n points, a repeat) comes from rand(): seen only when k > 1.
    c("init_repeat_redrawn_with_rand", [("        while (taken[i])\n            i = random_index(&state, n);\n",
                                         "        while (taken[i])\n            i = rand() % n;\n")],
      "init_centers.reproducible"),
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
    f("reads_center_k_plus_1", [("      do c = 1, k\n        dist = distance", "      do c = 1, k + 1\n        dist = distance")],
      "assign.nearest_center"),
    f("update_reads_label_n_plus_1", [("        do i = 1, n\n          if (labels(i) /= c) cycle",
                                       "        do i = 1, n + 1\n          if (labels(i) /= c) cycle")],
      "update.centroids", base="internal_elemental.f90"),
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
    f("fixed_size_sums", [(_F_UPDATE, _F_UPDATE_FIXED_SIZE)], "kmeans.any_dimension"),
    f("init_repeat_redrawn_with_random_number",
      [("      do while (taken(i))\n        i = random_index(state, n)\n      end do",
        "      do while (taken(i))\n        call random_number(r)\n        i = 1 + int(r * n)\n      end do"),
       ("    logical :: taken(n)\n", "    logical :: taken(n)\n    real :: r\n")],
      "init_centers.reproducible"),
    f("init_with_replacement", [("      do while (taken(i))\n        i = random_index(state, n)\n      end do\n", "")],
      "init_centers.distinct_data_points"),
    f("init_no_error_for_impossible_k", [("    if (k < 1 .or. k > n) then\n      status = -1\n      return\n    end if\n", "")],
      "init_centers.rejects_impossible_k"),
    f("init_zero_based_index", [("      taken(i) = .true.\n      centers(c, :) = data(i, :)",
                                 "      taken(i) = .true.\n      centers(c, :) = data(i - 1, :)")],
      "init_centers.distinct_data_points"),
]

LOOPS_UPDATE_ZERO = "        for (int j = 0; j < d; j++)\n            new_centers[c * d + j] = 0.0;\n"
C_MUTANTS += [
    # Bugs of C programmers: layout, integer arithmetic, state kept between calls, memory, stopping.
    c("data_dimension_major", [("new_centers[c * d + j] += data[i * d + j];", "new_centers[c * d + j] += data[j * n + i];")],
      "update.centroids"),
    c("integer_reciprocal", [("                new_centers[c * d + j] /= count;", "                new_centers[c * d + j] *= 1 / count;")],
      "update.centroids"),
    c("static_sums_never_reset", [("    for (int c = 0; c < k; c++) {\n        int count = 0;\n" + LOOPS_UPDATE_ZERO
                                   + "        for (int i = 0; i < n; i++) {\n            if (labels[i] == c) {\n                count++;\n"
                                   "                for (int j = 0; j < d; j++)\n                    new_centers[c * d + j] += data[i * d + j];",
                                   "    static double sums[4096];\n    for (int c = 0; c < k; c++) {\n        int count = 0;\n"
                                   "        for (int i = 0; i < n; i++) {\n            if (labels[i] == c) {\n                count++;\n"
                                   "                for (int j = 0; j < d; j++)\n                    sums[c * d + j] += data[i * d + j];"),
                                  ("            if (count > 0)\n                new_centers[c * d + j] /= count;",
                                   "            if (count > 0)\n                new_centers[c * d + j] = sums[c * d + j] / count;")],
      "update.centroids"),
    c("vla_sums_not_zeroed", [("    memset(sums, 0, sizeof sums);\n", "")], "update.centroids", "kmeans.lloyd_iterations", "kmeans.matches_reference",
      base="vla.c"),
    c("labels_loop_one_past", [("    for (int i = 0; i < n; i++)\n        labels[i] = 0;\n", "    for (int i = 0; i <= n; i++)\n        labels[i] = 0;\n")],
      "kmeans.inputs_untouched", "kmeans.lloyd_iterations", "kmeans.result_types"),
    c("memcpy_without_sizeof", [("    memcpy(centers, init, (size_t)k * d * sizeof(double));", "    memcpy(centers, init, (size_t)k * d);")],
      "kmeans.lloyd_iterations", base="helpers.c"),
    c("sizeof_pointer", [("        memcpy(centers, next, (size_t)k * d * sizeof(double));", "        memcpy(centers, next, sizeof centers);")],
      "kmeans.lloyd_iterations", base="helpers.c"),
    c("largest_move_not_sum", [("            move += distance(&new_centers[c * d], &centers[c * d], d);",
                                "            move = fmax(move, distance(&new_centers[c * d], &centers[c * d], d));")],
      "kmeans.stops_at_eps"),
    c("integer_abs_distance", [("        sum += (a[j] - b[j]) * (a[j] - b[j]);", "        sum += abs(a[j] - b[j]) * abs(a[j] - b[j]);")],
      "assign.nearest_center"),
    c("first_center_label_unset", [("        double best = INFINITY;\n        for (int c = 0; c < k; c++) {",
                                    "        double best = distance(&data[i * d], &centers[0], d);\n        for (int c = 1; c < k; c++) {")],
      "assign.nearest_center"),
    c("stale_final_centers", [("        for (int x = 0; x < k * d; x++)\n            centers[x] = new_centers[x];\n        n_iter++;",
                               "        n_iter++;\n        if (move <= eps)\n            break;\n"
                               "        for (int x = 0; x < k * d; x++)\n            centers[x] = new_centers[x];")],
      "kmeans.stops_at_eps", "kmeans.fixed_point"),
    c("unsigned_countdown", [("        for (int c = 0; c < k; c++) {\n            double dist",
                              "        for (unsigned c = k - 1; c >= 0; c--) {\n            double dist")],
      "assign.nearest_center"),
    # Reads one element past the end of an array: the guards, read, change nothing, so only the replay of the call
    # with plausible guard values (grader.student._compiled) shows that the results depend on them.
    c("assign_reads_center_k", [("for (int c = 0; c < k; c++) {\n            double dist",
                                 "for (int c = 0; c <= k; c++) {\n            double dist")],
      "assign.nearest_center"),
    c("assign_first_center_then_reads_center_k", [("        double best = INFINITY;\n        for (int c = 0; c < k; c++) {",
                                                   "        double best = distance(&data[i * d], &centers[0], d);\n"
                                                   "        labels[i] = 0;\n        for (int c = 1; c <= k; c++) {"),
                                                  ("if (dist <= best)", "if (dist < best)")],
      "assign.nearest_center"),
    c("update_reads_label_n", [("        for (int i = 0; i < n; i++) {\n            if (labels[i] == c) {",
                                "        for (int i = 0; i <= n; i++) {\n            if (labels[i] == c) {")],
      "update.centroids"),
    c("update_in_place", [("        update(data, n, d, labels, centers, k, new_centers);",
                           "        memcpy(new_centers, centers, k * d * sizeof(double));\n"
                           "        update(data, n, d, labels, new_centers, k, new_centers);")],
      "kmeans.lloyd_iterations", "kmeans.matches_reference"),
]

F_MUTANTS += [
    # Bugs of Fortran programmers: indexing, implicit save, intent, the DO variable after the loop, stopping.
    f("data_transposed", [("new_centers(labels(i), j) = new_centers(labels(i), j) + data(i, j)",
                           "new_centers(labels(i), j) = new_centers(labels(i), j) + data(j, i)")],
      "update.centroids"),
    f("misses_last_point", [("    do i = 1, n\n      best = huge(best)", "    do i = 1, n - 1\n      best = huge(best)")],
      "assign.nearest_center"),
    f("accumulator_not_zeroed", [("    new_centers = 0.0d0\n    counts = 0\n", "    counts = 0\n")], "update.centroids"),
    f("integer_reciprocal", [("        new_centers(c, :) = new_centers(c, :) / counts(c)", "        new_centers(c, :) = new_centers(c, :) * (1 / counts(c))")],
      "update.centroids"),
    f("implicit_save_counts", [("    integer :: i, c, j, counts(k)\n    new_centers = 0.0d0\n    counts = 0\n",
                                "    integer :: i, c, j\n    integer :: counts(64) = 0\n    new_centers = 0.0d0\n")],
      "update.centroids"),
    f("random_number_init", [("      i = random_index(state, n)\n      do while (taken(i))\n        i = random_index(state, n)\n      end do",
                              "      call random_number(r)\n      i = 1 + int(r * n)\n      do while (taken(i))\n"
                              "        call random_number(r)\n        i = 1 + int(r * n)\n      end do"),
                             ("    logical :: taken(n)\n", "    logical :: taken(n)\n    real :: r\n")],
      "init_centers.reproducible", "init_centers.uses_generator"),
    f("do_variable_after_loop", [("      if (sum((centers - previous)**2) <= eps) return\n    end do\n    n_iter = max_iter\n",
                                  "      if (sum((centers - previous)**2) <= eps) return\n    end do\n")],
      "kmeans.respects_max_iter", base="array_style.f90"),
    f("size_of_whole_array", [("    do i = 1, n\n      best = huge(best)", "    do i = 1, size(data)\n      best = huge(best)")],
      "assign.nearest_center"),
    f("update_in_place", [("      call update(data, n, d, labels, centers, k, new_centers)",
                           "      new_centers = centers\n      call update(data, n, d, labels, new_centers, k, new_centers)")],
      "kmeans.lloyd_iterations", "kmeans.matches_reference"),
    f("centers_as_workspace", [("    real(c_double), intent(in) :: data(n, d), centers(k, d)\n    integer(c_int), intent(in) :: labels(n)\n"
                                "    real(c_double), intent(inout) :: new_centers(k, d)\n    integer :: i, c, j, counts(k)\n"
                                "    new_centers = 0.0d0\n",
                                "    real(c_double), intent(in) :: data(n, d)\n    real(c_double), intent(inout) :: centers(k, d)\n"
                                "    integer(c_int), intent(in) :: labels(n)\n"
                                "    real(c_double), intent(inout) :: new_centers(k, d)\n    integer :: i, c, j, counts(k)\n"
                                "    new_centers = centers\n    centers = 0.0d0\n    new_centers = 0.0d0\n")],
      "update.inputs_untouched"),
    f("hard_coded_eps", [("if (move <= eps) exit", "if (move <= 0.001d0) exit")], "kmeans.stops_at_eps"),
    f("integer_sums", [("    integer :: i, c, j, counts(k)\n    new_centers = 0.0d0\n",
                        "    integer :: i, c, j, counts(k)\n    integer :: sums(k, d)\n    new_centers = 0.0d0\n    sums = 0\n"),
                       ("        new_centers(labels(i), j) = new_centers(labels(i), j) + data(i, j)",
                        "        sums(labels(i), j) = sums(labels(i), j) + data(i, j)"),
                       ("        new_centers(c, :) = new_centers(c, :) / counts(c)", "        new_centers(c, :) = real(sums(c, :), c_double) / counts(c)")],
      "update.centroids"),
    f("exit_before_moving", [("      centers = new_centers\n      n_iter = n_iter + 1\n      write(*, *) \"Step :\", n_iter, \" cent. move :\", move\n      if (move <= eps) exit\n",
                              "      n_iter = n_iter + 1\n      if (move <= eps) exit\n      centers = new_centers\n")],
      "kmeans.fixed_point", "kmeans.stops_at_eps"),
    f("last_center_move_only", [("        move = move + distance(new_centers(c, :), centers(c, :), d)",
                                 "        move = distance(new_centers(c, :), centers(c, :), d)")],
      "kmeans.stops_at_eps"),
]

MUTANTS = C_MUTANTS + F_MUTANTS
