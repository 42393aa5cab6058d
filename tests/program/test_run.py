"""The seam checks use: ``student.run(files=...)`` runs a program once per input, in a fresh confined folder."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time

import pytest

from grader.student._base import StudentLoadError
from grader.student._program import open_program
from tests.conftest import ROOT
from tests.program.conftest import needs_compilers

PROGRAM = r"""
#include <stdio.h>
int main(void) {
    FILE *in = fopen("in.dat", "r+");            /* read and write, as the course's C program */
    if (in == NULL) { printf("cannot open\n"); return 3; }
    int value = 0;
    fscanf(in, "%d", &value);
    fclose(in);
    FILE *mark = fopen("mark.txt", "r");          /* left by an earlier run? each run starts afresh */
    printf("value %d, earlier run seen: %s\n", value, mark ? "yes" : "no");
    FILE *out = fopen("mark.txt", "w");
    fprintf(out, "%d\n", 2 * value);
    fclose(out);
    return value == 7 ? 5 : 0;
}
"""


@pytest.fixture(scope="module")
def student(program_config, tmp_path_factory):
    needs_compilers("c")
    path = tmp_path_factory.mktemp("seam") / "kmeans_program.c"
    path.write_text(PROGRAM, encoding="utf-8")
    opened = open_program(path, program_config.exercise("kmeans_program"), program_config.limits)
    yield opened
    opened.close()


def test_a_run_reads_a_writable_copy_and_returns_what_it_wrote(student):
    run = student.run({"in.dat": b"21\n"})
    assert run.ok and run.ended == "exited"
    assert "value 21, earlier run seen: no" in run.printed
    assert run.files == {"mark.txt": b"42\n"}  # the input is left out: it did not change
    assert run.duration > 0 and not run.elsewhere


def test_every_run_starts_in_a_fresh_folder_and_the_same_input_runs_once(student):
    before = student.runs
    first = student.run({"in.dat": b"3\n"})
    again = student.run({"in.dat": b"3\n"})
    other = student.run({"in.dat": b"4\n"})
    assert again is first and student.runs == before + 2
    assert "earlier run seen: no" in other.printed and other.files == {"mark.txt": b"8\n"}


def test_exit_codes_are_kept(student):
    run = student.run({"in.dat": b"7\n"})
    assert run.ended == "exited" and run.exit_code == 5 and not run.ok


def test_a_missing_input_is_the_program_s_own_business(student):
    run = student.run({})
    assert run.exit_code == 3 and "cannot open" in run.tail()


def test_standard_input_must_stay_empty(student):
    with pytest.raises(ValueError):
        student.run({"in.dat": b"1\n"}, stdin=b"4\n")


def test_an_unknown_language_cannot_be_opened(program_config, tmp_path):
    path = tmp_path / "kmeans_program.rs"
    path.write_text("fn main() {}", encoding="utf-8")
    with pytest.raises(StudentLoadError, match="cannot tell its language"):
        open_program(path, program_config.exercise("kmeans_program"), program_config.limits)


RANDOM_C = r"""
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(void) { srand(time(NULL)); printf("%d %d\n", rand(), rand()); return 0; }
"""
RANDOM_F90 = """
program draws
  real :: r(3)
  call random_seed()
  call random_number(r)
  write(*,*) r
end program draws
"""


#: Every clock a program may seed itself from: the wall clock, the monotonic clock, the processor time.
CLOCKS_C = r"""
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
int main(void) {
    struct timeval now;
    struct timespec wall, monotonic, processor;
    struct tms spent;
    gettimeofday(&now, NULL);
    clock_gettime(CLOCK_REALTIME, &wall);
    clock_gettime(CLOCK_MONOTONIC, &monotonic);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &processor);
    clock_t ticks = times(&spent);
    srand(now.tv_sec * 1000000 + now.tv_usec);
    printf("%ld.%06ld %ld.%09ld %ld.%09ld %ld %ld %ld %ld %d\n", (long) now.tv_sec, (long) now.tv_usec,
           (long) wall.tv_sec, wall.tv_nsec, (long) monotonic.tv_sec, monotonic.tv_nsec, processor.tv_nsec,
           (long) clock(), (long) ticks, (long) spent.tms_utime, rand());
    return 0;
}
"""
CLOCKS_F90 = """
program clocks
  integer :: count, values(8)
  integer(8) :: fine
  real :: spent
  call system_clock(count)
  call system_clock(fine)
  call date_and_time(values=values)
  call cpu_time(spent)
  write(*,*) count, fine, values, spent
