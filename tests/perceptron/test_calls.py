"""The helpers the perceptron's and the MLP's checks call the student's code through."""

from __future__ import annotations

from grader.exercises.perceptron.calls import FIRST_SEEDS, seeds_in_stages


def test_the_other_seeds_are_called_only_when_the_first_ones_are_all_alike():
    asked: list[list[int]] = []

    def results_of(seeds: list[int]) -> list[int]:
        asked.append(seeds)
        return [seed % 2 for seed in seeds]  # a train that shuffles: its results differ between seeds

    results = seeds_in_stages(results_of, 10, 24)
    first = next(results)
    assert not all(other == first for other in results)
    assert asked == [[10, 11, 12]] and FIRST_SEEDS == 3

    asked.clear()
    alike = seeds_in_stages(lambda seeds: asked.append(seeds) or [0] * len(seeds), 10, 24)
    assert list(alike) == [0] * 24  # a train that never shuffles: every seed is called, as one check needs
    assert asked == [[10, 11, 12], list(range(13, 34))]
