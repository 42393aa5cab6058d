"""``python -m grader`` does what the ``grader`` command does."""

from grader.cli import main

if __name__ == "__main__":
    main()
