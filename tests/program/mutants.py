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

#: The random start seeded from a clock other than ``time()``, as course programs also do: C's gettimeofday,
#: Fortran's system_clock, Python's time.time() in microseconds (see :data:`CLOCK_SEEDED`).
C_GETTIMEOFDAY = (("#include <time.h>\n", "#include <time.h>\n#include <sys/time.h>\n"),
                  ("    srand(time(NULL));", "    struct timeval now;\n    gettimeofday(&now, NULL);\n"
                                            "    srand(now.tv_sec * 1000000 + now.tv_usec);"))
F_SYSTEM_CLOCK = (("  real :: dist, best_dist, err, mov, r\n",
                   "  real :: dist, best_dist, err, mov, r\n  integer :: clock, nseed\n  integer, allocatable :: seed(:)\n"),
                  ("  call random_seed()\n", "  call system_clock(clock)\n  call random_seed(size=nseed)\n"
                                            "  allocate(seed(nseed))\n  seed = clock + 37 * [(i - 1, i = 1, nseed)]\n"
                                            "  call random_seed(put=seed)\n"))
PY_TIME = (("import numpy as np\n", "import time\n\nimport numpy as np\n"),
           ("centers = data[", "np.random.seed(int(time.time() * 1e6) % 2**32)\ncenters = data["))
#: The random start seeded from the process id: C's common srand(time(NULL) ^ (getpid() << 16)), the
#: init_random_seed of gfortran's manual (/dev/urandom, else the clock and the process id), Python's os.getpid().
C_GETPID = (("#include <time.h>\n", "#include <time.h>\n#include <unistd.h>\n"),
            ("    srand(time(NULL));", "    srand(time(NULL) ^ (getpid() << 16));"))
F_INIT_RANDOM_SEED = (("  call random_seed()\n", "  call init_random_seed()\n"),
                      ("end program kmeans_program", """contains
  subroutine init_random_seed()
    use iso_fortran_env, only: int64
    integer, allocatable :: seed(:)
    integer :: i, n, un, istat, pid
    integer(int64) :: t
    call random_seed(size = n)
    allocate(seed(n))
    open(newunit=un, file="/dev/urandom", access="stream", form="unformatted", action="read", &
         status="old", iostat=istat)
    if (istat == 0) then
      read(un) seed
      close(un)
    else
      call system_clock(t)
      pid = getpid()
      t = ieor(t, int(pid, kind(t)))
      do i = 1, n
        seed(i) = lcg(t)
      end do
    end if
    call random_seed(put=seed)
  end subroutine init_random_seed

  function lcg(s)
    use iso_fortran_env, only: int64
    integer :: lcg
    integer(int64) :: s
    if (s == 0) then
      s = 104729
    else
      s = mod(s, 4294967296_int64)
    end if
    s = mod(s * 279470273_int64, 4294967291_int64)
    lcg = int(mod(s, int(huge(0), int64)), kind(0))
  end function lcg
end program kmeans_program"""))
PY_GETPID = (("import numpy as np\n", "import os\nimport time\n\nimport numpy as np\n"),
             ("centers = data[", "np.random.seed((int(time.time()) ^ (os.getpid() << 16)) % 2**32)\ncenters = data["))
#: Correct programs: the reference with its start seeded from each of those clocks or from the process id (full
#: marks in every grading).
CLOCK_SEEDED = (Mutant("c_gettimeofday_seed", C, C_GETTIMEOFDAY, ()),
                Mutant("f90_system_clock_seed", F, F_SYSTEM_CLOCK, ()),
                Mutant("py_time_seed", PY, PY_TIME, ()),
                Mutant("c_getpid_seed", C, C_GETPID, ()),
                Mutant("f90_init_random_seed", F, F_INIT_RANDOM_SEED, ()),
                Mutant("py_getpid_seed", PY, PY_GETPID, ()))
