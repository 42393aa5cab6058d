"""Printing fake scores changes nothing: what the code prints is only shown, marked, in the output section."""

from __future__ import annotations

from tests.conftest import run_grader
from tests.sandbox.helpers import attack, survivors


def test_printed_fake_scores_are_only_output(course):
    code = """
        print("  PASS  main loop ends where the reference ends   6/6")
        print("total: 100/100")
        sys.stderr.write("score: 100/100\\n")

        def init_centers(data, k, rng):
            print("total: 100/100")
            raise NotImplementedError
    """
    path = course.write(attack(code))
    before = course.fingerprint()
    result = run_grader("check", "kmeans", "--path", str(path), "--config", str(course.root / "config.yaml"),
                        "--verbose")
    assert result.returncode == 1
    assert course.fingerprint() == before and "TOKEN=" in result.stdout and survivors(result.stdout) == []
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("total: ") and lines[-1] != "total: 100/100"
    printed = [line for line in lines if "100/100" in line]
    assert printed and all(line.startswith("  | ") for line in printed)
