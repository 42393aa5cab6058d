"""The precision policy as checks apply it: the unit roundoff their tolerances derive from, and its words.

An exercise's policy (``precision:`` in ``config.yaml``, carried to the checks by
:class:`grader.authoring.CheckContext`) is ``double`` or ``single-or-double``.  A
check bounds the rounding error of a correct computation by a multiple of a unit
roundoff: :data:`EPS` (binary64) when only double precision is accepted,
:data:`SINGLE_EPS` (binary32) when results computed in single precision (C
``float``, Fortran ``real``, numpy ``float32``) are correct as well.  A difference
larger than the double bound but within the single one is "single-precision-sized":
accepted under ``single-or-double``, with the exercise-level note
:data:`SINGLE_NOTE` recorded once, and explained in words (:meth:`Rounding.explain`)
under ``double``.  The error bounds themselves belong to each exercise's checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from grader.authoring import CheckContext

__all__ = ["EPS", "SINGLE_EPS", "SINGLE_NOTE", "Rounding", "underflow"]

EPS = float(np.finfo(np.float64).eps)
SINGLE_EPS = float(np.finfo(np.float32).eps)


def underflow(unit: float) -> float:
    """The absolute error a correct computation may make below the range of the arithmetic whose unit roundoff
    is ``unit``: its smallest step (subnormal).  A relative bound misses it: a value too small for single
    precision (1e-50) is stored as 0 by C ``float``, Fortran ``real`` or numpy ``float32``, an error of 100 %."""
    if unit >= SINGLE_EPS:
        return float(np.finfo(np.float32).smallest_subnormal)
    return float(np.finfo(np.float64).smallest_subnormal)

#: The exercise-level note of a submission whose results show single-precision rounding (when accepted).
SINGLE_NOTE = "computed in single precision"


@dataclass(frozen=True)
class Rounding:
    """The precision policy as the checks apply it.

    ``single`` says whether single-precision results are accepted; ``context``
    (when given) receives the note :data:`SINGLE_NOTE` the first time an accepted
    difference is single-precision-sized.
    """

    single: bool = False
    context: Optional[CheckContext] = None

    @classmethod
    def of(cls, context: Optional[CheckContext]) -> "Rounding":
        """The policy of the exercise whose checks receive ``context`` (double only without one)."""
        return cls(single=context is not None and context.precision == "single-or-double", context=context)

    @property
    def unit(self) -> float:
        """Unit roundoff the tolerances are derived from: that of the least precise accepted arithmetic."""
        return SINGLE_EPS if self.single else EPS

    def lenient(self) -> "Rounding":
        """Single precision accepted whatever the policy: for checks whose property is not about values
        (types, inputs left unchanged) but which still require a correct result; notes only when the policy
        itself accepts single precision."""
        return Rounding(single=True, context=self.context if self.single else None)

    def accept_single(self) -> bool:
        """A difference above double rounding but within single rounding was found: whether to accept it."""
        if self.single and self.context is not None:
            self.context.note(SINGLE_NOTE)
        return self.single

    @staticmethod
    def explain(what: str, difference: float, reference: float) -> str:
        """Words for a single-precision-sized difference under a double-only policy."""
        relative = f" (relative {difference / abs(reference):.1g})" if reference else ""
        return (f"{what} by {difference:.2g}{relative}: this looks like single-precision (float32) arithmetic; "
                "this exercise requires double precision")
