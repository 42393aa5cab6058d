"""The process limit: a fork bomb gets no more than ``processes`` processes, and none of them survives."""

from __future__ import annotations

from tests.sandbox.helpers import LIMITS, attack, full_marks


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
