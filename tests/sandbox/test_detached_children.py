"""Children left running, even ones that left the session or outlived their parent, are all killed."""

from __future__ import annotations

from tests.sandbox.helpers import attack, check, survivors


def test_detached_children_do_not_survive(course):
    code = """
        import subprocess, time

        def _daemon():
            pid = os.fork()
            if pid == 0:
                os.setsid()
                grandchild = os.fork()
                if grandchild:
                    print("CHILD=%d" % grandchild, flush=True)
                    os._exit(0)
                while True:
                    time.sleep(1)
            os.waitpid(pid, 0)

        _daemon()
        _sleeper = subprocess.Popen([sys.executable, "-c", "import time\\nwhile True: time.sleep(1)"],
                                    start_new_session=True)
        print("CHILD=%d" % _sleeper.pid, flush=True)

        _assign = assign

        def assign(data, centers):
            _daemon()
            return _assign(data, centers)
    """
    report = course.grade(attack(code))  # also asserts that none of them survives
    assert report.output.count("CHILD=") >= 3, report.output
    assert check(report, "assign.nearest_center").passed
    assert survivors(report.output) == []


def test_children_of_an_exiting_worker_do_not_survive(course):
    code = """
        import time

        def update(data, labels, centers):
            pid = os.fork()
            if pid == 0:
                os.setsid()
                while True:
                    time.sleep(1)
            print("CHILD=%d" % pid, flush=True)
            os._exit(0)
    """
    report = course.grade(attack(code))
    assert check(report, "update.centroids").message == "your code ended the process (exit code 0) during update"
    assert "CHILD=" in report.output