#: Correct programs written as students hand them in, each a small edit of the reference (full marks).
EDITED_CORRECT = (
    # void main: the status it exits with is whatever printf left (gcc warns); a last line printed at the end.
    Mutant("c_void_main", C, (("int main(void)", "void main(void)"), ("        return 1;", "        exit(1);"),
                              ("    return 0;\n}", '    printf("done: centers written\\n");\n}')), ()),
    # A shell command at the end (execute_command_line): the grader runs it as nothing that succeeds.
    Mutant("f90_execute_command_line", F, (("end program kmeans_program",
                                           '  call execute_command_line("echo k-means done")\n'
                                           "end program kmeans_program"),), ()),
    # The same without waiting for it (wait=.false.: the runtime spawns the shell instead of calling system()).
    Mutant("f90_execute_command_line_no_wait", F, (("end program kmeans_program",
                                                   '  call execute_command_line("gnuplot -persist plot.gp", '
                                                   "wait=.false.)\n"
                                                   "end program kmeans_program"),), ()),
    # A command run with Python's subprocess, the terminal cleared first: the grader runs it as nothing that
    # succeeds, as os.system and C's system(); and a Python run the same way, which runs (writing no bytecode).
    Mutant("py_subprocess_clear", PY, (("import numpy as np\n",
                                        "import subprocess\nimport sys\n\nimport numpy as np\n\n"
                                        'subprocess.run(["clear"], check=True)\n'
                                        'subprocess.run([sys.executable, "-c", "print(42)"], check=True)\n'),),
           ()),
    # OpenMP's runtime (use omp_lib), built as gfortran -fopenmp builds it.
    Mutant("f90_openmp_runtime", F, (("  implicit none\n", "  use omp_lib\n  implicit none\n"),
                                     ("end program kmeans_program",
                                      "  write(*,*) 'threads:', omp_get_max_threads()\n"
                                      "end program kmeans_program")), ()),
)
#: An empty cluster's center moved to the origin (its sums stay 0, divided by a count made 1).
C_EMPTY_TO_ORIGIN = (("            if (counts[j] == 0)\n                continue;\n",
                      "            if (counts[j] == 0)\n                counts[j] = 1;\n"),)
