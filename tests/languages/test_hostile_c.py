"""Hostile C code, one test per attack: each gets its verdict, changes nothing outside the worker's folder,
and leaves no process behind (see :func:`tests.languages.hostile.grade_attack`)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.languages.conftest import needs
from tests.languages.hostile import c_attack, grade_attack
from tests.sandbox.helpers import LIMITS, check, full_marks, landlock_active, make_course

pytestmark = [needs("c"), pytest.mark.slow]

OK = "assign_ok(data, n, d, centers, k, labels);"


def _crashed(report, signal: str) -> None:
    result = check(report, "assign.nearest_center")
    assert result.verdict == "crashed", result.message
    # The line of the student's file it happened at (the grader's crash handler, on Linux).
    where = r" at line \d+ of student\.c" if sys.platform.startswith("linux") else ""
    assert re.match(rf"crashed with {signal}{where} \(", result.message), result.message
    assert result.message.endswith(") in assign")
    assert full_marks(report, but=("assign",))


def test_infinite_loop(course):
    report = grade_attack(course, c_attack("volatile int spin = 1;\nwhile (spin) {}"), "c")
    result = check(report, "assign.nearest_center")
    assert result.verdict == "timeout"
    assert re.fullmatch(r"timed out after 2 s in assign on a \d+ x \d array", result.message)
    assert full_marks(report, but=("assign",))


def test_segfault(course):
    _crashed(grade_attack(course, c_attack("*(volatile int *)0 = 1;"), "c"), "SIGSEGV")


def test_stack_overflow(course):
    prelude = ("static int deep(int n)\n{\n    volatile char pad[65536];\n    pad[n % 65536] = (char)n;\n"
               "    return deep(n + 1) + pad[0];\n}\n")
    _crashed(grade_attack(course, c_attack("labels[0] = deep(0);", prelude=prelude), "c"), "SIGSEGV")


def test_abort(course):
    _crashed(grade_attack(course, c_attack("abort();"), "c"), "SIGABRT")


def test_exit_in_a_function(course):
    report = grade_attack(course, c_attack("exit(0);"), "c")
    result = check(report, "assign.nearest_center")
    assert result.verdict == "crashed"
    assert result.message == "your code ended the process (exit code 0) during assign"
    assert full_marks(report, but=("assign",))


def test_as_many_threads_as_promised_always_fit(course):
    # Every thread mallocs while all of them run at once: each could once take an arena of 64 MiB of address space.
    prelude = ("#include <pthread.h>\nstatic pthread_barrier_t all_started;\n"
               "static void *work(void *unused)\n{\n    (void)unused;\n    pthread_barrier_wait(&all_started);\n"
               "    free(malloc(4000));\n    return NULL;\n}\n")
    body = (f"enum {{ THREADS = {LIMITS['processes']} }};\npthread_t threads[THREADS];\n"
            "pthread_barrier_init(&all_started, NULL, THREADS);\n"
            "for (int t = 0; t < THREADS; t++)\n    if (pthread_create(&threads[t], NULL, work, NULL) != 0)\n"
            "        abort();\nfor (int t = 0; t < THREADS; t++)\n    pthread_join(threads[t], NULL);\n"
            "pthread_barrier_destroy(&all_started);\n" + OK)
    for _ in range(3):
        report = grade_attack(course, c_attack(body, prelude=prelude), "c")
        assert full_marks(report), [(result.id, result.message) for result in report.exercises[0].checks
                                    if not result.passed]


def test_fork_loop(course):
    report = grade_attack(course, c_attack("for (;;)\n    fork();"), "c")
    result = check(report, "assign.nearest_center")
    assert result.verdict == "timeout", result.message
    assert full_marks(report, but=("assign",))


def test_system(course, tmp_path):
    target = Path("/tmp") / f"grader-c-system-{tmp_path.name}"
    body = f'int status = system("echo owned > {target}; echo owned > {course.root}/owned");\n' \
           f'printf("SYSTEM=%d\\n", status);\n{OK}'
    report = grade_attack(course, c_attack(body), "c")
    assert not target.exists() and not (course.root / "owned").exists()
    assert "SYSTEM=0" not in report.output and "SYSTEM=" in report.output
    assert full_marks(report)


def test_writing_outside_its_folder(course, tmp_path):
    targets = [Path("/tmp") / f"grader-c-write-{tmp_path.name}", course.root / "config.yaml",
               course.root / "reference" / "kmeans.c"]
    body = "".join(f'{{ FILE *f = fopen("{t}", "a"); printf("WRITE=%s\\n", f ? "opened" : "denied");'
                   f' if (f) {{ fputs("owned", f); fclose(f); }} }}\n' for t in targets) + OK
    report = grade_attack(course, c_attack(body), "c")
    assert landlock_active(report), report.sandbox
    assert "WRITE=opened" not in report.output and "WRITE=denied" in report.output
    assert not targets[0].exists()
    assert full_marks(report)


def test_opening_a_socket(course):
    body = f'int s = socket(AF_INET, SOCK_STREAM, 0);\nprintf("SOCKET=%d\\n", s);\n{OK}'
    report = grade_attack(course, c_attack(body), "c")
    assert "SOCKET=-1" in report.output and not re.search(r"SOCKET=\d", report.output)
    assert full_marks(report)


def test_reading_the_reference(course):
    targets = [course.root / "reference" / "kmeans.c", course.root / "reference" / "kmeans.py",
               course.root / "config.yaml", course.submissions / "alice.py"]
    body = "".join(f'{{ FILE *f = fopen("{t}", "r"); char line[80] = "";\n'
                   f'  if (f && fgets(line, sizeof line, f)) printf("LEAK %s\\n", line); else printf("DENIED\\n");'
                   f'  if (f) fclose(f); }}\n' for t in targets) + OK
    report = grade_attack(course, c_attack(body), "c")
    assert landlock_active(report), report.sandbox
    assert "LEAK" not in report.output and report.output.count("DENIED") >= len(targets)
    assert full_marks(report)


@pytest.mark.parametrize("target", ["reference/kmeans.c", "/etc/passwd"])
def test_include_outside_the_submission(course, target):
    path = target if target.startswith("/") else str(course.root / target)
    report = grade_attack(course, f'#include "{path}"\n' + c_attack(OK), "c")
    exercise = report.exercises[0]
    assert exercise.status == "error" and report.score == 0
    assert "does not compile" in exercise.error and "Permission denied" in exercise.error
    assert "root:" not in exercise.error and "Reference solution" not in exercise.error
    assert str(course.submissions) not in exercise.error  # paths relative to the student's file


def test_huge_printf_loop(tmp_path):
    course = make_course(tmp_path / "course", limits={**LIMITS, "output_kb": 1})
    report = grade_attack(course, c_attack('for (;;)\n    printf("spam spam spam spam spam spam spam\\n");'), "c")
    result = check(report, "assign.nearest_center")
    assert result.verdict == "crashed"
    assert result.message == "stopped: your code printed more than 1 MiB in assign"
    assert full_marks(report, but=("assign",))
    assert len(report.output) < 4000


def test_files_that_would_fill_the_disk_are_stopped(course):
    # Each file stays under the system's limit on one file (file_size_mb, 8 MB here); together they may hold 4
    # times that: a submission filling the disk would stop every other grading on the machine.
    body = ('static char block[1 << 20];\nchar name[32];\nfor (int f = 0; ; f++) {\n'
            '    sprintf(name, "fill_%d.bin", f);\n    FILE *out = fopen(name, "wb");\n    if (!out) continue;\n'
            '    for (int m = 0; m < 4; m++) fwrite(block, 1, sizeof block, out);\n    fclose(out);\n}')
    report = grade_attack(course, c_attack(body, prelude="#include <stdio.h>\n"), "c")
    result = check(report, "assign.nearest_center")
    assert result.verdict == "crashed", result.message
    assert result.message == ("stopped: your code wrote more than 32 MiB of files (or more than 20,000 files) in "
                              "its folder in assign: write only what the exercise asks for"), result.message
    assert full_marks(report, but=("assign",))


def test_junk_written_on_every_file_descriptor_is_told_as_such(course):
    # One of them is the grader's private channel: the junk reads as a reply of terabytes, which it never was.
    body = f'for (int fd = 3; fd < 64; fd++) {{ ssize_t w = write(fd, "junk!!!!", 8); (void)w; }}\n{OK}'
    report = grade_attack(course, c_attack(body), "c")
    result = check(report, "assign.nearest_center")
    assert result.verdict == "crashed", result.message
    assert result.message == ("stopped: your code wrote on a file it did not open (the grader's private channel) "
                              "during assign: write only on the standard output or error, and on files your code "
                              "opens"), result.message
    assert full_marks(report, but=("assign",))


def test_multi_gigabyte_malloc(course):
    body = ("size_t size = (size_t)6 << 30;\ndouble *volatile big = malloc(size);\n"
            f"memset(big, 0, size);\nlabels[0] = (int)big[0];\n{OK}")
    _crashed(grade_attack(course, c_attack(body), "c"), "SIGSEGV")
