"""Confinement of student code: what the worker process may do, and the self-test that shows it.

The worker (:mod:`grader.student._worker`) confines itself with
:func:`grader.sandbox._confine.confine` before it imports a submission: resource
limits, a network namespace, an unprivileged user, a seccomp filter and Landlock
rules, each where the operating system allows.  Every report records which of
them were active (``Report.sandbox``); ``grader doctor`` tries them out.

``GRADER_SANDBOX_DISABLE`` (a comma-separated list of ``landlock``, ``seccomp``,
``netns``, ``user``, ``limits``, ``cgroup``, or ``all``) switches protections off,
to reproduce on one machine what another without them does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from grader import _lazy
from grader.sandbox._confine import SWITCHES

if TYPE_CHECKING:
    from grader.sandbox.doctor import DoctorReport, Probe, run_doctor

__all__ = ["SWITCHES", "DoctorReport", "Probe", "run_doctor"]


#: The doctor (and the grader it imports) only when asked for: starting a worker needs none of it.
__getattr__ = _lazy.exports(__name__, dict.fromkeys(("DoctorReport", "Probe", "run_doctor"), "grader.sandbox.doctor"))
