"""A notebook exported as a script (File > Save and Export Notebook As > Executable Script, ``jupyter nbconvert
--to script``) writes its IPython syntax as calls of ``get_ipython()``: graded, those calls do what a notebook
handed in does with that syntax (dropped; the body of ``%%time`` runs once), in the worker and in process."""

from __future__ import annotations

import pytest

from tests.sandbox.helpers import SOLUTION, full_marks

EXPORTED = (
    "#!/usr/bin/env python\n# coding: utf-8\n\n# In[1]:\n\n\n"
    "get_ipython().run_line_magic('matplotlib', 'inline')\n"
    "get_ipython().system('pip install numpy')\n\n\n# In[2]:\n\n\n"
    "get_ipython().run_cell_magic('time', '', 'STEPS_FROM_A_TIMED_CELL = 3\\n')\n\n\n# In[3]:\n\n\n"
    "get_ipython().run_cell_magic('bash', '', 'rm -rf ~\\n')\n\n\n# In[4]:\n\n\n"
)


@pytest.mark.parametrize("sandbox", [True, False], ids=["worker", "in-process"])
def test_a_notebook_exported_as_a_script_is_graded_as_its_code(course, sandbox):
    source = EXPORTED + SOLUTION + "\n\ndef steps():\n    return STEPS_FROM_A_TIMED_CELL\n"
    report = course.grade(source, sandbox=sandbox)
    assert report.exercises[0].status == "graded", report.exercises[0].error
    assert full_marks(report)
