"""Course-style code at module level (read the data file, write the output file, plt.show()) runs in the worker."""

from __future__ import annotations

from tests.sandbox.helpers import attack, full_marks


def test_module_level_course_code(course):
    code = """
        import matplotlib.pyplot as plt

        _which = sys.argv[1] if len(sys.argv) > 1 else "2d"  # as course code does
        _lines = open("kmeans_input_file_%s.dat" % _which).read().split("\\n")
        _ndim, _npoints = map(int, _lines[0].split())
        _data = np.array([[float(x) for x in _lines[1 + i].split()] for i in range(_ndim)]).T
        _centers, _labels, _steps = kmeans(_data, init_centers(_data, 4, np.random.default_rng(1)))
        with open("kmeans_output_%s.dat" % _which, "w") as _out:
            _out.write("%d %d\\n" % (_ndim, 4))
            for _c in _centers:
                _out.write(" ".join(str(x) for x in _c) + "\\n")
        plt.scatter(_data[:, 0], _data[:, 1], c=_labels)
        plt.show()
        print("course run: %d points, %d steps, output written" % (len(_data), _steps))
    """
    report = course.grade(attack(code))
    assert "course run: 200 points" in report.output, report.output
    assert full_marks(report)
    assert not (course.root / "kmeans_output_2d.dat").exists() and not (course.submissions / "kmeans_output_2d.dat").exists()


def test_module_level_code_choosing_an_interactive_backend(course):
    """``matplotlib.use("TkAgg")`` (a laptop habit) at module level: graded without a display, Agg instead."""
    code = """
        import matplotlib
        matplotlib.use("TkAgg")
        import matplotlib.pyplot as plt

        plt.plot([1, 2, 3])
        plt.show()
        print("backend:", matplotlib.get_backend().lower())
    """
    report = course.grade(attack(code))
    assert "backend: agg" in report.output, report.output
    assert full_marks(report)
