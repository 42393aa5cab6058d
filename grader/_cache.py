"""Where the grader keeps what it can reuse between runs, and whether it may.

One folder per user (``GRADER_CACHE_DIR``, else the platform's convention) holds the recorded examples
(:mod:`grader.replay`, ``examples/``) and the C and Fortran builds (:mod:`grader.sandbox.compile`, ``builds/``).
``GRADER_NO_CACHE=1`` turns both off.  Nothing in it is an authority: a missing or damaged entry is rebuilt.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["cache_folder", "cache_enabled"]


def cache_folder() -> Path:
    """The user's cache folder for the grader: ``GRADER_CACHE_DIR``, else the platform's convention."""
    override = os.environ.get("GRADER_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "grader" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "grader"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "grader"


def cache_enabled() -> bool:
    """False when ``GRADER_NO_CACHE`` is set (to anything but ``0``)."""
    return os.environ.get("GRADER_NO_CACHE", "").strip() in ("", "0")
