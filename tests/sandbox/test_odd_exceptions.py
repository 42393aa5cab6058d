"""Exceptions that fight being reported (a ``__str__`` that raises, a class of ``BaseException`` of the student's
own) are reported as what they are: the function raised them; the process did not end."""

from __future__ import annotations

from tests.sandbox.helpers import attack, check, full_marks


def test_exceptions_that_resist_being_described(course):
    code = """
        class Unprintable(Exception):
            def __str__(self):
                raise RuntimeError("no message for you")

        class Escape(BaseException):
            pass

        def assign(data, centers):
            raise Unprintable()

        def update(data, labels, centers):
            raise Escape("not an Exception")
    """
    report = course.grade(attack(code))
    assign, update = check(report, "assign.nearest_center"), check(report, "update.centroids")
    assert assign.verdict == update.verdict == "error"
    assert assign.message == "assign raised Unprintable: (its message cannot be shown: str() of it raised RuntimeError)"
    assert update.message == "update raised Escape: not an Exception"
    assert "raise Escape" in update.counterexample["traceback"]
    assert full_marks(report, but=("assign", "update", "kmeans")) and check(report, "kmeans.stops_at_eps").passed


def test_an_exception_whose_message_and_name_are_str_subclasses_is_named(course):
    # A subclass of str may answer slicing with anything: the report names the exception all the same.
    code = """
        class Text(str):
            def __getitem__(self, index):
                return 12345

            def __add__(self, other):
                raise RuntimeError("add")

        class Evil(Exception):
            def __str__(self):
                return Text("evil message")

        Evil.__name__ = Text("Evil")

        def update(data, labels, centers):
            raise Evil()
    """
    report = course.grade(attack(code))
    result = check(report, "update.centroids")
    assert result.verdict == "error"
    assert result.message == "update raised Evil: evil message"
    assert full_marks(report, but=("update",))


def test_text_that_is_not_unicode_is_reported_in_every_format(course):
    # Lone surrogates (Python's stand-ins for bytes that are not UTF-8) in a message or a returned string cannot
    # be written as UTF-8: they arrive as escapes, and every report is written.
    import json

    from grader.render.html import render_html
    from grader.render.markdown import render_markdown

    code = """
        def assign(data, centers):
            raise ValueError("broken \\udcff")

        def update(data, labels, centers):
            return "\\udcff centers"
    """
    report = course.grade(attack(code))
    assign, update = check(report, "assign.nearest_center"), check(report, "update.centroids")
    assert assign.message == "assign raised ValueError: broken \\udcff"
    assert not update.passed
    for text in (report.to_json(), render_markdown(report), render_html(report)):
        text.encode("utf-8")
    assert json.loads(report.to_json())["student"] == report.student
