"""Values that are not plain data never reach a check: they fail with a message saying what came back."""

from __future__ import annotations

from tests.sandbox.helpers import attack, check, full_marks


def test_list_of_str_from_assign(course):
    code = """
        def assign(data, centers):
            return ["0"] * len(data)
    """
    report = course.grade(attack(code))
    result = check(report, "assign.nearest_center")
    assert result.verdict == "failed"
    assert result.message.startswith("assign returned a list of ") and "of str" in result.message
    assert "expected an integer array of shape" in result.message


def test_objects_whose_comparisons_always_succeed(course):
    code = """
        class Anything(np.ndarray):
            def __eq__(self, other): return True
            def __ne__(self, other): return False
            def __lt__(self, other): return True
            def __le__(self, other): return True
            def __gt__(self, other): return True
            def __ge__(self, other): return True
            def __array_ufunc__(self, *args, **kwargs): return True

        class Liar:
            shape = (0,)
            dtype = np.dtype(float)
            def __eq__(self, other): return True
            def __len__(self): return 0
            def __array__(self, *args, **kwargs): return np.zeros(0)

        def update(data, labels, centers):
            return np.zeros_like(np.asarray(centers, dtype=float)).view(Anything)

        def assign(data, centers):
            return Liar()
    """
    report = course.grade(attack(code))
    update = check(report, "update.centroids")
    # An array subclass crosses as the plain array of its values (zeros here): its comparisons stay behind, and the
    # zeros are judged as the centers they are.
    assert update.verdict == "failed"
    assert update.message.startswith("update phase: center 0 has") and "yours is at [0.0]" in update.message, \
        update.message
    assert check(report, "assign.nearest_center").message.startswith("assign returned a kmeans.Liar")
    assert full_marks(report, but=("assign", "update"))


def test_masked_entries_and_object_arrays_are_refused(course):
    # A masked array's masked entries hold no value to check (one without any crosses as its plain array).
    code = """
        def update(data, labels, centers):
            result = _centroids(np.asarray(data, dtype=float), labels, centers)
            return np.ma.masked_array(result, mask=np.ones_like(result, dtype=bool))

        def assign(data, centers):
            return np.array([object()] * len(data), dtype=object)
    """
    report = course.grade(attack(code))
    assert check(report, "update.centroids").message.startswith(
        "update returned a numpy.ma.MaskedArray with masked entries")
    assert "numpy array of dtype object" in check(report, "assign.nearest_center").message


def test_numbers_beyond_what_an_index_or_a_count_can_be(course):
    """Labels of 2**63 (uint64) and 1e300 are named as returned, never as the value they wrap around to; an
    iteration count of 10**400 is a whole number that is wrong, not a fault of the grader."""
    code = """
        def assign(data, centers):
            return np.full(len(data), 2**63, dtype=np.uint64) if len(data) % 2 else [1e300] * len(data)

        _loop = kmeans

        def kmeans(data, centers, eps=1e-3, max_iter=100, *, verbose=False):
            final, labels, n_iter = _loop(data, centers, eps, max_iter, verbose=verbose)
            return final, labels, 10**400
    """
    report = course.grade(attack(code))
    messages = {result.message for result in report.exercises[0].checks if result.function == "assign"}
    assert messages and all(" holding 9223372036854775808, beyond any index, expected an integer array" in message
                            or " holding 1e+300, beyond any index, expected an integer array" in message
                            for message in messages), messages
    kmeans = [result for result in report.exercises[0].checks if result.function == "kmeans"]
    assert all(result.verdict == "failed" for result in kmeans if not result.passed)
    assert check(report, "kmeans.respects_max_iter").message.startswith("stopping: with max_iter = ")


def test_a_value_whose_methods_raise_cannot_be_sent_back(course):
    # Reading the list runs the student's __iter__: its error is the value's, not the end of the process.
    code = """
        class BadList(list):
            def __iter__(self):
                raise RuntimeError("boom in iter")

        def assign(data, centers):
            return BadList(_nearest(np.asarray(data, dtype=float), np.asarray(centers, dtype=float)).tolist())
    """
    report = course.grade(attack(code))
    result = check(report, "assign.nearest_center")
    assert result.verdict == "crashed"
    assert result.message == ("assign returned a value that cannot be sent back (reading it raised RuntimeError: "
                              "boom in iter)")
    assert full_marks(report, but=("assign",))
