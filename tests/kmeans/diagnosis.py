"""The diagnosis corpus: single-bug mutants and the checks that must report each bug.

Every mutant of ``mutants.py`` plus code written for 2-D data only declares its
diagnosis: ``owners``, the checks whose property the bug breaks (they must fail),
and ``also``, main-loop checks that must fail too as consequences of an owner
(e.g. the dimension-independence checks for an ``assign`` that reads two
coordinates).  Any other public check may fail only as a consequence grouped
under an owner (its ``caused_by`` is one of the owners).
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.kmeans.mutants import MUTANTS, Mutant

__all__ = ["Diagnosis", "DIAGNOSES"]


@dataclass(frozen=True)
class Diagnosis:
    mutant: Mutant
    owners: frozenset[str]
    also: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        return self.mutant.name


_DIMENSIONS = frozenset({"kmeans.any_dimension", "kmeans.equivariant"})

_TWO_D_ONLY = [
    # The broadcasting idiom restricted to the first two coordinates: no error on any data.
    (Mutant("assign_first_two_coordinates",
            (("d2 = ((data[:, np.newaxis, :] - centers[np.newaxis, :, :]) ** 2)",
              "d2 = ((data[:, np.newaxis, :2] - centers[np.newaxis, :, :2]) ** 2)"),), base="broadcasting"),
     {"assign.nearest_center"}, _DIMENSIONS),
    # The course's style, p[0] and p[1], in assign only.
    (Mutant("course_assign_2d", (("            if distance(data[i], centers[j]) <= distance(data[i], centers[best]):",
                                  "            if ((data[i][0] - centers[j][0]) ** 2 + (data[i][1] - centers[j][1]) ** 2"
                                  " <= (data[i][0] - centers[best][0]) ** 2 + (data[i][1] - centers[best][1]) ** 2):"),),
            base="course_style"),
     {"assign.nearest_center"}, _DIMENSIONS),
]

#: Owners of each mutant of ``mutants.py``: the checks whose property its bug breaks.
_OWNERS: dict[str, set[str]] = {
    "farthest_center": {"assign.nearest_center"},
    # distance() also computes the move: the stopping rule ignores coordinates as well.
    "distance_2d_only": {"assign.nearest_center", "kmeans.stops_at_eps"},
    "l1_distance": {"assign.nearest_center", "kmeans.stops_at_eps"},
    "misses_last_center": {"assign.nearest_center"},
    "float_labels": {"assign.integer_array"},
    "empty_cluster_nan": {"update.empty_cluster_keeps_center"},
    "empty_cluster_origin": {"update.empty_cluster_keeps_center"},
    "empty_cluster_raises": {"update.empty_cluster_keeps_center"},
    "update_fixed_size_counts": {"update.centroids"},  # an IndexError with more than 10 centers
    "kmeans_fixed_size_previous": {"kmeans.fixed_point"},  # a ValueError with more than 10 centers
    "median_not_mean": {"update.centroids"},
    "global_mean": {"update.centroids"},
    "update_returns_inf": {"update.centroids"},
    # Its first call raises, the same call made again answers: the first check to call it says so.
    "assign_fails_on_its_first_call": {"assign.nearest_center"},
    "update_modifies_centers": {"update.inputs_untouched"},
    "update_from_initial_centers": {"kmeans.lloyd_iterations"},
    "labels_one_iteration_behind": {"kmeans.lloyd_iterations"},
    "main_loop_means_of_nothing": {"kmeans.lloyd_iterations"},
    "ties_broken_by_call_count": {"kmeans.lloyd_iterations"},
    "kmeans_modifies_data": {"kmeans.inputs_untouched"},
    "ignores_eps": {"kmeans.stops_at_eps"},
    "stops_after_one_iteration": {"kmeans.stops_at_eps", "kmeans.fixed_point", "kmeans.respects_max_iter"},
    "strict_less_than_eps": {"kmeans.stops_at_eps"},
    "move_not_squared": {"kmeans.stops_at_eps"},
    "max_iter_plus_one": {"kmeans.respects_max_iter"},
    "ignores_max_iter": {"kmeans.respects_max_iter"},
    "n_iter_off_by_one": {"kmeans.lloyd_iterations", "kmeans.stops_at_eps"},
    "update_before_association": {"kmeans.lloyd_iterations"},
    "n_iter_not_counted_on_break": {"kmeans.respects_max_iter", "kmeans.lloyd_iterations", "kmeans.stops_at_eps"},
    "labels_of_final_centers": {"kmeans.lloyd_iterations"},
    "init_with_replacement": {"init_centers.distinct_data_points"},
    "init_ignores_generator": {"init_centers.uses_generator"},
    "init_global_numpy_random": {"init_centers.uses_generator"},  # the global generator is seeded at every call
    "init_no_error_for_impossible_k": {"init_centers.rejects_impossible_k"},
    "init_first_k_points": {"init_centers.uses_generator"},
    "assign_returns_list": {"assign.integer_array"},
    "update_returns_int": {"update.float_array", "update.centroids"},
    "init_never_picks_last_point": {"init_centers.distinct_data_points"},  # k = n is refused
    "init_rejects_k_equal_n": {"init_centers.distinct_data_points"},
    "init_shuffles_data": {"init_centers.inputs_untouched"},
    "init_random_module": {"init_centers.uses_generator"},  # the random module is seeded at every call too
    "init_returns_indices": {"init_centers.distinct_data_points"},
    "assign_sums_over_centers_axis": {"assign.nearest_center"},
    "assign_chebyshev": {"assign.nearest_center"},
    "assign_forgets_best_index": {"assign.nearest_center"},
    "assign_skips_last_point": {"assign.nearest_center"},
    # Every nearest center of a point, not one: more labels than points when there are ties.
    "assign_all_tied_centers": {"assign.nearest_center", "assign.integer_array"},
    "assign_modifies_data": {"assign.inputs_untouched"},
    "update_integer_sums": {"update.centroids"},
    "update_floor_division": {"update.centroids"},
    "update_forgets_to_divide": {"update.centroids"},
    # A crash on every cluster, empty ones included.
    "update_mean_over_wrong_axis": {"update.centroids", "update.empty_cluster_keeps_center"},
    "update_singleton_stays": {"update.centroids"},
    "update_empty_takes_previous_mean": {"update.empty_cluster_keeps_center"},
    "update_empty_moves_to_random_point": {"update.empty_cluster_keeps_center"},
    "update_skips_first_point": {"update.centroids"},
    "update_zero_sum_as_empty": {"update.centroids"},
    "move_is_max_not_sum": {"kmeans.stops_at_eps"},
    "move_is_mean_not_sum": {"kmeans.stops_at_eps"},
    "move_norm_not_squared": {"kmeans.stops_at_eps"},
    "move_against_aliased_centers": {"kmeans.stops_at_eps", "kmeans.fixed_point", "kmeans.respects_max_iter"},
    "eps_hard_coded": {"kmeans.stops_at_eps"},
    "eps_squared": {"kmeans.stops_at_eps"},
    "stops_when_labels_repeat": {"kmeans.stops_at_eps"},
    "max_iter_hard_coded": {"kmeans.respects_max_iter"},
    "max_iter_minus_one": {"kmeans.lloyd_iterations"},
    "n_iter_from_range_index": {"kmeans.lloyd_iterations", "kmeans.stops_at_eps", "kmeans.respects_max_iter"},
    "returns_centers_before_last_update": {"kmeans.fixed_point"},
    "kmeans_asarray_modifies_centers": {"kmeans.inputs_untouched"},
    "kmeans_returns_max_iter": {"kmeans.stops_at_eps"},
    "assign_squeezes_distances": {"assign.nearest_center"},  # a crash with one center or one point
    "assign_keepdims_column": {"assign.integer_array"},  # labels of shape (n, 1)
    "init_unique_draws": {"init_centers.distinct_data_points"},
    "assign_integer_distances": {"assign.nearest_center"},
    "assign_finite_start": {"assign.nearest_center"},
    "move_l1": {"kmeans.stops_at_eps"},
    "assign_first_center_label_minus_one": {"assign.nearest_center"},
    "assign_1d_signed_difference": {"assign.nearest_center"},
    "max_iter_at_most_float32": {"kmeans.respects_max_iter"},
    "n_iter_counts_moving_steps": {"kmeans.lloyd_iterations", "kmeans.stops_at_eps", "kmeans.respects_max_iter"},
    "update_sorts_data": {"update.inputs_untouched"},
    "kmeans_returns_two_values": {"kmeans.lloyd_iterations", "kmeans.fixed_point", "kmeans.inertia_never_increases",
                                  "kmeans.stops_at_eps", "kmeans.respects_max_iter", "kmeans.result_types",
                                  "kmeans.inputs_untouched", "kmeans.equivariant", "kmeans.any_dimension"},
}

#: A loop that runs past max_iter: the checks that observe the trajectory through kmeans(max_iter=t) fail too, as
#: consequences of the check that owns max_iter (not on moves read off a shifted trajectory).
_PAST_MAX_ITER = frozenset({"kmeans.lloyd_iterations", "kmeans.stops_at_eps"})
_ALSO: dict[str, frozenset[str]] = {"max_iter_plus_one": _PAST_MAX_ITER, "ignores_max_iter": _PAST_MAX_ITER,
                                    "max_iter_hard_coded": _PAST_MAX_ITER, "max_iter_at_most_float32": _PAST_MAX_ITER,
                                    # An error of inf is no decrease: the check of the error fails too.
                                    "update_returns_inf": frozenset({"kmeans.inertia_never_increases"})}

DIAGNOSES: list[Diagnosis] = [Diagnosis(mutant, frozenset(_OWNERS[mutant.name]), _ALSO.get(mutant.name, frozenset()))
                              for mutant in MUTANTS] + [
    Diagnosis(mutant, frozenset(owners), frozenset(also)) for mutant, owners, also in _TWO_D_ONLY
]
