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
    assert update.verdict == "failed"
    assert update.message.startswith("update returned a student.Anything") or \
        update.message.startswith("update returned a kmeans.Anything"), update.message
    assert check(report, "assign.nearest_center").message.startswith("assign returned a kmeans.Liar")
    assert full_marks(report, but=("assign", "update"))


def test_numpy_subclass_and_object_arrays_are_refused(course):
    code = """
        def update(data, labels, centers):
            return np.ma.masked_array(_centroids(np.asarray(data, dtype=float), labels, centers))

        def assign(data, centers):
            return np.array([object()] * len(data), dtype=object)
    """
    report = course.grade(attack(code))
    assert check(report, "update.centroids").message.startswith("update returned a numpy.ma.MaskedArray")
    assert "numpy array of dtype object" in check(report, "assign.nearest_center").message
