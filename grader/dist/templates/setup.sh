#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder's image: install the compilers of the exercises'
# C and Fortran versions (those missing), Python and the grader.
#
# GRADER_AUTOGRADER_ROOT (default /autograder) and GRADER_PYTHON (a Python that already has the grader's
# dependencies: then no virtual environment is made, and run_autograder is given the same variables) exist
# to try a bundle outside Gradescope.
set -euo pipefail

root="${GRADER_AUTOGRADER_ROOT:-/autograder}"

@@COMPILERS@@

if [ -n "${GRADER_PYTHON:-}" ]; then
    exit 0
fi
if ! python3 -c 'import sys; assert sys.version_info >= (3, 10)' 2>/dev/null || ! python3 -m venv --help >/dev/null 2>&1; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv python3-pip
fi
python3 -m venv "$root/venv"
"$root/venv/bin/python" -m pip install --upgrade pip
"$root/venv/bin/python" -m pip install "$root/source"
