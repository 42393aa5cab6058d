"""Jupyter notebooks: handed in (graded like the same code in a .py file), and checked from inside themselves.

Real notebooks, written with nbformat; the starter notebook of ``grader dist --notebooks`` is completed and run
with nbclient in one real Jupyter kernel, where ``grader.check`` shows its report inline.
"""

from __future__ import annotations

import ast
import csv
import html
import json
import os
import re
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from grader import grade_submission, load_config
from grader.student import StudentLoadError
from grader.student._notebook import module_cells, read_notebook
from tests.batch.helpers import fast_config, solution, write

nbformat = pytest.importorskip("nbformat")
# One worker runs the module: the class gradings and the kernel's run are module fixtures, computed once.
pytestmark = pytest.mark.xdist_group("notebooks")

ROOT = Path(__file__).resolve().parents[2]
BUG = ("if len(members) > 0:", "if True:")  # update: an empty cluster's center becomes nan
EMPTY_CLUSTER = "update.empty_cluster_keeps_center"


def _functions(source: str) -> dict[str, str]:
    tree = ast.parse(source)
    return {node.name: ast.get_source_segment(source, node) or "" for node in tree.body
            if isinstance(node, ast.FunctionDef)}


def _imports(source: str) -> str:
    tree = ast.parse(source)
    return "\n".join(ast.get_source_segment(source, node) or "" for node in tree.body
                     if isinstance(node, (ast.Import, ast.ImportFrom)))


def notebook_of(source: str, *, extra: tuple[str, ...] = ()) -> "nbformat.NotebookNode":
    """A student's notebook holding the module ``source``: a title, ``extra`` cells (magics, shell commands),
    the imports, one cell per function, and the course workflow (reading data, running, plotting)."""
    cells = [nbformat.v4.new_markdown_cell("# My k-means")]
    cells += [nbformat.v4.new_code_cell(text) for text in extra]
    cells.append(nbformat.v4.new_code_cell(_imports(source) + "\nimport matplotlib.pyplot as plt"))
    cells += [nbformat.v4.new_code_cell(text) for text in _functions(source).values()]
    cells.append(nbformat.v4.new_code_cell(
        "data = np.loadtxt('kmeans_input_file_2d.dat').T\ncenters, labels, n = kmeans(data, data[:3])\n"
        "plt.scatter(data[:, 0], data[:, 1], c=labels)\nplt.show()"))
    return nbformat.v4.new_notebook(cells=cells)


def write_notebook(path: Path, notebook) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(path))
    return path


# --- reading a notebook (no grading) -------------------------------------------------------------------------


@pytest.mark.quick
def test_magics_and_workflow_are_not_run_and_noted():
    cells = [("cell 2", "%matplotlib inline\n!pip install numpy"),
             ("cell 3", "import numpy as np\nimport grader\nEPS = 1e-3\nrng = np.random.default_rng(0)"),
             ("cell 4", "def f(x):\n    %time y = 1\n    return x\nf(2)"),
             ("cell 5", "%%bash\nrm -rf /"),
             ("cell 6", "grader.check('kmeans')")]
    notebook = module_cells(cells, shown="kmeans.ipynb")
    code = dict(notebook.cells)
    assert "cell 2" not in code and "cell 5" not in code and "cell 6" not in code
    assert code["cell 3"].splitlines() == ["import numpy as np", "", "EPS = 1e-3", ""]
    assert code["cell 4"].splitlines() == ["def f(x):", "    pass", "    return x", ""]  # line numbers kept
    magics, workflow = notebook.notes
    assert "cell 2: %matplotlib inline; cell 2: !pip install numpy" in magics and "cell 5: %%bash" in magics
    assert "cell 3, line 4" in workflow and "cell 4, line 4" in workflow and "cell 6" not in workflow
    shared = module_cells([("cell 1", "import numpy as np; data = np.load('x.npy'); K = 3\n@staticmethod\n"
                                      "def g():\n    pass\nif __name__ == '__main__':\n    g()\n"
                                      "try:\n    import scipy\nexcept ImportError:\n    scipy = None\n"
                                      "try:\n    g()\nexcept ValueError:\n    pass")], shown="n.ipynb")
    assert shared.cells[0][1].splitlines() == ["import numpy as np; K = 3", "@staticmethod", "def g():",
                                               "    pass", "", "", "try:", "    import scipy",
                                               "except ImportError:", "    scipy = None", "", "", "", ""]


def test_ipython_syntax_is_only_where_a_statement_starts():
    # As IPython reads a cell: a line inside brackets starting with % or != continues Python (the course's
    # print("..." % (...)) written over two lines), and a cell magic may follow blank lines.
    cells = [("cell 1", '%matplotlib inline\ndef line(step, move):\n    return ("step %d, move %f"\n'
                        '            % (step, move))\ndef differ(a, b):\n    !echo hi\n    return (a\n'
                        '            != b)\ndef joined(a):\n    return 7 \\\n% a'),
             ("cell 2", "\n\n%%bash\nls"), ("cell 3", "\n%%time\nLIMIT = 3")]
    notebook = module_cells(cells, shown="kmeans.ipynb")
    code = dict(notebook.cells)
    assert code["cell 1"].splitlines()[1:] == ['def line(step, move):', '    return ("step %d, move %f"',
                                               '            % (step, move))', 'def differ(a, b):', '    pass',
                                               '    return (a', '            != b)', 'def joined(a):',
                                               '    return 7 \\', '% a']
    assert "cell 2" not in code and code["cell 3"].splitlines() == ["", "", "LIMIT = 3"]
    assert "cell 2: %%bash" in notebook.notes[0] and "% a" not in notebook.notes[0]
    namespace: dict = {"d": 4}
    for name, source in notebook.cells:
        exec(compile(source, name, "exec"), namespace)
    assert namespace["line"](1, 2.0) == "step 1, move 2.000000" and namespace["differ"](1, 2)
    assert namespace["joined"](4) == 3  # after a backslash, a line starting with % continues the statement


