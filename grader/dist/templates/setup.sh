#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder's image: install Python and the grader.
set -euo pipefail

if ! python3 -c 'import sys; assert sys.version_info >= (3, 10)' 2>/dev/null || ! python3 -m venv --help >/dev/null 2>&1; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv python3-pip
fi
python3 -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --upgrade pip
/autograder/venv/bin/python -m pip install /autograder/source
