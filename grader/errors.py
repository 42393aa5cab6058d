"""Errors the grader reports to its user; each carries the exit code of the command that hit it."""

from __future__ import annotations

__all__ = ["GraderError", "UsageError", "ConfigError", "SubmissionError", "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE",
           "EXIT_GRADER_ERROR", "EXIT_INTERRUPTED"]

#: Exit codes of every command: all checks passed / some check failed / bad usage or configuration.
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
#: ``grader check``: a check of the exercise itself raised (its fault, not the submission's): the instructor's to fix.
EXIT_GRADER_ERROR = 3
#: Ctrl-C (or SIGTERM for ``grader grade``): the command stopped before its work was done.
EXIT_INTERRUPTED = 130


class GraderError(Exception):
    """Base class: an error of the grader's input, with a message that says what to do."""

    exit_code = EXIT_USAGE


class UsageError(GraderError):
    """The command line asks for something impossible (unknown exercise, missing file...)."""


class ConfigError(GraderError):
    """``config.yaml`` or an exercise's files are missing or inconsistent."""


class SubmissionError(GraderError):
    """A submission cannot be found or read at all."""