def test_cell_ids_in_a_notebook_older_than_their_format_are_read(tmp_path):
    # Cell ids are from format 4.5; tools write them into 4.2 files too, and Jupyter opens those.
    path = write(tmp_path / "kmeans.ipynb", json.dumps({
        "cells": [{"cell_type": "code", "id": "a1", "metadata": {}, "execution_count": None, "outputs": [],
                   "source": "def f():\n    return 1"}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 2}))
    assert read_notebook(path).cells == (("cell 1", "def f():\n    return 1\n"),)


def test_outputs_that_do_not_follow_the_format_are_no_code(tmp_path, recwarn):
    # Converters and old front ends leave outputs on markdown cells, displays without metadata, results without a
    # count, 4.5 cells without ids: Jupyter opens them; only the code is graded, and nbformat's warnings stay quiet.
    code = {"cell_type": "code", "metadata": {}, "execution_count": 3, "source": "def f():\n    return 1",
            "outputs": [{"output_type": "display_data", "data": {"text/plain": "1"}},
                        {"output_type": "execute_result", "data": {"text/plain": "1"}, "metadata": {}}]}
    markdown = {"cell_type": "markdown", "metadata": {}, "source": "# k-means", "outputs": [], "execution_count": None}
    path = write(tmp_path / "kmeans.ipynb", json.dumps({"cells": [markdown, code], "metadata": {}, "nbformat": 4,
                                                        "nbformat_minor": 5}))
    assert read_notebook(path).cells == (("cell 2", "def f():\n    return 1\n"),)
    assert not [str(warning.message) for warning in recwarn if "nbformat" in str(warning.filename)]


def test_globals_the_functions_use_run_even_when_computed_with_a_call():
    # A correct notebook must not fail on a name its function reads: a constant computed with a call (and what
    # it needs, in an earlier cell) runs, as in a .py module; the workflow around it still does not.
    notebook = module_cells([("cell 1", "import numpy as np\nTINY = np.finfo(float).eps\nTOL = TINY * 10\n"
                                        "data = np.loadtxt('kmeans_input_file_2d.dat')"),
                             ("cell 2", "def close(a, b):\n    return abs(a - b) <= TOL\nprint(close(1, 1))")],
                            shown="kmeans.ipynb")
    code = dict(notebook.cells)
    assert code["cell 1"].splitlines() == ["import numpy as np", "TINY = np.finfo(float).eps", "TOL = TINY * 10", ""]
    assert code["cell 2"].splitlines() == ["def close(a, b):", "    return abs(a - b) <= TOL", ""]
    namespace: dict = {}
    for name, source in notebook.cells:
        exec(compile(source, name, "exec"), namespace)
    assert namespace["close"](1.0, 1.0)


def test_what_a_helper_reads_never_runs_the_workflow_nor_fails_the_notebook(tmp_path):
    # A plotting helper reads the data and the training's errors; a constant takes the data's transpose and the
    # last error. The training (a call of the notebook's own train) does not run; the data file cannot be read
    # where the code is graded: what needs them is left out, and the functions still load and work.
    from grader.student._inprocess import load_cells

    cells = [("cell 1", "import numpy as np\nraw = np.loadtxt('../../data/kmeans_input_file_2d.dat')\ndata = raw.T"),
             ("cell 2", "def train(x, epochs):\n    return x * 2, [1.0] * epochs\n"
                        "w, errors = train(np.ones(3), 8000)\nfinal_error = errors[-1]\nSCALE = 2.0"),
             ("cell 3", "def show():\n    print(data.shape, errors[-1], SCALE)")]
    notebook = module_cells(cells, shown="kmeans.ipynb")
    code = dict(notebook.cells)
    assert "w, errors = train" not in code["cell 2"] and "final_error = errors[-1]" in code["cell 2"]
    assert "raw = np.loadtxt" in code["cell 1"]  # what show() reads needs it: it runs if it can
    module = load_cells(notebook.cells, name="_notebook_under_test", shown="kmeans.ipynb")
    assert module.train(np.ones(2), 1)[1] == [1.0] and module.SCALE == 2.0
    assert not hasattr(module, "data") and not hasattr(module, "errors") and not hasattr(module, "final_error")
    with pytest.raises(NameError):
        module.show()


def test_a_graded_function_made_by_an_assignment_or_an_if_runs_whatever_it_calls():
    # The functions the checks call are part of the module however they are made: a callable object of the
    # notebook's own class, a functools.partial, a definition chosen by an if. The workflow around them is not.
    from grader.student._inprocess import load_cells

    cells = [("cell 1", "import functools\ntry:\n    import scipy\n    HAVE_SCIPY = True\nexcept ImportError:\n"
                        "    HAVE_SCIPY = False"),
             ("cell 2", "class Assigner:\n    def __call__(self, data, centers):\n        return 0\n"
                        "assign = Assigner()\nresult = assign(1, 2)"),
             ("cell 3", "def _loop(data, centers, step):\n    return step(data)\n"
                        "kmeans = functools.partial(_loop, step=len)"),
             ("cell 4", "if HAVE_SCIPY:\n    def update(data, labels, centers):\n        return 'scipy'\nelse:\n"
                        "    update = lambda data, labels, centers: 'numpy'"),
             ("cell 5", "class Tools:\n    def init_centers(self, data, k, rng):\n        return k\n"
                        "tools = Tools()\ninit_centers = tools.init_centers")]
    graded = ("assign", "update", "kmeans", "init_centers")
    notebook = module_cells(cells, shown="kmeans.ipynb", graded=graded)
    module = load_cells(notebook.cells, name="_notebook_graded_by_assignment", shown="kmeans.ipynb")
    assert module.assign([], []) == 0 and module.kmeans([1, 2], None) == 2
    assert module.update(0, 0, 0) in ("scipy", "numpy") and module.init_centers(None, 3, None) == 3
    assert not hasattr(module, "result")  # a call of the notebook's own object: the workflow
    # A workflow line reusing the name of a function the notebook defines stays workflow: the function is kept.
    shadowing = cells + [("cell 6", "def kmeans(data, centers):\n    return 'loop'\n"
                                    "data = list(range(2))\nkmeans = kmeans(data, None)")]
    module = load_cells(module_cells(shadowing, shown="kmeans.ipynb", graded=graded).cells,
                        name="_notebook_shadowing_its_function", shown="kmeans.ipynb")
    assert module.kmeans(None, None) == "loop" and not hasattr(module, "data")
    code = dict(module_cells(cells, shown="kmeans.ipynb").cells)  # the same cells for no exercise: as before
    assert "assign = Assigner()" not in code["cell 2"] and "if HAVE_SCIPY" not in code.get("cell 4", "")


#: A notebook whose graded functions read an object of its own class, and whose defaults read a dataclass's
#: instance; its workflow calls its own class and functions, read by nothing graded (a plotting helper at most).
OWN_OBJECTS = [
    ("cell 2", "import numpy as np\nfrom dataclasses import dataclass\n\nclass SquaredEuclidean:\n"
               "    def __call__(self, a, b):\n        diff = np.asarray(a, float) - np.asarray(b, float)\n"
               "        return float(diff @ diff)\n    def to_all(self, p, centers):\n"
               "        return ((np.asarray(centers, float) - p) ** 2).sum(axis=1)\n\n"
               "distance = SquaredEuclidean()\n\n@dataclass\nclass Config:\n    eps: float = 1e-3\n"
               "    max_iter: int = 100\n\nCFG = Config()"),
    ("cell 3", "def init_centers(data, k, rng):\n    if k < 1 or k > len(data):\n        raise ValueError('bad k')\n"
               "    return data[rng.choice(len(data), k, replace=False)].copy()\n\n"
               "def assign(data, centers):\n"
               "    return np.array([int(np.argmin(distance.to_all(p, centers))) for p in data], dtype=int)\n\n"
               "def update(data, labels, centers):\n    new = np.array(centers, dtype=float)\n"
               "    for j in range(len(new)):\n        if np.any(labels == j):\n"
               "            new[j] = data[labels == j].mean(axis=0)\n    return new\n\n"
               "def kmeans(data, centers, eps=CFG.eps, max_iter=CFG.max_iter):\n"
               "    c = np.array(centers, dtype=float)\n    for it in range(1, max_iter + 1):\n"
               "        labels = assign(data, c)\n        new = update(data, labels, c)\n"
               "        move = sum(distance(a, b) for a, b in zip(c, new))\n        c = new\n"
               "        if move <= eps:\n            break\n    return c, labels, it"),
    ("cell 4", "class Plotter:\n    def draw(self):\n        return 'drawn'\n\ndef show():\n    return viz.draw(), n\n\n"
               "data = np.array([[0.0, 0.0], [1.0, 1.0], [9.0, 9.0]])\nviz = Plotter()\nstart = CFG.__class__()\n"
               "centers, labels, n = kmeans(data, data[:2])"),
]


@pytest.mark.quick
def test_a_value_made_by_the_notebooks_own_class_runs_when_a_graded_function_or_a_default_reads_it():
    # As the same code in a .py module: distance = SquaredEuclidean() read in assign, CFG = Config() read by
    # kmeans's defaults. Calls of the notebook's own class and functions that nothing graded reads (the run, an
    # object only a plotting helper uses) stay workflow.
    from grader.student._inprocess import left_out_of, load_cells

    notebook = module_cells(OWN_OBJECTS, shown="kmeans.ipynb", graded=("init_centers", "assign", "update", "kmeans"))
    code = dict(notebook.cells)
    assert "distance = SquaredEuclidean()" in code["cell 2"] and "CFG = Config()" in code["cell 2"]
    assert "viz = Plotter()" not in code["cell 4"] and "kmeans(data" not in code["cell 4"]
    assert "start = " not in code["cell 4"] and "data = " not in code["cell 4"]
    assert any("(cell 4, lines 8, 9, 10, 11)" in note for note in notebook.notes), notebook.notes
    module = load_cells(notebook.cells, name="_notebook_own_objects", shown="kmeans.ipynb")
    data = np.array([[0.0, 0.0], [0.0, 1.0], [5.0, 5.0], [5.0, 6.0]])
    centers, labels, iterations = module.kmeans(data, data[[0, 2]])
    assert labels.tolist() == [0, 0, 1, 1] and centers.tolist() == [[0.0, 0.5], [5.0, 5.5]] and iterations == 2
    assert not left_out_of(module) and not hasattr(module, "viz") and not hasattr(module, "n")
    # With no graded function known, a default still needs its value; what a function reads when called does not.
    code = dict(module_cells(OWN_OBJECTS, shown="kmeans.ipynb").cells)
    assert "CFG = Config()" in code["cell 2"] and "distance = SquaredEuclidean()" not in code["cell 2"]


def test_a_definition_that_fails_on_a_value_left_out_fails_alone_when_called():
    # The value a default (or a decorator) reads raised where the notebook is graded (a file not given): the load
    # goes on; the function whose definition needed it raises that error when called, at its definition's line,
    # and the other functions work. A class that fails as it is made stays undefined, as a value left out does.
    from grader.student._execute import execute
    from grader.student._inprocess import left_out_of, load_cells

    cells = [("cell 1", "class Config:\n    def __init__(self):\n        self.eps = float(open('eps.txt').read())\n"
                        "CFG = Config()"),
             ("cell 2", "def kmeans(data, centers, eps=CFG.eps):\n    return eps\n"
                        "def assign(data, centers):\n    return 0\n"
                        "class Tuned(Config):\n    eps = CFG.eps * 2")]
    module = load_cells(module_cells(cells, shown="kmeans.ipynb", graded=("kmeans", "assign")).cells,
                        name="_notebook_failed_default", shown="kmeans.ipynb")
    assert module.assign(None, None) == 0 and not hasattr(module, "Tuned")
    left_out = left_out_of(module)
    assert left_out[0].startswith("cell 1, line 4: FileNotFoundError") and \
        left_out[1:] == ["cell 2, line 1: NameError: name 'CFG' is not defined",
                         "cell 2, line 5: NameError: name 'CFG' is not defined"], left_out
    for _ in range(2):  # every call says the same, at the definition's line
        reply = execute(module, "kmeans", (None, None), {})
        assert reply["raised"] == "NameError" and "'CFG'" in reply["message"], reply
        assert reply["traceback"] == "  cell 2, line 1, in <module>\n    def kmeans(data, centers, eps=CFG.eps):\n"


#: A helper or a constant made in a compound statement at the top level of a cell, as students write them; each
#: is read by the graded function of the cell after it.
IN_A_BLOCK = {
    "if True": "if True:  # toggle to try another one\n    def double(x):\n        return 2 * x",
    "if and else": "import importlib.util\nFAST = importlib.util.find_spec('numpy') is not None\n"
                   "if FAST:\n    from numpy import multiply\n    def double(x):\n        return multiply(2, x)\n"
                   "else:\n    def double(x):\n        return x + x",
    "with": "import numpy as np\nwith np.errstate(over='ignore'):\n    def double(x):\n        return 2 * x",
    "try with a print": "import numpy as np\ntry:\n    double = np.vectorize(lambda x: 2 * x)\n"
                        "except Exception as error:\n    print('vectorize failed:', error)\n"
                        "    def double(x):\n        return 2 * x",
    "constant in if": "import numpy as np\nSINGLE = False\nif SINGLE:\n    FACTOR = np.float32(2)\nelse:\n"
                      "    FACTOR = np.float64(2)\ndef double(x):\n    return FACTOR * x",
}


@pytest.mark.quick
@pytest.mark.parametrize("block", IN_A_BLOCK.values(), ids=list(IN_A_BLOCK))
def test_a_helper_or_a_constant_made_in_an_if_with_or_try_block_runs(block):
    # As in the kernel and in a .py module: what a block at the top level binds and the functions read runs, the
    # block whole; a block of the workflow (training in a loop, a run under a flag) still does not.
    from grader.student._inprocess import left_out_of, load_cells

    cells = [("cell 1", block),
             ("cell 2", "def fit(x):\n    return double(x) + 1\n"),
             ("cell 3", "def train(x):\n    return x\nRUN = True\nruns = []\nfor epoch in range(3):\n"
                        "    w = train(np.loadtxt('data.dat'))\nif RUN:\n    last = train(1)\n"
                        "with open('log.txt', 'w') as log:\n    log.write('ran')\n"
                        "def show():\n    return w, last")]
    notebook = module_cells(cells, shown="fit.ipynb", graded=("fit",))
    code = dict(notebook.cells)
    assert code["cell 1"] == block + "\n" and "for epoch" not in code["cell 3"] and "if RUN" not in code["cell 3"]
    assert "open(" not in code["cell 3"]
    assert any("(cell 3, lines 5, 7, 9)" in note for note in notebook.notes), notebook.notes
    module = load_cells(notebook.cells, name="_notebook_block_helper", shown="fit.ipynb")
    assert float(module.fit(3)) == 7.0 and not left_out_of(module)
    assert not hasattr(module, "w") and not hasattr(module, "last") and not hasattr(module, "log")


def test_a_block_that_raises_when_graded_is_left_out_as_a_value_is():
    # A block kept for the value a function reads may need a file only the student has: left out and noted, as
    # the same assignment alone is; a module it imports that is missing fails the load, as an import does.
    from grader.student._inprocess import left_out_of, load_cells

    cells = [("cell 1", "with open('scale.txt') as f:\n    SCALE = float(f.read())"),
             ("cell 2", "def fit(x):\n    return SCALE * x\ndef twice(x):\n    return 2 * x")]
    module = load_cells(module_cells(cells, shown="fit.ipynb", graded=("fit", "twice")).cells,
                        name="_notebook_block_raising", shown="fit.ipynb")
    assert module.twice(2) == 4 and left_out_of(module) == [
        "cell 1, line 1: FileNotFoundError: [Errno 2] No such file or directory: 'scale.txt'"]
    with pytest.raises(NameError):
        module.fit(1)
    missing = [("cell 1", "if True:\n    import seaborn_not_installed as sns\n    SCALE = 2"), cells[1]]
    with pytest.raises(StudentLoadError, match="your code imports seaborn_not_installed"):
        load_cells(module_cells(missing, shown="fit.ipynb", graded=("fit",)).cells, name="_notebook_block_import",
                   shown="fit.ipynb")


def test_a_graded_function_made_in_a_try_with_a_print_runs():
    # try: a version with a library / except ImportError: print(...), a version without: either is the function.
    from grader.student._inprocess import load_cells

    cells = [("cell 1", "import numpy as np"),
             ("cell 2", "def fit(x):\n    return double(x) + 1"),
             ("cell 3", "try:\n    from numpy import multiply\n    def double(x):\n        return multiply(2, x)\n"
                        "except ImportError:\n    print('no numpy: plain double')\n    def double(x):\n"
                        "        return x + x")]
    module = load_cells(module_cells(cells, shown="fit.ipynb", graded=("fit", "double")).cells,
                        name="_notebook_graded_in_try", shown="fit.ipynb")
    assert module.double(2) == 4 and module.fit(2) == 5


def test_a_graded_function_redefined_in_a_later_if_replaces_the_first_as_in_the_kernel():
    # A first attempt at the top level, its fix in a later if: the kernel (and a .py module) use the fix.
    from grader.student._inprocess import load_cells

    cells = [("cell 1", "import numpy as np\nVECTORISED = True"),
             ("cell 2", "def step(h):\n    return int(h >= 0)  # first attempt\n"
                        "def fit(x):\n    return step(x)"),
             ("cell 3", "if VECTORISED:\n    def step(h):\n        return (np.asarray(h) > 0).astype(int)")]
    module = load_cells(module_cells(cells, shown="fit.ipynb", graded=("step", "fit")).cells,
                        name="_notebook_redefined_in_if", shown="fit.ipynb")
    assert module.step(0) == 0 and module.fit(0) == 0


def test_the_names_a_kernel_predefines_are_defined_for_the_cells():
    # display() needs no import in Jupyter: a function calling it works when graded; one the notebook defines
    # itself is its own.
    from grader.student._inprocess import load_cells

    cells = [("cell 1", "def fit(x):\n    display(x)\n    return x + 1")]
    module = load_cells(module_cells(cells, shown="fit.ipynb", graded=("fit",)).cells,
                        name="_notebook_display", shown="fit.ipynb")
    assert module.fit(1) == 2
    own = cells + [("cell 2", "def display(x):\n    return 'mine'")]
    module = load_cells(module_cells(own, shown="fit.ipynb", graded=("fit",)).cells,
                        name="_notebook_own_display", shown="fit.ipynb")
    assert module.display(1) == "mine" and module.fit(1) == 2


@pytest.mark.parametrize("shape", ["distance object", "dataclass defaults"])
def test_a_notebook_reading_its_own_objects_gets_full_marks(tmp_path, course, shape):
    cells = [nbformat.v4.new_markdown_cell("# k-means")] + [nbformat.v4.new_code_cell(source)
                                                             for _, source in OWN_OBJECTS]
    # Each alone: the defaults literal, or what the graded functions read when called a library's.
    if shape == "distance object":
        cells[2].source = cells[2].source.replace("eps=CFG.eps, max_iter=CFG.max_iter", "eps=1e-3, max_iter=100")
    else:
        cells[2].source = cells[2].source.replace("distance.to_all(p, centers)", "((centers - p) ** 2).sum(1)")
        cells[2].source = cells[2].source.replace("distance(a, b)", "float(((a - b) ** 2).sum())")
    assert cells[2].source != OWN_OBJECTS[1][1]
    path = write_notebook(tmp_path / "kmeans.ipynb", nbformat.v4.new_notebook(cells=cells))
    (exercise,) = grade_submission(load_config(course), {"kmeans": path}, sandbox=False).exercises
    assert exercise.status == "graded" and exercise.score == exercise.max_score, exercise.error or [
        (check.id, check.message) for check in exercise.checks if not check.passed]


def test_an_import_only_the_workflow_needs_of_a_module_not_available_is_left_out():
    # Colab's drive is mounted by the workflow; nothing graded uses it. An unavailable module a function reads
    # stays, and fails the load with the usual message (see test_tracebacks_and_load_errors_name_the_cell).
    notebook = module_cells([("cell 1", "from google.colab import drive\nimport numpy as np\nimport seaborn as sns"),
                             ("cell 2", "def total(x):\n    return np.sum(x)\ndef palette():\n    return sns"),
                             ("cell 3", "drive.mount('/content/drive')")], shown="kmeans.ipynb")
    code = dict(notebook.cells)
    assert code["cell 1"].splitlines() == ["", "import numpy as np", "import seaborn as sns"]
    assert any("not available where it is graded" in note and "(cell 1, line 1: google.colab)" in note
               for note in notebook.notes), notebook.notes


def test_an_import_not_available_that_only_an_ungraded_helper_reads_is_left_out():
    """A helper that plots with seaborn, loads data with scikit-learn or mounts Colab's drive is never called by
    the checks: its import of a module the grader does not have is left out, as the workflow's is (the helper
    alone would fail, if called).  A helper a graded function calls keeps it, and the load fails as in a .py."""
    from grader.student._inprocess import load_cells

    cells = [("cell 1", "import numpy as np\nimport seaborn_not_installed as sns\n"
                        "from sklearn_not_installed.datasets import load_iris"),
             ("cell 2", "def total(x):\n    return np.sum(x)\n"
                        "def show(x):\n    sns.heatmap(x)\n"
                        "def iris():\n    return load_iris(return_X_y=True)")]
    notebook = module_cells(cells, shown="fit.ipynb", graded=("total",))
    assert dict(notebook.cells)["cell 1"].splitlines() == ["import numpy as np", "", ""]
    assert any("not available where it is graded" in note and "seaborn_not_installed" in note
               for note in notebook.notes), notebook.notes
    module = load_cells(notebook.cells, name="_notebook_helper_import", shown="fit.ipynb")
    assert module.total([1, 2]) == 3
    through = [cells[0], ("cell 2", cells[1][1] + "\ndef fit(x):\n    show(x)\n    return total(x)")]
    with pytest.raises(StudentLoadError, match="your code imports seaborn_not_installed"):
        load_cells(module_cells(through, shown="fit.ipynb", graded=("fit",)).cells, name="_notebook_helper_needed",
                   shown="fit.ipynb")


def test_an_endless_loop_in_a_try_block_is_workflow_unless_grading_reads_what_it_sets():
    """The demo "interrupt the kernel to stop it" (``try: while True: ... except KeyboardInterrupt``) sets what a
    plotting helper reads: it never runs when grading (it would never end).  A block with a bounded loop runs as
    any block does: for a constant a function reads (even by its name in ``globals()``), or for a graded function
    it defines again below a first attempt (even when its loop calls it)."""
    from grader.student._inprocess import load_cells

    demo = ("try:\n    while True:\n        for beta_demo in (0.5, 1, 2):\n            pass\n"
            "except KeyboardInterrupt:\n    pass")
    cells = [("cell 1", "import numpy as np\ndef sigmoid(h, beta=1.0):\n    return 1 / (1 + np.exp(-beta * h))\n"
                        "def plot_sigmoid():\n    return sigmoid(np.zeros(3), beta_demo)"),
             ("cell 2", demo)]
    notebook = module_cells(cells, shown="mlp.ipynb", graded=("sigmoid",))
    assert "cell 2" not in dict(notebook.cells)
    module = load_cells(notebook.cells, name="_notebook_demo_loop", shown="mlp.ipynb")
    assert module.sigmoid(0.0) == 0.5
    needed = [("cell 1", "def scale(x):\n    return x * FACTOR"), ("cell 2", "try:\n    FACTOR = 1\n"
                                                                      "    for _ in range(3):\n        FACTOR *= 2\n"
                                                                      "except ValueError:\n    FACTOR = 1")]
    module = load_cells(module_cells(needed, shown="fit.ipynb", graded=("scale",)).cells, name="_notebook_loop_read",
                        shown="fit.ipynb")
    assert module.scale(1) == 8
    dynamic = [("cell 1", "def _double(x):\n    return x * FACTOR\ndef scale(x):\n    return globals()['_double'](x)"),
               needed[1]]
    module = load_cells(module_cells(dynamic, shown="fit.ipynb", graded=("scale",)).cells,
                        name="_notebook_loop_globals", shown="fit.ipynb")
    assert module.scale(1) == 8
    fixed = [("cell 1", "def assign(x):\n    raise NotImplementedError\nFAST = True"),
             ("cell 2", "if FAST:\n    def assign(x):\n        return x + 1\n    for shape in (1, 2):\n"
                        "        print(assign(shape))")]
    module = load_cells(module_cells(fixed, shown="kmeans.ipynb", graded=("assign",)).cells,
                        name="_notebook_loop_redefined", shown="kmeans.ipynb")
    assert module.assign(1) == 2


def test_a_future_import_holds_for_the_cells_after_it_as_in_the_kernel():
    # IPython's compiler keeps the flags of a ``from __future__ import``: annotations naming a later cell's alias.
    from grader.student._inprocess import load_cells

    cells = [("cell 1", "from __future__ import annotations\nimport numpy as np"),
             ("cell 2", "def forward(x: Array) -> Array:\n    return np.asarray(x) * 2"),
             ("cell 3", "Array = np.ndarray")]
    module = load_cells(module_cells(cells, shown="fit.ipynb", graded=("forward",)).cells, name="_notebook_future",
                        shown="fit.ipynb")
    assert list(module.forward([1, 2])) == [2, 4] and module.forward.__annotations__["x"] == "Array"


@pytest.mark.parametrize("pasted", [
    "    def update(w, eta):\n        return w + eta\n\n    w = update(0, 1)\n",
    ">>> def update(w, eta):\n...     return w + eta\n...\n>>> update(0, 1)\n1\n",
    "In [3]: def update(w, eta):\n   ...:     return w + eta\n   ...:\n",
], ids=["indented", "python prompts", "ipython prompts"])
def test_a_cell_pasted_with_its_indentation_or_prompts_is_read_as_ipython_reads_it(pasted):
    from grader.student._inprocess import load_cells

    cells = [("cell 1", "import numpy as np"), ("cell 2", pasted)]
    notebook = module_cells(cells, shown="perceptron.ipynb", graded=("update",))
    module = load_cells(notebook.cells, name="_notebook_pasted", shown="perceptron.ipynb")
    assert module.update(1, 2) == 3
    assert not any("not valid Python" in note for note in notebook.notes), notebook.notes


def test_a_function_defined_twice_is_noted_with_the_definition_graded():
    # A first draft above its fix: the report says which one the checks called (the kernel's, the last).
    cells = [("cell 2", "def update(w, eta):\n    return w"), ("cell 3", "def helper():\n    return 1"),
             ("cell 5", "import numpy as np\n\ndef update(w, eta):\n    return w + eta\ndef helper():\n    return 2")]
    notes = module_cells(cells, shown="perceptron.ipynb", graded=("update",)).notes
    assert notes == ("perceptron.ipynb: functions defined more than once are graded as last defined, as your kernel "
                     "keeps the last one run from the top: update in cell 5, line 3 (also defined in cell 2, line 1)",)
    # Defined again in a block, or by an assignment, that runs: that one is named.
    later = [*cells, ("cell 6", "FAST = True\nif FAST:\n    def update(w, eta):\n        return w - eta"),
             ("cell 7", "def _fast_update(w, eta):\n    return w\nupdate = _fast_update")]
    notes = module_cells(later, shown="perceptron.ipynb", graded=("update",)).notes
    assert notes[-1].endswith("update in cell 7, line 3 (also defined in cell 2, line 1; cell 5, line 3; cell 6, "
                              "line 2)"), notes


def test_what_a_timeit_cell_defines_is_not_kept_what_a_prun_cell_defines_is():
    """``%%timeit`` runs its body inside a function of its own: the kernel keeps the earlier definition.
    ``%%prun`` and ``%%time`` run theirs in the kernel's namespace."""
    from grader.student._inprocess import load_cells

    cells = [("cell 1", "def assign(x):\n    return int(x)"),
             ("cell 2", "%%timeit\ndef assign(x):\n    return float(x)\nassign(2.5)"),
             ("cell 3", "%%prun -s cumulative\ndef train(x):\n    return assign(x) + 1")]
    notebook = module_cells(cells, shown="kmeans.ipynb", graded=("assign", "train"))
    module = load_cells(notebook.cells, name="_notebook_timeit", shown="kmeans.ipynb")
    assert module.assign(2.5) == 2 and module.train(2.5) == 3
    assert "%%timeit" in notebook.notes[0], notebook.notes


@pytest.mark.parametrize("separator", ["\x0c", "\u2028", "\u2029", "\x0b", "\x1c", "\x85"])
def test_a_cell_keeps_its_lines_whatever_other_line_separators_it_holds(separator):
    """Python breaks lines at \\n and \\r only: a form feed (an editor's page break) between two functions, or a
    Unicode line separator pasted into a comment, is no line break for it, so not for the lines graded either."""
    cell = (f"def f(x):\n    return x + 1\n\x0c\ndef g(x):\n    # one{separator}two\n    y = 2 * x\n"
            "    return y\nprint(g(1))")
    notebook = module_cells([("cell 1", cell)], shown="perceptron.ipynb")
    namespace: dict = {}
    exec(compile(dict(notebook.cells)["cell 1"], "cell 1", "exec"), namespace)
    assert namespace["f"](1) == 2 and namespace["g"](1) == 2


def test_a_loop_at_the_top_level_is_workflow_whatever_it_binds():
    """A training loop or a sweep binds what a plotting helper reads, or rebinds a default's constant: it never
    runs when grading (it may take minutes), an ``if`` binding the same does."""
    notebook = module_cells([("cell 1", "import numpy as np\nEPOCHS = 20\n"
                                        "def train(x, epochs=EPOCHS):\n    return x\n"
                                        "def plot():\n    return labels, centers"),
                             ("cell 2", "for it in range(1000):\n    labels = np.zeros(3)\n    centers = labels"),
                             ("cell 3", "for EPOCHS in [10, 100]:\n    w = train(1, EPOCHS)")],
                            shown="kmeans.ipynb", graded=("train",))
    code = dict(notebook.cells)
    assert "cell 2" not in code and "cell 3" not in code
    assert "(cell 2, line 1; cell 3, line 1)" in notebook.notes[-1], notebook.notes


def test_a_cell_that_is_not_python_is_named(tmp_path):
    with pytest.raises(StudentLoadError) as raised:
        module_cells([("cell 1", "import numpy"), ("cell 3", "def f(x)\n    return x")], shown="kmeans.ipynb")
    assert "kmeans.ipynb is not valid Python (cell 3, line 1" in raised.value.message
    # A first attempt left above its fix (the kernel ran only the fix) is skipped, as grader.check() inside the
    # kernel skips it; a broken cell of workflow alone too: neither defines anything the module lacks.
    fixed = module_cells([("cell 1", "import numpy"), ("cell 2", "def f(x)\n    return x"),
                          ("cell 3", "print('f:', f(2)"), ("cell 4", "def f(x):\n    return x")], shown="kmeans.ipynb")
    assert [name for name, _ in fixed.cells] == ["cell 1", "cell 4"]
    assert ("cell 2 (line 1: expected ':') not graded: not valid Python, and what it defines is defined again "
            "further down") in fixed.notes[-2]
    assert ("cell 3 (line 1: '(' was never closed) not graded: not valid Python, and nothing graded reads what it "
            "sets") in fixed.notes[-1]
    # A broken cell setting a value a function reads, set nowhere else: the function could not work in the kernel
    # either, the cell is named.
    with pytest.raises(StudentLoadError) as raised:
        module_cells([("cell 1", "ETA = 0.1\nEPOCHS = 100\nprint('eta is' ETA)"),
                      ("cell 2", "def update(w, eta=ETA):\n    return w * eta")], shown="perceptron.ipynb")
    assert raised.value.message.startswith("perceptron.ipynb is not valid Python (cell 1, line 3: "), raised.value.message
    history = module_cells([("In [1]", "def f(x)"), ("In [2]", "def f(x):\n    return x")],
                           shown="kmeans.ipynb", history=True)
    assert [name for name, _ in history.cells] == ["In [2]"] and "In [1] not graded" in history.notes[0]


@pytest.mark.quick
def test_a_cell_too_deeply_nested_for_python_is_not_valid_python_like_a_syntax_error(tmp_path):
    """Python's parser raises RecursionError (300,000 terms) or MemoryError (100,000 signs), not SyntaxError, on
    code nested too deeply: such a cell is left out with a note when it defines nothing the notebook lacks, and
    named as not valid Python when it does, as a cell with a syntax error is; the exercise is told all the same."""
    from grader.sources import exercise_of

    terms, signs = "+".join(["a"] * 300_000), "-" * 100_000 + "1"
    notebook = module_cells([("cell 1", "def f(x):\n    return x"), ("cell 2", f"z = {terms}"),
                             ("cell 3", f"y = {signs}")], shown="kmeans.ipynb")
    assert [name for name, _ in notebook.cells] == ["cell 1"]
    assert ("cell 2 (nested too deeply for Python to read it: split that expression into several statements); cell 3 "
            "(nested too deeply for Python to read it" in notebook.notes[-1]), notebook.notes
    with pytest.raises(StudentLoadError) as raised:
        module_cells([("cell 1", f"def f(x):\n    return {signs}")], shown="kmeans.ipynb")
    assert raised.value.message == ("kmeans.ipynb is not valid Python (cell 1: nested too deeply for Python to read "
                                    "it: split that expression into several statements): fix that cell so that it runs "
                                    f"with Python {sys.version_info.major}.{sys.version_info.minor}, the version it "
                                    "is graded with")
    config = load_config(ROOT / "config.yaml")
    path = write_notebook(tmp_path / "kim.ipynb", notebook_of(solution("correct"), extra=(f"z = {terms}",
                                                                                          f"y = {signs}")))
    match = exercise_of(path, {key: config.exercise(key) for key in ("kmeans", "perceptron", "mlp")})
    assert (match.exercise, match.how) == ("kmeans", "by the functions it defines")


def test_a_cell_of_thousands_of_magics_and_statements_is_read_line_by_line_in_one_pass():
    """Each magic is told from a continuation by reading from the last line known to start a statement: 2,000
    magics, a call spread over lines holding ``%`` and ``!=``, then thousands of constants sharing lines."""
    magics = "\n".join(["%time x = 1"] * 2_000)
    cell = (magics + "\nprint('%d'\n      % 3)\nok = (1\n      != 2)\n%matplotlib inline\n"
            + "".join(f"W_{i} = {i}; V_{i} = {i}\n" for i in range(3_000)) + "def f(x):\n    return x + W_7 + V_9")
    notebook = module_cells([("cell 1", cell)], shown="fit.ipynb", graded=("f",))
    (code,) = [source for _, source in notebook.cells]
    lines = code.splitlines()
    assert lines[2_000 - 1] == "" and "W_7 = 7; V_7 = 7" in lines, lines[2_000 - 1]
    namespace: dict = {}
    exec(compile(code, "cell 1", "exec"), namespace)
    assert namespace["f"](1) == 17
    assert notebook.notes[0].endswith("cell 1: %time x = 1 and 1996 more)"), notebook.notes  # 2,001 dropped


def test_a_notebook_nested_too_deeply_for_json_defines_nothing_it_is_not_an_error():
    from grader.sources import READERS

    deep = '{"cells": [{"cell_type": "code", "source": ' + "[" * 50_000 + "]" * 50_000 + "}]}"
    assert READERS[".ipynb"].defines(deep) == frozenset()


def test_python_3_10_never_parses_a_statement_deep_enough_to_crash_its_parser(monkeypatch):
    """Python 3.10's parser crashes the process (a segmentation fault) on ``a+a+...`` of 150,000 terms, where
    3.11 raises RecursionError: there such a statement is refused before it is parsed, as too deep; a long flat
    statement (a list of numbers) is parsed."""
    from grader.student import _base

    monkeypatch.setattr(_base.sys, "version_info", (3, 10, 13))
    for deep in ("z = " + "+".join(["a"] * 10_100), "z = " + "a." * 10_100 + "a",
                 ("z = " + "+".join(["a"] * 10_100)).encode()):
        with pytest.raises(SyntaxError, match="nested too deeply for Python to read it"):
            _base.parse_source(deep)
    flat = "D = [" + ", ".join(["1.5"] * 20_000) + "]\n" + "x = a + b\n" * 6_000
    assert len(_base.parse_source(flat).body) == 6_001


def test_a_cell_python_runs_but_deeper_than_the_recursion_limit_is_graded(tmp_path, course):
    """A chain of 2,000 terms: Python parses and runs it (a kernel does), but a recursive walk of its tree, or
    compiling the tree, goes past the default recursion limit: the notebook is graded as its .py would be."""
    path = write_notebook(tmp_path / "kmeans.ipynb", notebook_of(solution("correct"),
                                                                 extra=("z = " + "+".join(["1"] * 2000),)))
    (exercise,) = grade_submission(load_config(course), {"kmeans": path}, sandbox=False).exercises
    assert exercise.status == "graded" and exercise.score == exercise.max_score, exercise.error


@pytest.mark.parametrize("content", ["{not json", "",
    '{"cells": [{"cell_type": "code"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'])
def test_a_corrupt_notebook_gets_a_clear_error(tmp_path, content):
    path = write(tmp_path / "kmeans.ipynb", content)
    with pytest.raises(StudentLoadError) as raised:
        read_notebook(path)
    message = raised.value.message
    assert message.startswith("kmeans.ipynb is ") and ("not a Jupyter notebook" in message
                                                       or "damaged notebook" in message), message
    assert "save it again" in message


METADATA_JUPYTER_OPENS = [
    {"kernelspec": {"name": "python3", "language": "python"}},  # no display_name
    {"kernelspec": "python3", "language_info": {"version": "3.10"}},  # written by another tool
    {"celltoolbar": 3, "widgets": []},
]


@pytest.mark.parametrize("metadata", METADATA_JUPYTER_OPENS)
def test_metadata_jupyter_opens_is_no_damage(tmp_path, metadata):
    """A kernelspec without its display name, or a cell's tags written by another tool: Jupyter opens the notebook
    (with a warning at most), and grading reads only the code, so the functions are all there."""
    notebook = json.loads(nbformat.writes(notebook_of(solution("correct"))))
    notebook["metadata"] = metadata
    notebook["cells"][1]["metadata"] = {"tags": "solution", "collapsed": "yes", "scrolled": 7}
    path = write(tmp_path / "kmeans.ipynb", json.dumps(notebook))
    source = "\n".join(code for _, code in read_notebook(path).cells)
    assert {"init_centers", "assign", "update", "kmeans"} <= set(_functions(source)), source


# --- grading notebooks -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return fast_config(tmp_path_factory.mktemp("course"))


def test_tracebacks_and_load_errors_name_the_cell(tmp_path, course):
    config = load_config(course)
    crashing = solution("correct").replace("    squared = ", "    1 / 0\n    squared = ", 1)
    assert crashing != solution("correct")
    path = write_notebook(tmp_path / "crash" / "kmeans.ipynb", notebook_of(crashing))
    report = grade_submission(config, {"kmeans": path}, sandbox=False)
    failed = next(check for check in report.exercises[0].checks if check.id == "assign.nearest_center")
    cell = 3 + list(_functions(crashing)).index("assign")  # after the markdown, the imports, the functions before
    traceback = (failed.counterexample or {}).get("traceback", "")
    assert f"cell {cell}, line 5, in assign" in traceback and "1 / 0" in traceback, traceback
    assert "tmp" not in traceback and ".py" not in traceback
    # A module that is not available, read by a helper a graded function calls: the load fails, naming the cell.
    colouring = solution("correct").replace("    squared = ", "    palette()\n    squared = ", 1)
    assert colouring != solution("correct")
    missing = write_notebook(tmp_path / "missing" / "kmeans.ipynb", notebook_of(
        "import seaborn\n" + colouring + "\n\ndef palette():\n    return seaborn.color_palette()\n"))
    (exercise,) = grade_submission(config, {"kmeans": missing}).exercises
    assert exercise.status == "error" and "your code imports seaborn" in exercise.error
    assert "(cell 2, line 1)" in exercise.error


@pytest.mark.parametrize("sandbox", [True, False], ids=["worker", "in-process"])
def test_the_starter_completed_with_its_data_read_in_two_steps_gets_full_marks(tmp_path, course, sandbox):
    # The course's starter notebook completed with a correct solution, its workflow reading the data as
    # students do, in two statements (the second a constant): the file is not there when grading. The module
    # loads without them, the report says which was left out, and the functions get full marks.
    notebook = notebook_of(solution("correct"))
    notebook.cells.append(nbformat.v4.new_code_cell(
        "raw = np.loadtxt('../../data/kmeans_input_file_2d.dat', skiprows=1)\ndata = raw.T\n"
        "def show():\n    plt.scatter(data[:, 0], data[:, 1])"))
    path = write_notebook(tmp_path / "kmeans.ipynb", notebook)
    (exercise,) = grade_submission(load_config(course), {"kmeans": path}, sandbox=sandbox).exercises
    assert exercise.status == "graded" and exercise.score == exercise.max_score, exercise.error
    cell = len(notebook.cells)
    assert any("left out when grading, as they failed when the notebook was loaded for grading, without its data "
               "files and the rest of its top-level code (" in note
               and f"cell {cell}, line 1: " in note and f"cell {cell}, line 2: NameError" in note
               for note in exercise.notes), exercise.notes


@pytest.mark.parametrize("sandbox", [True, False], ids=["worker", "in-process"])
def test_a_notebook_making_its_functions_in_blocks_gets_the_marks_of_the_same_py(tmp_path, course, sandbox):
    # Every shape at once: a helper made in a with, a constant in an if and else, a graded function in a try
    # that prints, a first attempt fixed in a later if, display() called without an import; and a training loop,
    # which does not run (its data file is not there).
    source = solution("correct")
    functions = _functions(source)
    cells = [nbformat.v4.new_markdown_cell("# My k-means"),
             nbformat.v4.new_code_cell(_imports(source) + "\nSINGLE = False\nVECTORISED = True"),
             nbformat.v4.new_code_cell("if SINGLE:\n    DTYPE = np.float32\nelse:\n    DTYPE = float"),
             nbformat.v4.new_code_cell("with np.errstate(invalid='ignore'):\n    def _mean(points):\n"
                                       "        return points.mean(axis=0)"),
             nbformat.v4.new_code_cell(functions["distance"] + "\n\n" + functions["init_centers"]),
             nbformat.v4.new_code_cell(functions["assign"].replace("return labels", "return labels + 1")),
             nbformat.v4.new_code_cell("if VECTORISED:\n" + "\n".join(
                 "    " + line for line in functions["assign"].replace("dtype=float", "dtype=DTYPE").splitlines())),
             nbformat.v4.new_code_cell("try:\n    import scipy\n" + "\n".join(
                 "    " + line for line in functions["update"].replace(".mean(axis=0)", "").replace(
                     "new_centers[j] = members", "new_centers[j] = _mean(members)").splitlines())
                 + "\nexcept ImportError:\n    print('no scipy')\n" + "\n".join(
                 "    " + line for line in functions["update"].splitlines())),
             nbformat.v4.new_code_cell(functions["kmeans"].replace(
                 "    return centers, labels, n_iter", "    display(n_iter)\n    return centers, labels, n_iter")),
             nbformat.v4.new_code_cell("data = np.loadtxt('kmeans_input_file_2d.dat')\nfor k in (2, 3, 4):\n"
                                       "    centers, labels, n = kmeans(data, data[:k])\n    display(n)")]
    assert "display(n_iter)" in cells[-2].source and "_mean(members)" in cells[-3].source
    path = write_notebook(tmp_path / "kmeans.ipynb", nbformat.v4.new_notebook(cells=cells))
    (exercise,) = grade_submission(load_config(course), {"kmeans": path}, sandbox=sandbox).exercises
    assert exercise.status == "graded" and exercise.score == exercise.max_score, exercise.error or [
        (check.id, check.message) for check in exercise.checks if not check.passed]
    assert any(f"(cell {len(cells)}, lines 1, 2)" in note for note in exercise.notes), exercise.notes
    assert not any("left out when grading" in note for note in exercise.notes), exercise.notes


def test_a_graded_function_made_by_an_assignment_is_kept_without_the_skeleton(tmp_path, course):
    # A Gradescope bundle ships no skeleton, and a starter repository of notebooks has the student's own notebook
    # as its skeleton: the functions the checks call come from the checks themselves.
    source = solution("correct").replace("def assign(data, centers):", "def _assign(self, data, centers):")
    source += "\n\nclass Assigner:\n    __call__ = _assign\n\n\nassign = Assigner()\n"
    path = write(tmp_path / "kmeans.ipynb", json.dumps(nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source)])))
    import yaml

    raw = yaml.safe_load(course.read_text(encoding="utf-8"))
    raw["exercises"]["kmeans"]["skeleton"] = "exercises/kmeans/kmeans.py"  # as in a bundle: not there
    bundle = write(tmp_path / "bundle" / "config.yaml", yaml.safe_dump(raw, sort_keys=False))
    config = load_config(bundle)
    assert not (tmp_path / "bundle" / "exercises").exists()
    (graded,) = grade_submission(config, {"kmeans": path}, sandbox=False).exercises
    assert graded.status == "graded" and graded.score == graded.max_score, [
        (check.id, check.message) for check in graded.checks if not check.passed]


