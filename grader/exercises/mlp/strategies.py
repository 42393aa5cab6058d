"""Hypothesis strategies for the MLP: networks of any size with inputs and weights in the course's ranges.

Values are multiples of 1/16 (readable counterexamples, exact sums of inputs);
``beta`` is drawn away from 1 as often as at 1, so that a forgotten ``beta`` shows.
Activations stay far from saturation, so outputs are strictly inside (0, 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

__all__ = ["Net", "nets", "betas", "rates"]


@dataclass(frozen=True)
class Net:
    """Samples ``x`` (n, in_dim + 1) with the bias column, targets ``t`` (n, out_dim), weights ``w1``, ``w2``."""

    x: np.ndarray
    t: np.ndarray
    w1: np.ndarray
    w2: np.ndarray

    @property
    def n(self) -> int:
        return self.x.shape[0]

    @property
    def hid_dim(self) -> int:
        return self.w1.shape[1]

    def inputs(self, **more) -> dict:
        return {"x": self.x, "t": self.t, "w1": self.w1, "w2": self.w2, **more}


def _sixteenths(shape: tuple[int, ...], bound: int) -> st.SearchStrategy[np.ndarray]:
    return arrays(np.int64, shape, elements=st.integers(-bound, bound)).map(lambda a: a / 16)


@st.composite
def nets(draw, *, min_n: int = 1, max_n: int = 8, max_in: int = 5, max_hid: int = 6, min_out: int = 1,
         max_out: int = 4) -> Net:
    n = draw(st.integers(min_n, max_n))
    in_dim, hid_dim = draw(st.integers(1, max_in)), draw(st.integers(1, max_hid))
    out_dim = draw(st.integers(min_out, max_out))
    x = np.hstack([draw(_sixteenths((n, in_dim), 16)), -np.ones((n, 1))])
    if out_dim == 1 or draw(st.booleans()):
        t = draw(arrays(np.int64, (n, out_dim), elements=st.integers(0, 1))).astype(float)
    else:
        t = np.eye(out_dim)[draw(arrays(np.int64, (n,), elements=st.integers(0, out_dim - 1)))]
    w1 = draw(_sixteenths((in_dim + 1, hid_dim), 24))
    w2 = draw(_sixteenths((hid_dim + 1, out_dim), 24))
    return Net(x=x, t=t, w1=w1, w2=w2)


def betas() -> st.SearchStrategy[float]:
    return st.sampled_from([1.0, 0.5, 2.0, 1.0, 1.5])


def rates() -> st.SearchStrategy[float]:
    return st.sampled_from([0.25, 0.5, 1.0, 0.1])
