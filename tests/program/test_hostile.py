"""Hostile programs get a specific verdict each, with nothing harmed outside their folder."""

from __future__ import annotations

import socket
import threading
import uuid
from pathlib import Path

import pytest

from tests.program.conftest import HERE, by_id, needs_compilers

HOSTILE = HERE / "hostile"


def _copy(tmp_path_factory, name: str, **fill: str) -> Path:
    source = (HOSTILE / name).read_text(encoding="utf-8")
    for key, value in fill.items():
        source = source.replace(f"@{key}@", value)
    folder = tmp_path_factory.mktemp(Path(name).stem)
    path = folder / f"kmeans_program{Path(name).suffix}"
    path.write_text(source, encoding="utf-8")
    return path


def _first(result):
    return by_id(result)["output.format"]


@pytest.mark.slow
def test_infinite_loop_times_out(grade_endless_program, tmp_path_factory):
    needs_compilers("c")
    result = grade_endless_program(_copy(tmp_path_factory, "infinite_loop.c"))
    check = _first(result)
    assert check.verdict == "timeout"
    assert check.message.startswith("timeout: your program ran for more than")
    assert result.score == 0


@pytest.mark.slow
def test_a_program_that_only_waits_is_told_it_waited_not_that_it_computed(grade_endless_program, tmp_path_factory):
    needs_compilers("c")
    check = _first(grade_endless_program(_copy(tmp_path_factory, "sleeps_forever.c")))
    assert check.verdict == "timeout"
    assert check.message.startswith("timeout: your program did not end on a dataset"), check.message
    assert "of wall-clock time but little processor time, waiting rather than computing" in check.message


@pytest.mark.slow
def test_fork_loop_is_held_and_times_out(grade_endless_program, tmp_path_factory):
    needs_compilers("c")
    result = grade_endless_program(_copy(tmp_path_factory, "fork_loop.c"))
    assert _first(result).verdict == "timeout"
    assert result.score == 0


def test_huge_output_is_stopped(grade_program, tmp_path_factory):
    needs_compilers("c")
    check = _first(grade_program(_copy(tmp_path_factory, "huge_output.c")))
    assert check.verdict == "crashed"
    assert check.message.startswith("printed too much:")
    assert "What it printed last:" in check.message and "and some more text" in check.message


@pytest.mark.parametrize("name", ["waits_stdin.c", pytest.param("waits_stdin.py", marks=pytest.mark.slow)])
def test_waiting_for_standard_input_is_said(grade_program, tmp_path_factory, name):
    needs_compilers("c" if name.endswith(".c") else "python")
    check = _first(grade_program(_copy(tmp_path_factory, name)))
    assert check.verdict == "crashed"
    assert check.message.startswith("waits for standard input:")
    assert "k ?" in check.message  # the tail of what it printed


@pytest.mark.slow
def test_reading_other_folders_is_denied(grade_program, tmp_path_factory):
    secret_folder = tmp_path_factory.mktemp("secret")
    secret = secret_folder / "answers.txt"
    secret.write_text("THE-SECRET-ANSWERS", encoding="utf-8")
    result = grade_program(_copy(tmp_path_factory, "reads_elsewhere.py", SECRET=str(secret)))
    check = _first(result)
    assert check.verdict == "failed" and "exit code 1" in check.message
    assert "denied PermissionError" in check.message
    assert "THE-SECRET-ANSWERS" not in str(result.checks) and "LEAKED" not in str(result.checks)
    assert "LISTED" not in str(result.checks)


def test_multiprocessing_refused_says_why(grade_program, tmp_path_factory):
    check = _first(grade_program(_copy(tmp_path_factory, "multiprocessing_pool.py")))
    assert check.verdict == "failed" and "exit code 1" in check.message
    assert ("It was refused an operation (PermissionError): the grader runs your program isolated and refuses this "
            "(files outside its folder, /tmp, multiprocessing's shared memory, its ThreadPool's too...); compute in "
            "the program's own process (threads are fine: threading, concurrent.futures.ThreadPoolExecutor).") in check.message, check.message


@pytest.mark.slow
def test_network_is_unreachable(grade_program, tmp_path_factory):
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    received: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            received.append(connection.recv(100))
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        result = grade_program(_copy(tmp_path_factory, "network.py", PORT=str(port)))
    finally:
        stop.set()
        thread.join()
        listener.close()
    assert not received
    check = _first(result)
    assert "no network" in check.message and "CONNECTED" not in check.message


@pytest.mark.slow
def test_writing_elsewhere_is_caught_and_denied(grade_program, tmp_path_factory):
    name = f"escaped-{uuid.uuid4().hex}"
    result = grade_program(_copy(tmp_path_factory, "writes_elsewhere.py", NAME=name))
    check = _first(result)
    assert check.verdict == "failed"
    assert check.message.startswith("writes elsewhere:") and "escaped.txt" in check.message
    assert not (Path("/tmp") / name).exists()


def test_numbers_no_double_has_are_the_checks_failures_not_the_graders(grade_program, tmp_path):
    """The reference printing a second step line of ``0e500`` each iteration, and writing an output file whose first
    line holds a dimension of 5000 digits: ordinary failures, each saying what it printed or wrote, never an
    error in the checks (which would leave the student a provisional grade)."""
    from tests.conftest import ROOT

    source = (ROOT / "reference" / "kmeans_program.py").read_text(encoding="utf-8")
    step = '    print("Step :", step, " error :", error / npoints, " cent. move :", move)\n'
    assert step in source and 'f.write(f"{ndim} {k}\\n")' in source
    hostile = source.replace(step, step + '    print("Step :", step, " error : 0e500 cent. move : 0e500")\n')
    path = tmp_path / "steps" / "kmeans_program.py"
    path.parent.mkdir()
    path.write_text(hostile, encoding="utf-8")
    result = grade_program(path)
    assert not result.grader_errors, [check.message for check in result.grader_errors]
    assert "the printed steps are numbered [1, 1" in by_id(result)["stopping.printed_steps"].message
    header = source.replace('f.write(f"{ndim} {k}\\n")', 'f.write("9" * 5000 + f" {k}\\n")')
    path = tmp_path / "header" / "kmeans_program.py"
    path.parent.mkdir()
    path.write_text(header, encoding="utf-8")
    result = grade_program(path)
    assert not result.grader_errors, [check.message for check in result.grader_errors]
    assert "the first line of kmeans_output_2d.dat is '999" in by_id(result)["output.format"].message