@pytest.fixture(scope="module")
def classes(tmp_path_factory, course) -> dict[str, Path]:
    """The same two students (one correct, one with a bug) as .py files, as notebooks with magics and
    workflow cells, and as a zip of the notebooks; each class graded in one batch."""
    from grader.grade import grade_class

    root = tmp_path_factory.mktemp("classes")
    magics = ("%matplotlib inline", "!pip install numpy")
    students = {"ana": solution("correct"), "bob": solution("correct").replace(*BUG)}
    for name, source in students.items():
        write(root / "py" / name / "kmeans.py", source)
        write_notebook(root / "ipynb" / name / "kmeans.ipynb", notebook_of(source, extra=magics))
    with zipfile.ZipFile(root / "notebooks.zip", "w") as archive:
        for name in students:
            archive.write(root / "ipynb" / name / "kmeans.ipynb", f"{name}/kmeans.ipynb")
    config = load_config(course)
    graded = {}
    for kind, submissions in (("py", root / "py"), ("ipynb", root / "ipynb"), ("zip", root / "notebooks.zip")):
        graded[kind] = root / f"out-{kind}"
        grade_class(config, submissions, graded[kind], jobs=1)
    return graded


def test_a_moodle_export_of_notebooks_is_read(tmp_path):
    from grader.grade._discover import accepted_files, discover_class
    from grader.grade._prepare import prepare

    exercise = load_config(ROOT / "config.yaml").exercise("kmeans")
    export = tmp_path / "export"
    write(export / "Ana Lopez_12345_assignsubmission_file_" / "kmeans.ipynb", "{}")
    write(export / "Bob Smith_67890_assignsubmission_file_kmeans.ipynb", "{}")
    found = discover_class(export, accepted=accepted_files([exercise]))
    assert [(student.id, student.name) for student in found.students] == [("12345", "Ana Lopez"),
                                                                            ("67890", "Bob Smith")]
    for number, student in enumerate(found.students):
        prepared = prepare(student, tmp_path / f"scratch-{number}", {"kmeans": exercise})
        module = prepared.modules["kmeans"]
        assert module is not None and module.name == "kmeans.ipynb" and not prepared.problems


