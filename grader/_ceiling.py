"""The grader's own ceiling while it grades one submission: memory and CPU time of its process.

Student code runs in the worker, under its own limits; what it returns is bounded by the wire.
This is the last line: the process that checks one submission (``grader check``, or the
per-student process of ``grader grade``) may use at most ``limits.grader_memory_mb`` of data
memory and the CPU time of the submission's whole budget plus a margin, so that a submission
that makes the grader's side grind gets a verdict and the rest of the class goes on.

Only soft data limits are set, so the worker (which sets its own address-space limit) may raise
them back; the CPU limit is inherited by the worker, which it never reaches before its own time limits.
On systems without ``resource`` (Windows) nothing is set.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass

from grader.config import Limits

__all__ = ["Ceiling", "MEMORY_EXIT", "CPU_EXIT", "ceiling_of", "apply_ceiling"]

#: Beyond the submission's own time budget, the CPU time the grader may spend on its checks and reports.
MARGIN_SECONDS = 120.0
#: Exit codes of a per-student process stopped at its ceiling.
MEMORY_EXIT = 86
CPU_EXIT = 87


@dataclass(frozen=True)
class Ceiling:
    memory_mb: int
    cpu_seconds: int

    def memory_verdict(self) -> str:
        return (f"grading this submission needed more than {self.memory_mb} MiB of the grader's own memory "
                "(what the code returned is too large to check) and was stopped")

    def cpu_verdict(self) -> str:
        return (f"grading this submission used more than {self.cpu_seconds} s of the grader's own CPU time "
                "(what the code returned takes too long to check) and was stopped")


def ceiling_of(limits: Limits, exercises: int = 1) -> Ceiling:
    return Ceiling(int(limits.grader_memory_mb), int(limits.total_timeout * max(1, exercises) + MARGIN_SECONDS))


def apply_ceiling(ceiling: Ceiling, *, cpu_exit: int = CPU_EXIT) -> bool:
    """Set the ceiling on this process; ``False`` where the system has no resource limits.

    At the CPU limit the process prints the verdict on standard error and exits with ``cpu_exit``; the
    kernel kills it a few seconds later if it cannot.  At the memory limit allocations fail
    (``MemoryError``): the caller gives the verdict.
    """
    try:
        import resource
    except ImportError:
        return False
    memory = ceiling.memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard == resource.RLIM_INFINITY or hard >= memory:
        resource.setrlimit(resource.RLIMIT_DATA, (memory, hard))
    used = int(sum(os.times()[:2]))
    seconds = used + ceiling.cpu_seconds
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or hard > seconds + 5:
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))

    def stop(signum: int, frame: object) -> None:
        os.write(2, f"\nstopped: {ceiling.cpu_verdict()}\n".encode())
        os._exit(cpu_exit)

    signal.signal(signal.SIGXCPU, stop)
    return True

