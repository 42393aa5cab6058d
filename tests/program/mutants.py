"""Buggy course-style programs: each a small edit of a reference program, with the checks it must fail.

Each mutant is ``Mutant(name, base, edits, fails)``: ``base`` is a file of ``reference/``, ``edits`` are
``(old, new)`` replacements (each ``old`` must occur in the base), ``fails`` the ids of the checks the bug
must lose.  The suite writes each mutant to a file, grades it, and checks that every one of ``fails`` fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Mutant:
    name: str
    base: str
    edits: tuple[tuple[str, str], ...]
    fails: tuple[str, ...]

    @property
    def suffix(self) -> str:
        return Path(self.base).suffix

    def source(self) -> str:
        text = (ROOT / "reference" / self.base).read_text(encoding="utf-8")
        for old, new in self.edits:
            if old not in text:
                raise AssertionError(f"mutant {self.name}: {old!r} is not in {self.base}")
            text = text.replace(old, new)
        return text


PY, C, F = "kmeans_program.py", "kmeans_program.c", "kmeans_program.f90"

MUTANTS = (
    # Only 2-D: x and y hard-coded.
    Mutant("py_2d_only", PY, (
        ("    data = np.array([[float(value) for value in f.readline().split()] for _ in range(ndim)]).T",
         "    xs = [float(v) for v in f.readline().split()]\n    ys = [float(v) for v in f.readline().split()]\n"
         "    data = np.array([xs, ys]).T\n    ndim = 2"),),
        ("dimensions.any", "course_data.fixed_point")),
    Mutant("c_2d_only", C, (("    for (int d = 0; d < ndim; d++)\n        for (int i = 0; i < npoints; i++)",
                             "    ndim = 2;\n    for (int d = 0; d < ndim; d++)\n        for (int i = 0; i < npoints; i++)"),),
           ("dimensions.any", "course_data.fixed_point")),
    # The association goes to the farthest center.
    Mutant("py_farthest", PY, (("            if dist < best_dist:", "            if dist > best_dist:"),),
           ("result.fixed_point",)),
    Mutant("c_farthest", C, (("                if (dist < best_dist) {", "                if (dist > best_dist) {"),),
           ("result.fixed_point",)),
    Mutant("f90_farthest", F, (("        if (dist < best_dist) then", "        if (dist > best_dist) then"),),
           ("result.fixed_point",)),
    # The loop never stops on eps: always 100 steps.
    Mutant("py_no_eps_stop", PY, (("    if move <= eps:\n        break\n", ""),), ("stopping.printed_steps",)),
    Mutant("c_no_eps_stop", C, (("        if (move <= EPS)\n            break;\n", ""),), ("stopping.printed_steps",)),
    Mutant("f90_no_eps_stop", F, (("    if (mov <= eps) exit\n", ""),), ("stopping.printed_steps",)),
    # 101 iterations without a stop on eps.
    Mutant("c_101_steps", C, (("        if (move <= EPS)\n            break;\n", ""),
                              ("step <= MAX_ITER; step++", "step <= MAX_ITER + 1; step++")),
           ("stopping.printed_steps",)),
    # Stops before the move is small: at a move <= 10 (a wrong eps).
    Mutant("f90_wrong_eps", F, (("real, parameter :: eps = 0.001", "real, parameter :: eps = 10.0"),),
           ("stopping.printed_steps",)),
    # NaN on empty clusters: divides by a count of 0.
    Mutant("py_nan_empty", PY, (("        if counts[j] > 0:\n            new = sums[j] / counts[j]",
                                 "        if True:\n            new = sums[j] / counts[j]"),),
           ("robustness.duplicates",)),
    Mutant("c_nan_empty", C, (("            if (counts[j] == 0)\n                continue;\n", ""),),
           ("robustness.duplicates",)),
    # The course's empty-cluster defect: the move of an empty cluster is measured against a zero accumulator.
    Mutant("c_zero_accumulator_move", C, (
        ("            if (counts[j] == 0)\n                continue;\n            for (int d = 0; d < ndim; d++)\n"
         "                sums[j * ndim + d] /= counts[j];\n            move += distance(&sums[j * ndim], &centers[j * ndim], ndim);\n",
         "            if (counts[j] > 0)\n            for (int d = 0; d < ndim; d++)\n"
         "                sums[j * ndim + d] /= counts[j];\n            move += distance(&sums[j * ndim], &centers[j * ndim], ndim);\n"
         "            if (counts[j] == 0)\n                continue;\n"),),
        ("robustness.duplicates",)),
    # Wrong output header: "k ndim".
    Mutant("c_header_swapped", C, (('fprintf(f, " %d %d \\n", ndim, K);', 'fprintf(f, " %d %d \\n", K, ndim);'),),
           ("output.format",)),
    Mutant("py_no_header", PY, (('    f.write(f"{ndim} {k}\\n")\n', ""),), ("output.format",)),
    # Centers not written.
    Mutant("f90_centers_not_written", F, (("    write(11,*) centers(:, j)\n", ""),), ("output.format",)),
    Mutant("py_no_output", PY, (('with open("kmeans_output_2d.dat", "w") as f:', 'with open("kmeans_output.txt", "w") as f:'),),
           ("output.format",)),
    # Steps counted from 0.
    Mutant("c_steps_from_0", C, (('printf("Step : %d, error : %f , cent. move : %f \\n", step, ',
                                  'printf("Step : %d, error : %f , cent. move : %f \\n", step - 1, '),),
           ("stopping.printed_steps",)),
    # The move is not squared: the square root of the distance is summed (stops too late or too early).
    Mutant("py_writes_input", PY, (('print(data.shape)\n', 'print(data.shape)\nopen("kmeans_input_file_2d.dat", "a").write("\\n")\n'),),
           ("output.input_untouched",)),
    # The Fortran random start picks int(r * n), which can be index 0 (out of bounds).  Whether a run trips on
    # it depends on the runtime's random seed, so no one check is sure to catch it; over the ~70 runs of a
    # grading (most on 6 to 30 points, each drawing 4 indices) some do, so the score is below full.
    Mutant("f90_index_zero", F, (("    index = min(1 + int(r * npoints), npoints)", "    index = int(r * npoints)"),),
           ()),
)