def _gradebook(out: Path) -> list[dict[str, str]]:
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_a_class_of_notebooks_gets_the_gradebook_of_the_same_code_in_py_files(classes):
    expected = _gradebook(classes["py"])
    assert [row["id"] for row in expected] == ["ana", "bob"]
    assert float(expected[0]["total"]) > float(expected[1]["total"])  # the bug costs points
    assert _gradebook(classes["ipynb"]) == expected
    assert _gradebook(classes["zip"]) == expected


def test_a_notebook_with_magics_and_workflow_is_graded_with_notes(classes):
    import json

    report = json.loads((classes["ipynb"] / "bob" / "report.json").read_text(encoding="utf-8"))
    (exercise,) = report["exercises"]
    assert exercise["status"] == "graded"
    notes = " ".join(exercise["notes"])
    assert "cell 2: %matplotlib inline; cell 3: !pip install numpy" in notes
    assert "only imports, functions, classes and constants run when grading" in notes and "cell 10" in notes
    failing = [check["id"] for check in exercise["checks"] if not check["passed"]]
    assert EMPTY_CLUSTER in failing


# --- checking from inside a notebook, in a real kernel ---------------------------------------------------------


def _complete(notebook, source: str) -> None:
    """Fill the starter notebook's function cells with ``source``'s functions (and its imports)."""
    functions = _functions(source)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        match = re.match(r"def (\w+)\(", cell.source)
        if match and match.group(1) in functions:
            cell.source = functions[match.group(1)]
        elif cell.source.startswith("import ") and "grader" not in cell.source:
            cell.source += "\n" + _imports(source)


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> dict[str, dict]:
    """The starter notebook of ``grader dist --notebooks``, completed with a correct solution, run in a real
    kernel up to its check cell; then ``update`` redefined with a bug and checked again, in the same kernel."""
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    from grader.dist import build_student_repo

    repo = tmp_path_factory.mktemp("starter") / "repo"
    build_student_repo(load_config(ROOT / "config.yaml"), repo, exercises=["kmeans"], notebooks=True)
    config = repo / "config.yaml"
    config.write_text(re.sub(r"max_examples: \d+", "max_examples: 3", config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    assert not (repo / "exercises" / "kmeans" / "kmeans.py").exists()
    path = repo / "exercises" / "kmeans" / "kmeans.ipynb"
    notebook = nbformat.read(str(path), as_version=4)
    assert notebook.cells[0].cell_type == "markdown" and "k-means" in notebook.cells[0].source
    assert notebook.cells[-1].source == "import grader\n\ngrader.check('kmeans')"
    _complete(notebook, solution("correct"))
    check_cell = notebook.cells[-1]
    buggy = nbformat.v4.new_code_cell(_functions(solution("correct").replace(*BUG))["update"])
    notebook.cells += [buggy, nbformat.v4.new_code_cell(check_cell.source)]
    # The kernel imports this grader (not an installed one), as a student's kernel imports the installed one.
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                                           os.environ.get("PYTHONPATH")]))}
    environment.pop("JPY_SESSION_NAME", None)
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute(env=environment)

    def result(cell) -> dict:
        (output,) = [output for output in cell.outputs if output.output_type == "execute_result"]
        return dict(output.data)

    return {"correct": result(check_cell), "buggy": result(notebook.cells[-1]), "folder": {"repo": repo}}


