"""Names a package exports, imported from their modules when first used (PEP 562).

A package's ``__init__`` that imports all its modules makes every command pay for all of them: ``grader
check`` imports ``grader``, ``grader.dist.policy`` and ``grader.grade._source``, not the Gradescope bundle
or batch grading.  The package lists where each name lives; reading one imports its module then.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

__all__ = ["exports"]


def exports(package: str, where: dict[str, str]) -> Callable[[str], Any]:
    """The ``__getattr__`` of ``package``: each name of ``where`` from its module (``name -> "module"``, or
    ``"module:attribute"`` for a name exported under another)."""
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attribute = where[name].partition(":")
        value = getattr(importlib.import_module(module), attribute or name)
        namespace[name] = value  # found directly from now on
        return value

    return __getattr__