end program clocks
"""
CLOCKS_PY = """
import datetime
import time
print(time.time(), time.monotonic(), time.perf_counter(), time.process_time(), datetime.datetime.now())
"""
#: A random start seeded from the process id (a common C idiom), from a variable's address, and from gfortran's
#: manual's init_random_seed (/dev/urandom, else the clock and the process id); Python's os.getpid().
PIDS_C = r"""
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
int main(void) {
    int local = 0;
    srand(time(NULL) ^ (getpid() << 16));
    printf("%d %d %d %p %p %d\n", (int) getpid(), (int) getppid(), rand(), (void *) &local, malloc(64),
           (int) ((size_t) &local >> 4));
    return 0;
}
"""
PIDS_F90 = """
program pids
  integer, allocatable :: seed(:)
  integer :: n, un, istat, pid
  integer(8) :: t
  real :: r(3)
  call random_seed(size = n)
  allocate(seed(n))
  open(newunit=un, file="/dev/urandom", access="stream", form="unformatted", action="read", status="old", &
       iostat=istat)
  if (istat == 0) then
    read(un) seed
    close(un)
  else
    call system_clock(t)
    seed = int(mod(ieor(t, int(getpid(), 8)), 2147483647_8))
  end if
  pid = getpid()
  call random_seed(put=seed)
  call random_number(r)
  write(*,*) pid, r
