"""The authoring library: what checks of any exercise reuse, re-exported by :mod:`grader.authoring`.

* :mod:`.strategies`: Hypothesis strategies for numeric exercises (floats on a grid, arrays, well-conditioned
  design matrices with a bias column, labelled datasets), built without rejection sampling;
* :mod:`.numeric`: comparisons with derived tolerances (closeness to a reference, central finite-difference
  gradients, equality with NaN equal to NaN);
* :mod:`.calls`: properties checked by calling the student's code (inputs left untouched, the same result for
  the same seed, invariance under a change of the inputs);
* :mod:`.curves`: a plugin that draws the numbers and curves of any counterexample, NaN and inf included.

Everything here is public API, documented in docs/authoring.md and tested as such (tests/authoring/).
"""

import grader.authoring  # noqa: E402,F401  (first: the library and grader.authoring import each other)