def _page(inline: str) -> str:
    """The report page in the inline HTML's frame."""
    found = re.search(r'srcdoc="([^"]*)"', inline)
    assert found, inline[:300]
    return html.unescape(found.group(1))


def test_a_completed_starter_notebook_checked_from_inside_shows_full_marks_inline(checked):
    shown = checked["correct"]
    assert "<iframe" in shown["text/html"] and "kmeans: 90/90" in shown["text/html"]
    page = _page(shown["text/html"])
    assert "Score: 90/90" in page and 'class="failure"' not in page
    assert "score: 90/90" in shown["text/plain"]  # the text fallback of a terminal IPython


def test_a_bug_checked_from_inside_shows_the_failing_check_and_its_counterexample(checked):
    shown = checked["buggy"]
    page = _page(shown["text/html"])
    assert f'id="kmeans-{EMPTY_CLUSTER}"' in page and "smallest example found:" in page
    assert "yours became [nan" in page and "<img" in page  # the counterexample and its figure
    assert "FAIL" in shown["text/plain"] and "smallest example found:" in shown["text/plain"]
    assert "score: 90/90" not in shown["text/plain"]


INSPECT_FRAME = """(async () => {
  const frame = document.querySelector("iframe");
  const page = frame.contentDocument;
  const images = Array.from(page.images);
  await Promise.all(images.map(image => image.decode().catch(() => null)));
  return {
    frame: frame.getBoundingClientRect().height,
    scripts: page.scripts.length + document.scripts.length,
    title: page.title,
    images: images.map(image => ({complete: image.complete, width: image.naturalWidth})),
    failures: Array.from(page.querySelectorAll("article.failure")).map(article => article.id),
    text: page.body.innerText,
  };
})()"""


