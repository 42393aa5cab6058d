"""Starter notebooks (``grader dist --notebooks``): each Python exercise as a Jupyter notebook to complete.

The notebook of an exercise holds, in order: its instructions as a markdown cell (the skeleton's module
docstring and what each public check is worth), the skeleton as code cells (the imports, then one cell per
function or class), and a last cell that runs the check (``grader.check("ID")``) and shows the report under
it.  The skeleton's ``if __name__ == "__main__":`` block (the course workflow of a script) is left out: in a
notebook the student runs the functions in cells of their own.  Written from the skeleton's source, never by
running it.
"""

from __future__ import annotations

import ast
from pathlib import Path

from grader.config import ExerciseConfig
from grader.render.markdown import escape_markdown

__all__ = ["has_notebook", "notebook_path", "starter_notebook"]


def has_notebook(exercise: ExerciseConfig) -> bool:
    """Whether ``exercise`` gets a starter notebook: a Python module exercise (not a whole program)."""
    return exercise.kind == "module" and exercise.skeleton.suffix == ".py"


def notebook_path(exercise: ExerciseConfig) -> Path:
    """The starter notebook's place: next to the skeleton, under the module's name (``MODULE.ipynb``)."""
    return exercise.skeleton.with_name(Path(exercise.module).with_suffix(".ipynb").name)


def _is_main_block(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "__name__" in ast.unparse(node.test) and "__main__" in ast.unparse(node.test)


def _code_cells(source: str) -> list[str]:
    """The skeleton's top level in cells: consecutive statements together, each function or class alone."""
    tree = ast.parse(source)
    lines = source.splitlines()
    body = list(tree.body)
    if ast.get_docstring(tree) is not None:
        body = body[1:]  # the module docstring: the markdown cell
    cells: list[list[str]] = []
    grouped = False
    for node in body:
        if _is_main_block(node):
            continue
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        text = lines[first - 1:node.end_lineno or node.lineno]
        alone = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        if alone or not grouped:
            cells.append(list(text))
        else:
            cells[-1] += text
        grouped = not alone
    return ["\n".join(cell).strip("\n") for cell in cells if "".join(cell).strip()]


def _instructions(exercise: ExerciseConfig, source: str) -> str:
    from grader.exercise import load_exercise

    docstring = ast.get_docstring(ast.parse(source)) or ""
    checks = load_exercise(exercise, hidden=False).checks
    table = "\n".join(f"| `{bound.check.function}` | {escape_markdown(bound.check.title)} | {bound.spec.points:g} |"
                      for bound in checks)
    return (f"# {exercise.title}\n\n```\n{docstring}\n```\n\n"
            "Complete the functions below, run their cells, then run the last cell: it checks the functions "
            f"you defined (`grader.check(\"{exercise.id}\")`) and shows the report under it. Magics and shell "
            "commands (`%matplotlib inline`, `!pip install ...`) and top-level code that reads data, runs or "
            "plots are not run when grading: only imports, functions, classes and constants are.\n\n"
            "| Function | Check | Points |\n|---|---|---|\n" + table + "\n")


def starter_notebook(exercise: ExerciseConfig) -> bytes:
    """The starter notebook of ``exercise`` (see the module docstring), as the bytes of an ``.ipynb`` file."""
    import nbformat

    source = exercise.skeleton.read_text(encoding="utf-8")
    cells = [nbformat.v4.new_markdown_cell(_instructions(exercise, source))]
    cells += [nbformat.v4.new_code_cell(code) for code in _code_cells(source)]
    cells.append(nbformat.v4.new_code_cell(f"import grader\n\ngrader.check({exercise.id!r})"))
    for number, cell in enumerate(cells, start=1):
        cell["id"] = f"cell-{number}"  # the same notebook from the same skeleton, every time
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    nbformat.validate(notebook)
    return (nbformat.writes(notebook) + "\n").encode("utf-8")