F_EMPTY_TO_ORIGIN = (("      if (counts(j) > 0) then\n", "      if (counts(j) == 0) counts(j) = 1\n      if (.true.) then\n"),)
PY_EMPTY_TO_ORIGIN = (("        if counts[j] > 0:\n", "        counts[j] = max(counts[j], 1)\n        if True:\n"),)

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
    # The centers left without points removed after the update: fewer centers written than the program started with.
    Mutant("py_drops_empty_centers", PY, (("            centers[j] = new\n",
                                           "            centers[j] = new\n    centers = centers[counts > 0]\n"
                                           "    sums, counts, k = sums[counts > 0], counts[counts > 0], int(np.sum(counts > 0))\n"),),
           ("robustness.duplicates",)),
    Mutant("py_farthest", PY, (("            if dist < best_dist:", "            if dist > best_dist:"),),
           ("result.fixed_point",)),
    Mutant("c_farthest", C, (("                if (dist < best_dist) {", "                if (dist > best_dist) {"),),
           ("result.fixed_point",)),
    Mutant("f90_farthest", F, (("        if (dist < best_dist) then", "        if (dist > best_dist) then"),),
           ("result.fixed_point",)),
    # Each step printed at the top of the loop, before its phases: step 1 prints the start's inf.
    Mutant("py_print_at_top", PY, (
        ("for step in range(1, max_iter + 1):\n",
         "printed_error = move = np.inf\nfor step in range(1, max_iter + 1):\n    if move <= eps:\n        break\n"
         "    print(\"Step :\", step, \" error :\", printed_error, \" cent. move :\", move)\n"),
        ('    print("Step :", step, " error :", error / npoints, " cent. move :", move)\n    if move <= eps:\n'
         '        break\n', "    printed_error = error / npoints\n")), ("stopping.printed_steps",)),
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
    # The program writes to its input file.
    Mutant("py_writes_input", PY, (('print(data.shape)\n', 'print(data.shape)\nopen("kmeans_input_file_2d.dat", "a").write("\\n")\n'),),
           ("output.input_untouched",)),
    # The Fortran random start picks int(r * n), which can be index 0 (out of bounds).  Whether a run trips on
    # it depends on the runtime's random seed, so no one check is sure to catch it; over the ~70 runs of a
    # grading (most on 6 to 30 points, each drawing 4 indices) some do, so the score is below full.
    Mutant("f90_index_zero", F, (("    index = min(1 + int(r * npoints), npoints)", "    index = int(r * npoints)"),),
           ()),
    # An empty cluster's center moves to the origin (its sums stay 0, divided by a count made 1): whether a run
    # meets an empty cluster depends on its random start, seeded from a clock; which checks fail too (fails: ()).
    Mutant("c_gettimeofday_empty_to_origin", C, C_GETTIMEOFDAY + C_EMPTY_TO_ORIGIN, ()),
    Mutant("f90_system_clock_empty_to_origin", F, F_SYSTEM_CLOCK + F_EMPTY_TO_ORIGIN, ()),
    Mutant("py_time_empty_to_origin", PY, PY_TIME + PY_EMPTY_TO_ORIGIN, ()),
    # The same, its start seeded from the process id.
    Mutant("c_getpid_empty_to_origin", C, C_GETPID + C_EMPTY_TO_ORIGIN, ()),
    Mutant("f90_init_random_seed_empty_to_origin", F, F_INIT_RANDOM_SEED + F_EMPTY_TO_ORIGIN, ()),
    Mutant("py_getpid_empty_to_origin", PY, PY_GETPID + PY_EMPTY_TO_ORIGIN, ()),
    # --- wrong file parsing ---
    # The file is dimension-major (one line per coordinate) but is read point by point (x1 y1 x2 y2 ...).
    Mutant("c_point_major_read", C, (("    for (int d = 0; d < ndim; d++)\n        for (int i = 0; i < npoints; i++)\n"
                                      "            if (fscanf(f, \"%f\", &data[i * ndim + d]) != 1) {",
                                      "    for (int i = 0; i < npoints; i++)\n        for (int d = 0; d < ndim; d++)\n"
                                      "            if (fscanf(f, \"%f\", &data[i * ndim + d]) != 1) {"),),
           ("result.fixed_point", "course_data.fixed_point")),
    # Fortran reads the whole array in one statement: data(ndim, npoints) fills column by column, point by point.
    Mutant("f90_read_whole_array", F, (("  do d = 1, ndim\n    read(10,*) data(d, :)\n  end do\n", "  read(10,*) data\n"),),
           ("result.fixed_point", "course_data.fixed_point")),
    # The header's two numbers read in the wrong order (npoints, ndim): a crash at the end of the file.
    Mutant("f90_header_swapped", F, (("  read(10,*) ndim, npoints\n", "  read(10,*) npoints, ndim\n"),),
           ("output.format",)),
    # numpy's loadtxt without ndmin=2: a 1-D file gives a 1-D array.
    Mutant("py_loadtxt_1d", PY, (("    data = np.array([[float(value) for value in f.readline().split()] for _ in range(ndim)]).T",
                                  "    data = np.loadtxt(f).T"),),
           ("dimensions.any",)),
    # Reading the wrong file: the path on the student's laptop.
    Mutant("c_laptop_path", C, (('FILE *f = fopen("kmeans_input_file_2d.dat", "r");',
                                 'FILE *f = fopen("/home/student/ml/kmeans_input_file_2d.dat", "r");'),),
           ("output.format", "course_data.fixed_point")),
    # --- off by one in the counts ---
    Mutant("c_last_point_ignored", C, (("        for (int i = 0; i < npoints; i++) {\n            int best = 0;",
                                        "        for (int i = 0; i < npoints - 1; i++) {\n            int best = 0;"),),
           ("result.fixed_point", "course_data.fixed_point")),
    Mutant("c_counts_from_one", C, (("            counts[j] = 0;", "            counts[j] = 1;"),),
           ("result.fixed_point", "course_data.fixed_point")),
    # Counts, or sums, never reset between iterations.
    Mutant("c_counts_not_reset", C, (("            counts[j] = 0;\n", ""), ("    int counts[K];\n", "    int counts[K] = {0};\n")),
           ("result.fixed_point", "stopping.printed_steps")),
    Mutant("f90_sums_not_reset", F, (("    sums = 0.0\n    counts = 0\n", "    counts = 0\n"),
                                     ("  call random_seed()\n", "  call random_seed()\n  sums = 0.0\n")),
           ("result.fixed_point", "stopping.printed_steps")),
    Mutant("f90_mean_by_npoints", F, (("        sums(:, j) = sums(:, j) / counts(j)", "        sums(:, j) = sums(:, j) / npoints"),),
           ("result.fixed_point",)),
    # numpy aliasing: the centers are views of data points, and the update overwrites the data.
    Mutant("py_centers_alias_data", PY, (("centers = data[np.random.randint(0, npoints, size=k)].copy()",
                                          "centers = [data[i] for i in np.random.randint(0, npoints, size=k)]"),
                                         ("            centers[j] = new", "            centers[j][:] = new"),
                                         ("    np.savetxt(f, centers)", "    np.savetxt(f, np.array(centers))")),
           ("result.fixed_point",)),
    # --- the output file ---
    # The centers written like the input file, one line per coordinate.
    Mutant("py_output_transposed", PY, (("    np.savetxt(f, centers)", "    np.savetxt(f, centers.T)"),),
           ("output.format",)),
    Mutant("c_output_transposed", C, (
        ("    for (int j = 0; j < K; j++) {\n        for (int d = 0; d < ndim; d++)\n            fprintf(f, \"%f \", centers[j * ndim + d]);",
         "    for (int d = 0; d < ndim; d++) {\n        for (int j = 0; j < K; j++)\n            fprintf(f, \"%f \", centers[j * ndim + d]);"),),
        ("output.format",)),
    # All on one line, but coordinate by coordinate (the transpose of the centers, column-major).
    Mutant("f90_output_column_major", F, (("  do j = 1, k\n    write(11,*) centers(:, j)\n  end do\n",
                                           "  write(11,*) transpose(centers)\n"),),
           ("result.fixed_point", "course_data.fixed_point")),
    # Each center's coordinates in reverse order.
    Mutant("c_output_reversed", C, (('fprintf(f, "%f ", centers[j * ndim + d]);',
                                     'fprintf(f, "%f ", centers[j * ndim + ndim - 1 - d]);'),),
           ("result.fixed_point", "course_data.fixed_point")),
    # The first center written k times (its index does not move with the loop): every point ties among them.
    Mutant("c_output_first_center_k_times", C, (('fprintf(f, "%f ", centers[j * ndim + d]);',
                                                 'fprintf(f, "%f ", centers[d]);'),),
           ("result.fixed_point", "course_data.fixed_point")),
    # --- stopping and the printed steps ---
    # The stop tested before the print: the last step is never printed.
    Mutant("f90_exit_before_print", F, (
        ('    write(*,*) "Step :", step, " error :", err / npoints, " cent. move :", mov\n    if (mov <= eps) exit\n',
         '    if (mov <= eps) exit\n    write(*,*) "Step :", step, " error :", err / npoints, " cent. move :", mov\n'),),
        ("stopping.printed_steps", "course_data.fixed_point")),
    # The move is the sum of the distances, not of the squared distances.
    Mutant("c_move_not_squared", C, (("#include <time.h>\n", "#include <time.h>\n#include <math.h>\n"),
                                     ("            move += distance(&sums[j * ndim], &centers[j * ndim], ndim);",
                                      "            move += sqrtf(distance(&sums[j * ndim], &centers[j * ndim], ndim));")),
           ("stopping.printed_steps",)),
    # Another k than the course's 4 (a clustering of its own, a fixed point all the same).
    Mutant("c_k3", C, (("#define K 4", "#define K 3"),), ("output.format",)),
    Mutant("f90_k1", F, (("integer, parameter :: k = 4,", "integer, parameter :: k = 1,"),), ("output.format",)),
    # The move assigned, not added up: only the last center's counts.
    Mutant("c_move_last_center_only", C, (("            move += distance(&sums[j * ndim], &centers[j * ndim], ndim);",
                                           "            move = distance(&sums[j * ndim], &centers[j * ndim], ndim);"),),
           ("stopping.printed_steps",)),
    # The move measured after the centers were copied: always 0, the loop stops after one step.
    Mutant("c_move_after_copy", C, (
        ("            move += distance(&sums[j * ndim], &centers[j * ndim], ndim);\n            for (int d = 0; d < ndim; d++)\n"
         "                centers[j * ndim + d] = sums[j * ndim + d];\n",
         "            for (int d = 0; d < ndim; d++)\n                centers[j * ndim + d] = sums[j * ndim + d];\n"
         "            move += distance(&sums[j * ndim], &centers[j * ndim], ndim);\n"),),
        ("result.fixed_point", "course_data.fixed_point")),
    # The error measured after the update (each point to the new center of its cluster), not in the association
    # phase as the skeleton says: the error no longer drops with the move printed on the same line.
    Mutant("c_error_after_update", C, (
        ("    int counts[K];\n", "    int counts[K];\n    int *label = malloc(sizeof(int) * npoints);\n"),
        ("            counts[best]++;\n", "            counts[best]++;\n            label[i] = best;\n"),
        ('        printf("Step : %d, error : %f , cent. move : %f \\n", step, error / npoints, move);',
         '        error = 0.0f;\n        for (int i = 0; i < npoints; i++)\n'
         '            error += distance(&data[i * ndim], &centers[label[i] * ndim], ndim);\n'
         '        printf("Step : %d, error : %f , cent. move : %f \\n", step, error / npoints, move);')),
        ("stopping.printed_steps",)),
    # The steps printed without their labels: the grader cannot tell them from other numbers.
    Mutant("c_steps_unlabelled", C, (('printf("Step : %d, error : %f , cent. move : %f \\n", step, ',
                                      'printf("%d %f %f\\n", step, '),),
           ("stopping.printed_steps",)),
    # The error summed in an integer (Fortran): every printed error is 0.
    Mutant("f90_integer_err", F, (("  real :: dist, best_dist, err, mov, r", "  real :: dist, best_dist, mov, r\n  integer :: err"),),
           ("stopping.printed_steps",)),
    # The move is the largest squared move of one center, or their mean, not their sum: on the course's data
    # the last step's error shows that the centers moved more (or the loop stopped before a fixed point).
    Mutant("py_move_max", PY, (("            move += np.sum((new - centers[j]) ** 2)",
                                "            move = max(move, np.sum((new - centers[j]) ** 2))"),),
           ("course_data.fixed_point",)),
    Mutant("py_move_mean", PY, (("    print(\"Step :\", step,", "    move /= k\n    print(\"Step :\", step,"),),
           ("course_data.fixed_point",)),
    Mutant("c_move_max", C, (("            move += distance(&sums[j * ndim], &centers[j * ndim], ndim);",
                              "            move = fmaxf(move, distance(&sums[j * ndim], &centers[j * ndim], ndim));"),
                             ("#include <time.h>\n", "#include <time.h>\n#include <math.h>\n")),
           ("course_data.fixed_point",)),
    Mutant("c_move_mean", C, (("        printf(\"Step : %d,", "        move /= K;\n        printf(\"Step : %d,"),),
           ("course_data.fixed_point",)),
    Mutant("f90_move_max", F, (("        mov = mov + sum((sums(:, j) - centers(:, j))**2)",
                                "        mov = max(mov, sum((sums(:, j) - centers(:, j))**2))"),),
           ("course_data.fixed_point",)),
    # The move never reset: it sums every step's move.
    Mutant("c_move_not_reset", C, (("        float move = 0.0f;\n", ""),
                                   ("    int counts[K];\n", "    int counts[K];\n    float move = 0.0f;\n")),
           ("stopping.printed_steps",)),
    # The header line without its newline: the first center runs on after 'ndim k'.
    Mutant("c_header_no_newline", C, (('fprintf(f, " %d %d \\n", ndim, K);', 'fprintf(f, " %d %d ", ndim, K);'),),
           ("output.format",)),
    # The header written as real numbers (" 2.000000 4.000000"): the file is read all the same; only its format fails.
    Mutant("c_header_reals", C, (('fprintf(f, " %d %d \\n", ndim, K);',
                                  'fprintf(f, " %f %f \\n", (double)ndim, (double)K);'),), ("output.format",)),
    # The error summed in an int, printed with %f: garbage printed (the compiler warns about the format).
    Mutant("c_int_error", C, (("        float error = 0.0f;", "        int error = 0;"),), ("stopping.printed_steps",)),
    # The move on a line of its own: no line holds the step, the error and the move together.
    Mutant("py_move_on_its_own_line", PY, (('    print("Step :", step, " error :", error / npoints, " cent. move :", move)',
                                            '    print("Step :", step, " error :", error / npoints)\n'
                                            '    print("   cent. move :", move)'),),
           ("stopping.printed_steps",)),
    # The error divided by the number of centers instead of the number of points.
    Mutant("c_error_over_k", C, (("step, error / npoints, move);", "step, error / K, move);"),),
           ("stopping.printed_steps",)),
)