end program pids
"""
PIDS_PY = """
import os
print(os.getpid(), os.getppid(), open("/dev/urandom", "rb").read(8).hex())
"""
#: Seeds read with the C library's own means: fopen of /dev/urandom, and its arc4random (glibc 2.36, the BSDs;
#: declared here, for the C libraries whose header does not).
ENTROPY_C = r"""
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
uint32_t arc4random(void);
uint32_t arc4random_uniform(uint32_t upper);
int main(void) {
    unsigned int seed = 0;
    FILE *device = fopen("/dev/urandom", "rb");
    if (device == NULL || fread(&seed, sizeof seed, 1, device) != 1)
        return 1;
    fclose(device);
    printf("%u %u %u\n", seed, (unsigned) arc4random(), (unsigned) arc4random_uniform(1000));
    return 0;
}
"""
LANGUAGES = {".c": "c", ".f90": "fortran", ".py": "python"}


@pytest.mark.parametrize("suffix, source", [(".c", RANDOM_C), (".f90", RANDOM_F90),
                                            pytest.param(".c", CLOCKS_C, marks=pytest.mark.quick, id="clocks.c"),
                                            pytest.param(".f90", CLOCKS_F90, id="clocks.f90"),
                                            pytest.param(".py", CLOCKS_PY, id="clocks.py"),
                                            pytest.param(".c", PIDS_C, id="pids.c"),
                                            pytest.param(".f90", PIDS_F90, id="pids.f90"),
                                            pytest.param(".py", PIDS_PY, id="pids.py"),
                                            pytest.param(".c", ENTROPY_C, id="entropy.c")])
def test_random_starts_are_reproducible_across_gradings(program_config, tmp_path, suffix, source):
    needs_compilers(LANGUAGES[suffix])
    path = tmp_path / f"kmeans_program{suffix}"
    path.write_text(source, encoding="utf-8")
    printed = []
    for _ in range(2):  # two gradings: two students, two workers, two builds
        student = open_program(path, program_config.exercise("kmeans_program"), program_config.limits)
        try:
            if not student.protections["random_start"].startswith("active"):
                pytest.skip(student.protections["random_start"])
            printed.append((student.run({"a.dat": b"1"}).printed, student.run({"a.dat": b"2"}).printed))
        finally:
            student.close()
    assert printed[0] == printed[1]  # the same input: the same random start
    assert printed[0][0] != printed[0][1]  # another input: another one


#: A program that forks, waits for its child and ends itself by its replayed process id.
PROCESSES_C = r"""
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    pid_t self = getpid(), parent = getppid();
    printf("parent alive %d\n", kill(parent, 0) == 0);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        printf("child %d, its parent %d, started by %d\n", getpid() != self, getppid() == self, self);
        fflush(stdout);
        _exit(kill(self, 0) == 0 ? 7 : 8);
    }
    int status = 0, waited = waitpid(child, &status, 0) == child;
    printf("waited %d, code %d\n", waited, WEXITSTATUS(status));
    printf("group %d\n", getpgid(self) == getpgid(0));
    fflush(stdout);
    kill(getpid(), SIGTERM);
    printf("still running\n");
    return 0;
}
"""


def _replayed_run(program_config, path, source: str):
    """One run of the program ``source`` written at ``path``, its start replayed (skipped where it cannot be)."""
    path.write_text(source, encoding="utf-8")
    student = open_program(path, program_config.exercise("kmeans_program"), program_config.limits)
    try:
        if not student.protections["random_start"].startswith("active"):
            pytest.skip(student.protections["random_start"])
        return student.run({"a.dat": b"1"})
    finally:
        student.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the replayed process ids are Linux's")
def test_replayed_process_ids_name_the_real_processes(program_config, tmp_path):
    """A forked child sees an id of its own and its parent's replayed one; waitpid, getpgid and kill given a
    replayed id act on the real process it names: kill(getpid(), SIGTERM) ends the program."""
    needs_compilers("c")
    run = _replayed_run(program_config, tmp_path / "kmeans_program.c", PROCESSES_C)
    lines = run.printed.splitlines()
    assert run.ended == "crashed" and run.signal == "SIGTERM", run.printed
    assert lines[0] == "parent alive 1"
    assert lines[1].startswith("child 1, its parent 1, started by ")
    assert lines[2:] == ["waited 1, code 7", "group 1"]
    started = int(lines[1].rsplit(" ", 1)[1])
    assert started > 4194304  # above any real process's id: never confused with one


#: Replayed clocks still behave as clocks: readings strictly increase, a sleep advances them by the time slept,
#: a loop that waits for time to pass (busy, or sleeping) ends.
SANE_CLOCKS = {
    ".c": r"""
