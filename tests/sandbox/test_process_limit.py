"""The process limit: a fork bomb gets no more than ``processes`` processes, and none of them survives; code that
starts as many threads as promised, again and again, is never refused."""

from __future__ import annotations

import time

import pytest

from tests.sandbox.helpers import LIMITS, attack, check, full_marks


def test_fork_bomb_is_capped(course):
    code = """
        import time

        _started = 0
        for _ in range(200):
            try:
                _pid = os.fork()
            except OSError:
                break
            if _pid == 0:
                time.sleep(600)
                os._exit(0)
            _started += 1
            print("CHILD=%d" % _pid)
        print("STARTED=%d" % _started, flush=True)
    """
    report = course.grade(attack(code))  # also asserts that none of the children survives
    started = int(report.output.split("STARTED=")[1].split()[0])
    if "cgroup" in report.sandbox.get("process_count", ""):
        assert started == LIMITS["processes"]  # the promised number, the worker's own thread not counted
    elif report.sandbox.get("process_count", "").startswith("active"):
        assert started < LIMITS["processes"]
    assert full_marks(report)


def test_a_pool_of_as_many_threads_as_promised_always_fits(course):
    # ThreadPoolExecutor() picks min(32, cores + 4) threads; the barrier makes every one of them run at once.
    # Each thread once could take a malloc arena of 64 MiB of address space, at random: the same correct code
    # lost points on some runs only.
    code = f"""
        import threading
        from concurrent.futures import ThreadPoolExecutor

        def assign(data, centers):
            data, centers = np.asarray(data, dtype=float), np.asarray(centers, dtype=float)
            barrier = threading.Barrier({LIMITS["processes"]})
            with ThreadPoolExecutor(max_workers={LIMITS["processes"]}) as pool:
                list(pool.map(lambda _: barrier.wait(timeout=5) + len([bytes(4000) for _ in range(20)]),
                              range({LIMITS["processes"]})))
                return np.array(list(pool.map(lambda point: _nearest(point[None, :], centers)[0], data)),
                                dtype=int).reshape(len(data))
    """
    for _ in range(3):
        report = course.grade(attack(code))
        assert full_marks(report), [(result.id, result.message) for result in report.exercises[0].checks
                                    if not result.passed]


def test_as_many_threads_as_promised_started_again_right_after_they_were_joined_always_fit(course):
    # join() returns before the system has removed the thread: the next threads started at once found, now and
    # then, the limit still taken by the ones that were ending.  Every call here starts the promised number anew,
    # all alive at once (the barrier), ten times over.
    code = f"""
        import threading

        def assign(data, centers):
            data, centers = np.asarray(data, dtype=float), np.asarray(centers, dtype=float)
            labels = np.zeros(len(data), dtype=int)
            for _ in range(10):
                barrier = threading.Barrier({LIMITS["processes"]})
                chunks = np.array_split(np.arange(len(data)), {LIMITS["processes"]})

                def work(rows):
                    barrier.wait(timeout=5)
                    if len(rows):
                        labels[rows] = _nearest(data[rows], centers)

                threads = [threading.Thread(target=work, args=(rows,)) for rows in chunks]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            return labels
    """
    report = course.grade(attack(code))
    assert full_marks(report), [(result.id, result.message) for result in report.exercises[0].checks
                                if not result.passed]


def test_more_threads_than_the_limit_are_refused_in_plain_words(course):
    # The first call starts more threads than the limit allows, the next ones none: the results differ because a
    # thread could not start, which the report says, not that the code depends on state or an unseeded generator.
    # Its threads outlive the half second a refused start is tried again for (see the last test).
    code = f"""
        import threading
        import time

        _calls = []

        def assign(data, centers):
            _calls.append(1)
            if len(_calls) == 1:
                threads = [threading.Thread(target=time.sleep, args=(1.5,)) for _ in range({LIMITS["processes"] + 8})]
                try:
                    for thread in threads:
                        thread.start()
                finally:
                    for thread in threads:
                        if thread.ident is not None:
                            thread.join()
            return _nearest(np.asarray(data, dtype=float), np.asarray(centers, dtype=float))
    """
    report = course.grade(attack(code))
    result = check(report, "assign.nearest_center")
    if "cgroup" not in report.sandbox.get("process_count", ""):
        return  # nothing limits the threads of the worker alone
    assert result.verdict == "error", result.message
    assert result.message == (
        "assign gave different results on the same input: the first time, assign raised RuntimeError: can't start "
        f"new thread: your code may run at most {LIMITS['processes']} processes and threads at once (the grader's "
        "limit); start fewer (e.g. ThreadPoolExecutor(max_workers=8))")
    assert "global state" not in result.message


def test_multiprocessing_refused_by_the_sandbox_says_why(course):
    # Its locks need shared memory (/dev/shm), which would let one student's code reach another's: refused, and the
    # student is told what the grader refused and what to do instead.
    code = """
        import multiprocessing

        def assign(data, centers):
            with multiprocessing.Pool(2) as pool:
                return np.array(pool.starmap(_nearest, [(np.asarray(data, dtype=float),
                                                          np.asarray(centers, dtype=float))])[0])
    """
    report = course.grade(attack(code))
    if not report.sandbox.get("filesystem", "").startswith("active"):
        return  # nothing refuses the shared memory
    result = check(report, "assign.nearest_center")
    assert result.verdict == "error"
    assert result.message == (
        "assign raised PermissionError: [Errno 13] Permission denied: the grader runs your code isolated and "
        "refuses this (files outside its folder, /tmp, multiprocessing's shared memory, its ThreadPool's too...); "
        "compute in the process itself (threads are fine: threading, concurrent.futures.ThreadPoolExecutor)")
    assert full_marks(report, but=("assign",))


def test_a_refused_thread_start_is_tried_again_for_half_a_second(monkeypatch):
    """The wrapper of the worker's thread start (``grader/student/_python_startup.py``), alone: a start refused
    while threads already joined are still ending succeeds once they ended; refused for good, it fails after the
    pauses."""
    from grader.student import _python_startup as startup

    tries: list[int] = []
    slept: list[float] = []

    def start(refusals: int):
        def starting(function, args):
            tries.append(1)
            if len(tries) <= refusals:
                raise RuntimeError("can't start new thread")
            return 7
        return startup._patient(starting)

    monkeypatch.setattr(time, "sleep", slept.append)
    assert start(3)(print, ()) == 7 and len(tries) == 4 and len(slept) == 3
    tries.clear(), slept.clear()
    with pytest.raises(RuntimeError, match="can't start new thread"):
        start(100)(print, ())
    assert len(tries) == len(startup._THREAD_START_PAUSES) + 1 and 0.4 <= sum(slept) <= 0.6
