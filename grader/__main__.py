"""``python -m grader`` does what the ``grader`` command does."""

from grader._command import run

if __name__ == "__main__":
    run()
