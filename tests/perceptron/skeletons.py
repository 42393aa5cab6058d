"""Skeleton helpers shared by the perceptron and MLP tests: fill a skeleton's functions in from the reference."""

from __future__ import annotations

import ast
from pathlib import Path


def functions(source: str) -> dict[str, ast.FunctionDef]:
    return {node.name: node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)}


def left_to_student(source: str) -> list[str]:
    """The functions whose body ends with ``raise NotImplementedError``."""
    return [name for name, node in functions(source).items()
            if isinstance(node.body[-1], ast.Raise) and "NotImplementedError" in ast.unparse(node.body[-1])]


def completed(skeleton: Path, reference: Path) -> str:
    """The skeleton with its TODO functions replaced by the reference's, everything else untouched."""
    text = skeleton.read_text(encoding="utf-8")
    ref_text = reference.read_text(encoding="utf-8")
    lines, ref_lines = text.splitlines(keepends=True), ref_text.splitlines(keepends=True)
    ref_functions = functions(ref_text)
    todo = set(left_to_student(text))
    helpers = [name for name in ref_functions if name not in functions(text)]
    for name, node in sorted(functions(text).items(), key=lambda item: -item[1].lineno):
        if name in todo:
            ref = ref_functions[name]
            lines[node.lineno - 1 : node.end_lineno] = ref_lines[ref.lineno - 1 : ref.end_lineno]
    # Helpers the reference's functions call (e.g. sigmoid) go before the first function.
    first = min(node.lineno for node in functions(text).values()) - 1
    for name in helpers:
        ref = ref_functions[name]
        lines[first:first] = ref_lines[ref.lineno - 1 : ref.end_lineno] + ["\n\n"]
    return "".join(lines)
