"""The helpers the perceptron's and the MLP's checks call the student's code through."""

from __future__ import annotations

from grader.exercises.perceptron.calls import FIRST_SEEDS, order_flaw, seeds_in_stages


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


def test_the_flaw_every_first_order_shows_is_named():
    # Each seed: the orders whose epoch ends where that seed's did.
    last_left_out = [{(1, 0, 2)}, {(0, 1, 2)}, {(1, 0, 2), (0, 1, 2)}]
    assert "leaves out the last sample" in order_flaw(last_left_out)
    cyclic = [{(1, 2, 0)}, {(2, 0, 1)}, {(1, 2, 0)}]
    assert "no sample is presented at its own place" in order_flaw(cyclic)
    assert "no sample is presented at its own place" in order_flaw([{(1, 0, 3, 2)}, {(3, 2, 1, 0)}])


def test_no_flaw_is_named_unless_every_order_of_every_seed_shows_it():
    assert order_flaw([{(1, 0, 2)}, {(2, 1, 0)}]) == ""  # one order moves the last sample
    assert order_flaw([{(1, 0, 2)}, {(1, 0, 2), (2, 0, 1)}]) == ""  # this seed's weights may be of either order
    assert order_flaw([{(1, 2, 0)}, {(2, 1, 0)}]) == ""  # a sample in its place
    assert order_flaw([{(1, 0, 2)}, set()]) == ""  # the weights of no order
    # One order for every seed: train does not shuffle (another failure, with its own message).
    assert order_flaw([{(1, 2, 0)}] * 24) == "" and order_flaw([{(0, 1, 2)}] * 24) == ""