@pytest.mark.slow
def test_the_inline_report_renders_in_chromium(checked, tmp_path):
    from tests.reports.browser import Browser, chromium_or_skip

    host = tmp_path / "notebook.html"  # a notebook page's output area holding the cell's HTML output
    host.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>notebook</title></head><body>'
                    f'<div class="output">{checked["buggy"]["text/html"]}</div></body></html>', encoding="utf-8")
    browser = Browser(chromium_or_skip(), tmp_path / "profile")
    try:
        page = browser.open(host, INSPECT_FRAME)
        fetched = browser.requests()
        errors = [entry for entry in browser.log() if entry.get("level") == "error"]
    finally:
        browser.close()
    assert page["frame"] > 300 and page["scripts"] == 0 and page["title"].startswith("Report: ")
    assert f"kmeans-{EMPTY_CLUSTER}" in page["failures"] and "smallest example found:" in page["text"]
    assert page["images"] and all(image["complete"] and image["width"] > 0 for image in page["images"])
    assert all(url.startswith(("file:", "data:", "about:")) for url in fetched), fetched
    assert not errors, errors


def test_check_outside_ipython_says_where_it_works():
    from grader import UsageError, check

    with pytest.raises(UsageError, match="Jupyter, Colab or IPython"):
        check("kmeans")


