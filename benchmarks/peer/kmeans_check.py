"""A peer's student check of the k-means exercise: four example tests of the same contract, in plain pytest.

What many courses ship to students (Otter-Grader and nbgrader style): a few hand-written examples per
function, run with ``pytest``.  The benchmarks time it against ``grader check kmeans`` on the same
submission (copied with ``kmeans.py`` into a folder of their own, as ``test_kmeans.py``).
"""

import numpy as np

import kmeans

DATA = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [10.0, 10.0], [10.0, 11.0], [11.0, 10.0]])


def test_init_centers_picks_distinct_points():
    centers = kmeans.init_centers(DATA, 3, np.random.default_rng(0))
    assert centers.shape == (3, 2)
    rows = {tuple(row) for row in centers}
    assert len(rows) == 3 and rows <= {tuple(row) for row in DATA}


def test_assign_nearest_center():
    labels = kmeans.assign(DATA, np.array([[0.0, 0.0], [10.0, 10.0]]))
    assert labels.tolist() == [0, 0, 0, 1, 1, 1]


def test_update_moves_centers_to_means():
    centers = kmeans.update(DATA, np.array([0, 0, 0, 1, 1, 1]), np.zeros((2, 2)))
    assert np.allclose(centers, [[1 / 3, 1 / 3], [31 / 3, 31 / 3]])


def test_kmeans_converges():
    centers, labels, n_iter = kmeans.kmeans(DATA, DATA[[0, 1]].copy())
    assert labels.tolist() == [0, 0, 0, 1, 1, 1] and 1 <= n_iter <= 100
    assert np.allclose(centers, [[1 / 3, 1 / 3], [31 / 3, 31 / 3]])