#include <stdio.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>
static double seconds(clockid_t id) { struct timespec t; clock_gettime(id, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(void) {
    double last = seconds(CLOCK_MONOTONIC);
    for (int i = 0; i < 1000; i++) {
        double now = seconds(i % 2 ? CLOCK_MONOTONIC : CLOCK_BOOTTIME);
        if (now <= last) { printf("not increasing\n"); return 1; }
        last = now;
    }
    time_t start = time(NULL);
    while (time(NULL) - start < 2) ;
    clock_t spent = clock();
    while (clock() - spent < CLOCKS_PER_SEC) ;
    double before = seconds(CLOCK_MONOTONIC);
    usleep(50000);
    struct timeval pause = { 0, 50000 };
    select(0, NULL, NULL, NULL, &pause);
    struct timespec nap = { 0, 50000000 };
    nanosleep(&nap, NULL);
    clock_nanosleep(CLOCK_MONOTONIC, 0, &nap, NULL);
    printf("slept %.3f\n", seconds(CLOCK_MONOTONIC) - before);
    int naps = 0;
    for (start = time(NULL); time(NULL) - start < 1; naps++)
        usleep(250000);
    printf("waited in %d naps\n", naps);
    return 0;
}
""",
    ".py": """
import time
readings = [time.monotonic() for _ in range(1000)] + [time.time() for _ in range(1000)]
assert all(a < b for a, b in zip(readings[:1000], readings[1:1000])), "monotonic"
assert all(a < b for a, b in zip(readings[1000:], readings[1001:])), "time"
before = time.monotonic()
time.sleep(0.2)
print("slept %.3f" % (time.monotonic() - before))
naps, start = 0, time.perf_counter()
while time.perf_counter() - start < 0.3:
    time.sleep(0.05)
    naps += 1
print("waited in %d naps" % naps)
""",
}


@pytest.mark.parametrize("suffix", sorted(SANE_CLOCKS))
def test_replayed_clocks_advance_and_sleeps_advance_them(program_config, tmp_path, suffix):
    needs_compilers(LANGUAGES[suffix])
    run = _replayed_run(program_config, tmp_path / f"kmeans_program{suffix}", SANE_CLOCKS[suffix])
    assert run.ok, run.printed[-500:]
    # Exactly the time slept: the readings in between advance the replayed clocks by microseconds only.
    expected = {".c": ["slept 0.200", "waited in 4 naps"], ".py": ["slept 0.200", "waited in 6 naps"]}[suffix]
    assert run.printed.split("\n")[:2] == expected


THREADS_WAITING = """
import queue
import threading

def compute():
    total = 0
    for i in range(1_500_000):
        total += i

threads = [threading.Thread(target=compute) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
lock = threading.Lock()
lock.acquire()
print("acquired", lock.acquire(timeout=1.0))
try:  # waits again for what is left of its timeout, read on the clock, until none is
    queue.Queue().get(timeout=0.2)
except queue.Empty:
    print("empty")
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the library of reproducible starts is Linux's")
def test_deadlines_read_on_the_replayed_clocks_are_waited_for_on_the_real_ones(tmp_path):
    """Python's lock of the interpreter waits with a deadline read on the (replayed) monotonic clock: four threads
    computing spun for it, seconds of system time, when the kernel compared that deadline, far behind, with the
    real clock; and a lock's timeout of 1 s ended at once.  The time waited shows on the replayed clocks, as the
    time slept does: a wait that waits again for what is left of its timeout ends."""
    from grader.student._program import _replayable_library

    library, state = _replayable_library()
    assert library is not None, state
    script = tmp_path / "threads.py"
    script.write_text(THREADS_WAITING, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "LD_PRELOAD": str(library), "GRADER_RUN_SEED": "7"})
    waited = time.monotonic() - start
    spent = resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime - before.ru_stime
    assert done.returncode == 0 and done.stdout == "acquired False\nempty\n", done.stderr
    assert waited >= 1.0, "the timeout of the lock ended before its second"
    assert spent < 1.0, f"{spent:.2f} s of system time: the threads spun for the interpreter's lock"


AS_MANY_THREADS_AS_PROMISED = """
import threading

barrier = threading.Barrier({count}, timeout=30)
threads = [threading.Thread(target=barrier.wait) for _ in range({count})]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("all {count} ran at once")
"""


def test_a_program_may_run_as_many_threads_at_once_as_promised(program_config, tmp_path):
    """The program's own process is not one its code started: beside it, the promised number of threads."""
    count = program_config.limits.processes
    run = _replayed_run(program_config, tmp_path / "kmeans_program.py", AS_MANY_THREADS_AS_PROMISED.format(count=count))
    assert run.ok and f"all {count} ran at once" in run.printed, run.printed[-500:]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the library of reproducible starts is Linux's")
def test_the_library_of_reproducible_starts_leaves_no_folder_behind(tmp_path):
    code = ("from grader.student._program import _replayable_library\n"
            "path, state = _replayable_library()\nassert path is not None and path.is_file(), state\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "TMPDIR": str(tmp_path)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert not list(tmp_path.glob("grader-replayable-*"))


#: A debugging line per point on stdout, the step on stderr (where Python's ``logging`` writes too): 36 KB in all,
#: far more than a buffer of stdout.
INTERLEAVED = {
    ".c": r"""
#include <stdio.h>
int main(void) {
    for (int step = 1; step <= 6; step++) {
        for (int i = 0; i < 300; i++)
            printf("point %d -> center %d\n", i, (i * step) % 4);
        fprintf(stderr, "Step : %d, error : %f , cent. move : %f \n", step, 1.0 / step, 0.5 / step);
    }
    return 0;
}
""",
    ".py": """
import sys
for step in range(1, 7):
    for i in range(300):
        print("point", i, "->", "center", (i * step) % 4)
    print("Step : %d, error : %f , cent. move : %f " % (step, 1.0 / step, 0.5 / step), file=sys.stderr)
""",
    ".f90": """
program interleaved
  integer :: step, i
  do step = 1, 6
    do i = 0, 299
      write(*, '(a, i0, a, i0)') 'point ', i, ' -> center ', mod(i * step, 4)
    end do
    write(0, '(a, i0, a, f8.6, a, f8.6, a)') 'Step : ', step, ', error : ', 1.0 / step, ' , cent. move : ', &
      0.5 / step, ' '
  end do
end program interleaved
""",
}


@pytest.mark.quick
@pytest.mark.parametrize("suffix", sorted(INTERLEAVED))
def test_stdout_and_stderr_are_read_as_a_terminal_shows_them(program_config, tmp_path, suffix):
    """Each stderr line stays whole, where the program printed it among its stdout lines (a stdout buffered by
    blocks would be written mid-line, the step landing inside a debugging line)."""
    needs_compilers({".c": "c", ".f90": "fortran"}.get(suffix, "python"))
    path = tmp_path / f"kmeans_program{suffix}"
    path.write_text(INTERLEAVED[suffix], encoding="utf-8")
    student = open_program(path, program_config.exercise("kmeans_program"), program_config.limits)
    try:
        if suffix == ".c" and not student.protections["random_start"].startswith("active"):
            pytest.skip(student.protections["random_start"])  # the preloaded library line-buffers C's stdout
        run = student.run({"a.dat": b"1"})
    finally:
        student.close()
    expected = []
    for step in range(1, 7):
        expected += [f"point {i} -> center {(i * step) % 4}" for i in range(300)]
        expected.append(f"Step : {step}, error : {1.0 / step:f} , cent. move : {0.5 / step:f}")
    assert run.ok, run.printed[-500:]
    assert [line.rstrip() for line in run.printed.splitlines()] == expected


def test_what_a_program_printed_names_pythons_libraries_from_the_library_on():
    """A traceback through numpy names its files from ``numpy/`` on, as the output of a module's code does: the
    report shows no path of the grader's machine."""
    import sysconfig

    from grader.student._program import _validated

    library = sysconfig.get_paths()["purelib"]
    reply = {"ended": "exited", "code": 1, "head": f'  File "{library}/numpy/lib/_npyio_impl.py", line 1384\n',
             "tail": "", "printed": 60}
    run = _validated(reply, stdin_blocked=False)
    assert run.printed == '  File "numpy/lib/_npyio_impl.py", line 1384\n'


BACKENDS = """
import sys
print("matplotlib" in sys.modules)  # nothing of it is loaded by the grader's start
import matplotlib
matplotlib.use("TkAgg")
import matplotlib.pyplot as plt
print(matplotlib.get_backend().lower())
plt.switch_backend("QtAgg")
print(matplotlib.get_backend().lower())
plt.switch_backend("pdf")
print(matplotlib.get_backend().lower())
plt.plot([1, 2])
plt.show()
"""


def test_a_python_program_choosing_an_interactive_backend_plots_with_agg(program_config, tmp_path):
    """Graded without a display, ``matplotlib.use("TkAgg")`` or ``switch_backend("QtAgg")`` selects Agg
    instead of stopping the program; a non-interactive backend is kept."""
    pytest.importorskip("matplotlib")
    path = tmp_path / "kmeans_program.py"
    path.write_text(BACKENDS, encoding="utf-8")
    student = open_program(path, program_config.exercise("kmeans_program"), program_config.limits)
    try:
        run = student.run({"a.dat": b"1"})
    finally:
        student.close()
    assert run.ok, run.printed[-800:]
    assert run.printed.split() == ["False", "agg", "agg", "pdf"]
    assert not run.files and not run.elsewhere


def test_the_startup_hook_changes_only_backends_that_need_a_display():
    from grader.student._python_startup import headless

    assert [headless(name) for name in ("TkAgg", "QtAgg", "MacOSX", "agg", "PDF", "svg", "module://x.y", None)] \
        == ["agg", "agg", "agg", "agg", "PDF", "svg", "module://x.y", None]