def test_check_in_a_notebook_outside_the_course_says_how_to_name_the_course(tmp_path, monkeypatch):
    # The command's "--config PATH" means nothing in a notebook: the function's argument is named instead.
    from grader import ConfigError, check, notebook

    monkeypatch.setattr(notebook, "_shell", lambda: object())
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as raised:
        check("kmeans")
    assert 'grader.check(..., config="path/to/config.yaml")' in str(raised.value)
    assert "--config" not in str(raised.value)


@pytest.mark.parametrize("exercise", ["kmeans", "perceptron", "mlp"])
def test_the_skeletons_data_helper_works_in_a_notebook_without_a_file(tmp_path, monkeypatch, exercise):
    """The starter notebook holds the skeleton's ``_course_file``: in a kernel there is no ``__file__``, and the
    data file in the notebook's folder is found."""
    source = (ROOT / "exercises" / exercise / f"{exercise}.py").read_text(encoding="utf-8")
    (helper,) = [node for node in ast.parse(source).body
                 if isinstance(node, ast.FunctionDef) and node.name == "_course_file"]
    kernel: dict = {"Path": Path}
    exec(compile(ast.Module(body=[helper], type_ignores=[]), "cell 9", "exec"), kernel)
    (tmp_path / "iris.data").write_text("5.1 3.5 1.4 0.2 0\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert kernel["_course_file"]("iris.data") == tmp_path / "iris.data"


def test_the_starter_ci_checks_the_notebook(checked):
    """The starter repository's configuration names the notebook: `grader check kmeans` there grades it."""
    config = load_config(checked["folder"]["repo"] / "config.yaml")
    skeleton = config.exercise("kmeans").skeleton
    assert skeleton.name == "kmeans.ipynb"
    (exercise,) = grade_submission(config, {"kmeans": skeleton}).exercises
    assert exercise.status == "graded" and exercise.score == 0
    assert all(check.verdict == "not_implemented" for check in exercise.checks), exercise.checks[0]


def test_gradescope_finds_a_notebook(tmp_path):
    from grader.dist.autograder import find_module

    exercise = load_config(ROOT / "config.yaml").exercise("kmeans")
    notebook = write(tmp_path / "upload" / "work" / "kmeans.ipynb", "{}")
    assert find_module(tmp_path / "upload", exercise).path == notebook
    module = write(tmp_path / "upload" / "kmeans.py", "")
    assert find_module(tmp_path / "upload", exercise).path == module


def test_grader_check_path_picks_the_exercise_of_a_notebook():
    from grader.cli import _pick_exercise

    config = load_config(ROOT / "config.yaml")
    assert _pick_exercise(config, None, Path("work/mlp.ipynb")) == "mlp"
    assert _pick_exercise(config, None, Path("perceptron.ipynb")) == "perceptron"


def test_a_lone_notebook_named_after_its_student_is_told_apart_by_its_functions(tmp_path):
    # A class graded for several exercises: kim.ipynb is named after no exercise; its functions say which.
    from grader.sources import exercise_of

    config = load_config(ROOT / "config.yaml")
    path = write_notebook(tmp_path / "kim.ipynb", notebook_of(solution("correct")))
    match = exercise_of(path, {key: config.exercise(key) for key in ("kmeans", "perceptron", "mlp")})
    assert (match.exercise, match.how) == ("kmeans", "by the functions it defines")


#: What a completed notebook may hold besides its functions, each alone: IPython syntax, a first attempt that does
#: not parse (defined again below), the course's print continued on a line that starts with ``%``.
_ASIDES = {
    "help lines": ("np.argmin?", "kmeans??"),
    "shell output assigned": ("files = !ls",),
    "cell magic": ("%%bash\necho done > log.txt",),
    "broken first attempt": ("def kmeans(data, centers:\n    return None",),
    "percent continuation": ('print("Step : %d, error : %g"\n      % (1, 0.5))',),
}


@pytest.mark.quick
@pytest.mark.parametrize("extra", _ASIDES.values(), ids=list(_ASIDES))
def test_a_lone_notebook_with_ipython_syntax_or_a_broken_cell_is_told_apart_by_its_functions(tmp_path, extra):
    """One cell that is not Python as it is hides no other cell's functions: the exercise is told as grading
    reads the notebook (a student reported missing while ``grader check`` gives full marks would lose all)."""
    from grader.sources import exercise_of

    config = load_config(ROOT / "config.yaml")
    path = write_notebook(tmp_path / "kim.ipynb", notebook_of(solution("correct"), extra=extra))
    match = exercise_of(path, {key: config.exercise(key) for key in ("kmeans", "perceptron", "mlp")})
    assert (match.exercise, match.how) == ("kmeans", "by the functions it defines")


@pytest.mark.quick
def test_a_completed_notebook_beside_the_untouched_skeleton_is_graded_by_every_channel(tmp_path):
    """olga left ``kmeans.py`` as handed out and completed ``kmeans.ipynb`` beside it (pavel: in a clone's layout):
    ``grader grade``, ``grader check`` in the starter repository and Gradescope all grade the notebook; when both
    files are completed, the module is graded and a note names the notebook, not graded."""
    from grader.dist.autograder import find_module
    from grader.grade import discover
    from grader.grade._prepare import prepare
    from grader.sources import default_submission
    from tests.conftest import course_copy

    config = load_config(course_copy(tmp_path / "course"))
    exercise = config.exercise("kmeans")
    skeleton, completed = (ROOT / "exercises" / "kmeans" / "kmeans.py").read_text(encoding="utf-8"), solution()
    classroom = tmp_path / "class"
    for place in ("olga", "pavel/exercises/kmeans"):
        write(classroom / place / "kmeans.py", skeleton)
        write_notebook(classroom / place / "kmeans.ipynb", notebook_of(completed))
    write(classroom / "quinn" / "kmeans.py", completed)
    write_notebook(classroom / "quinn" / "kmeans.ipynb", notebook_of(completed))
    prepared = {}
    for student in discover(classroom):
        (tmp_path / "scratch" / student.id).mkdir(parents=True)
        prepared[student.id] = prepare(student, tmp_path / "scratch" / student.id, {"kmeans": exercise})
    assert prepared["olga"].used["kmeans"] == "olga/kmeans.ipynb"
    assert prepared["pavel"].used["kmeans"] == "pavel/exercises/kmeans/kmeans.ipynb"
    assert prepared["quinn"].used["kmeans"] == "quinn/kmeans.py"
    assert any("also found quinn/kmeans.ipynb, not graded" in note for note in prepared["quinn"].notes)
    assert find_module(classroom / "olga", exercise).path == classroom / "olga" / "kmeans.ipynb"
    in_repository = write_notebook(config.root / "exercises" / "kmeans" / "kmeans.ipynb", notebook_of(completed))
    assert default_submission(config, exercise).path == in_repository
    write(config.root / "exercises" / "kmeans" / "kmeans.py", completed)
    chosen = default_submission(config, exercise)
    assert chosen.path.name == "kmeans.py" and "also completed: exercises/kmeans/kmeans.ipynb (python), not graded" \
        in chosen.note


def test_a_notebook_saved_with_a_byte_order_mark_is_read_as_jupyter_reads_it(tmp_path):
    """Some Windows editors save UTF-8 with a BOM: the notebook is read (its cells, and the functions it still marks
    as to write, as choosing the student's file counts them), as a .py file with a BOM is."""
    from grader.sources import marks

    bom = b"\xef\xbb\xbf"
    completed = write(tmp_path / "done" / "kmeans.ipynb", bom + nbformat.writes(notebook_of(solution())).encode())
    assert any(source.startswith("def kmeans(") for _, source in read_notebook(completed).cells)
    skeleton = (ROOT / "exercises" / "kmeans" / "kmeans.py").read_text(encoding="utf-8")
    left = write(tmp_path / "left" / "kmeans.ipynb", bom + nbformat.writes(notebook_of(skeleton)).encode())
    assert marks(left) == marks(ROOT / "exercises" / "kmeans" / "kmeans.py") > 0


def test_check_without_an_exercise_grades_the_one_the_notebook_is_for(tmp_path):
    """``grader.check()`` with no id in a course of several exercises: the notebook's name, else the functions its
    cells defined, tell the exercise (never the first of the course whatever the notebook holds); a notebook that
    tells none is asked to name it."""
    from grader.errors import UsageError
    from grader.notebook import exercise_of_history

    course = load_config(ROOT / "config.yaml")
    perceptron = (ROOT / "reference" / "perceptron.py").read_text(encoding="utf-8")
    history = ["", "import numpy as np", perceptron, "import grader\ngrader.check()"]
    assert exercise_of_history(course, history, "", tmp_path) == "perceptron"
    assert exercise_of_history(course, history, "Untitled.ipynb", tmp_path) == "perceptron"
    assert exercise_of_history(course, ["", "x = 1"], "mlp.ipynb", tmp_path) == "mlp"
    # An input that failed in the kernel, and IPython syntax, hide none of the functions the others defined.
    tried = ["", "import numpy as np", "def forward(x, w:\n    return x", perceptron, "np.argmin?", "files = !ls",
             "import grader\ngrader.check()"]
    assert exercise_of_history(course, tried, "", tmp_path) == "perceptron"
    with pytest.raises(UsageError, match=r"name it, for example grader.check\('kmeans'\)"):
        exercise_of_history(course, ["", "x = 1"], "Untitled.ipynb", tmp_path)
