"""Work in progress, as students run ``grader check`` while they write: a function still to write is named as the
one to write, whichever finished function calls it (C and Fortran: tests/languages/test_reference_and_skeleton.py)."""

from __future__ import annotations

from grader.render._view import missing_functions
from grader.sources import still_marked
from tests.conftest import ROOT
from tests.perceptron.corpus import grade_checks

REFERENCE = (ROOT / "reference" / "kmeans.py").read_text(encoding="utf-8")
ASSIGN_BODY = "    squared = ((data[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)\n"
FUNCTIONS = ["init_centers", "assign", "update", "kmeans"]


def _todo(report) -> dict[str, str]:
    return {check.id: check.message for check in report.exercises[0].checks if check.verdict == "not_implemented"}


def test_a_finished_function_calling_one_still_to_write_names_that_one(config, tmp_path):
    path = tmp_path / "kmeans.py"
    path.write_text(REFERENCE.replace(ASSIGN_BODY, '    raise NotImplementedError("assign")\n', 1), encoding="utf-8")
    report = grade_checks(config, "kmeans", path, hidden=False)
    todo = _todo(report)
    assert {check.split(".")[0] for check in todo} == {"assign", "kmeans"}, todo
    assert {message for check, message in todo.items() if check.startswith("kmeans.")} == {
        "assign is not implemented yet (kmeans calls it)"}
    missing = missing_functions(report.exercises[0])
    assert [item.function for item in missing] == ["assign"]
    assert missing[0].sentence().endswith("wait for it; kmeans calls it"), missing[0].sentence()


def test_a_case_the_student_left_out_is_told_with_their_message_and_the_input(config, tmp_path):
    path = tmp_path / "kmeans.py"
    left_out = ('    if data.shape[1] != 2:\n        raise NotImplementedError("only 2-D data for now")\n'
                + ASSIGN_BODY)
    path.write_text(REFERENCE.replace(ASSIGN_BODY, left_out, 1), encoding="utf-8")
    report = grade_checks(config, "kmeans", path, hidden=False)
    assign = next(c for c in report.exercises[0].checks if c.id == "assign.nearest_center")
    assert assign.verdict == "not_implemented"
    assert assign.message == "assign is not implemented yet (it raised NotImplementedError: only 2-D data for now)"
    assert assign.counterexample and len(assign.counterexample["args"][0][0]) != 2, assign.counterexample


def test_the_statements_still_marking_compiled_functions_are_read_from_the_source():
    for name, mark in (("kmeans.c", "NOT_IMPLEMENTED;"), ("kmeans.f90", "not_implemented = 1")):
        assert still_marked(ROOT / "exercises" / "kmeans" / name, FUNCTIONS) == (FUNCTIONS, mark)
        assert still_marked(ROOT / "reference" / name, FUNCTIONS) == ([], mark)
    assert still_marked(ROOT / "exercises" / "kmeans" / "kmeans.py", FUNCTIONS) == ([], "")



def test_a_function_whose_return_is_missing_is_asked_about_it(config, tmp_path):
    path = tmp_path / "kmeans.py"
    ending = "    labels = squared.argmin(axis=1)\n    return labels\n"
    assert ending in REFERENCE
    path.write_text(REFERENCE.replace(ending, "    labels = squared.argmin(axis=1)\n", 1), encoding="utf-8")
    report = grade_checks(config, "kmeans", path, hidden=False)
    check = next(c for c in report.exercises[0].checks if c.id == "assign.integer_array")
    assert check.message.startswith("assign returned None (nothing: does the function end with a `return` of its "
                                    "result?), expected an integer array"), check.message
