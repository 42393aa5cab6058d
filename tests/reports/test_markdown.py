"""report.md: the same report as the terminal, its figures as PNG files beside it, the student's text escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from matplotlib import image

from grader.render import REPORT_FILES, write_reports
from grader.render._view import format_value
from grader.results import Report
from tests.reports.test_terminal import the_check

FENCE = re.compile(r"^(`{3,})")


def prose_and_code(markdown: str) -> tuple[list[str], list[str]]:
    """Lines outside and inside fenced code blocks (a fence closes only with a line of at least as many backticks)."""
    prose, code, fence = [], [], ""
    for line in markdown.splitlines():
        opening = FENCE.match(line)
        if not fence and opening:
            fence = opening.group(1)
        elif fence and line.strip() and set(line.strip()) == {"`"} and len(line.strip()) >= len(fence):
            fence = ""
        elif fence:
            code.append(line)
        else:
            prose.append(line)
    assert not fence, "a code fence is never closed"
    return prose, code


def images(markdown: str) -> list[str]:
    return re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)


@pytest.mark.slow
def test_the_empty_cluster_failure_has_its_example_and_a_picture(graded):
    run = graded["empty_cluster_nan"]
    markdown = run.text("report.md")
    check = the_check(run.report, "update.empty_cluster_keeps_center")
    section = markdown[markdown.index("(`update.empty_cluster_keeps_center`)"):]
    # Up to the next check: one of its own level, or one it probably causes, shown after it (#####).
    for heading in ("\n#### ", "\n##### "):
        section = section[: section.find(heading)] if heading in section else section
    _, code = prose_and_code(section)
    assert any(line.replace(" ", "") == f"data={format_value(check['counterexample']['data'])}".replace(" ", "")
               for line in code)
    assert any(line.startswith("your code returned:") and "nan" in line for line in code)
    assert any(line.startswith("expected:") for line in code)
    (link,) = images(section)
    png = run.folder / link
    assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    height, width, _ = image.imread(png).shape
    assert width > height  # the student's panel beside the expected one
    assert "**Hint:**" in section


@pytest.mark.slow
def test_every_figure_link_points_to_a_png_in_the_report_folder(graded):
    for name in ("reference", "manhattan", "hostile"):
        run = graded[name]
        links = images(run.text("report.md"))
        files = sorted(path.relative_to(run.folder).as_posix() for path in (run.folder / "figures").glob("*.png"))
        assert sorted(links) == files and files
        for link in links:
            assert image.imread(run.folder / link).shape[0] > 100


@pytest.mark.slow
def test_the_course_data_pictures_are_in_the_report(graded):
    markdown = graded["reference"].text("report.md")
    assert "kmeans_input_file_2d.dat" in markdown and "kmeans_input_file_3d.dat" in markdown
    assert {Path(link).name for link in images(markdown)} >= {"kmeans-course-kmeans_input_file_2d.dat.png",
                                                              "kmeans-course-kmeans_input_file_3d.dat.png"}


@pytest.mark.slow
def test_what_the_student_controls_is_inert_markdown(graded):
    markdown = graded["hostile"].text("report.md")
    prose, code = prose_and_code(markdown)
    for line in prose:
        # No raw HTML, emphasis, link or code span can come from the student's text outside code blocks.
        assert not re.search(r"(?<!\\)<(script|img|/script)", line), line
        assert "**bold**" not in line and "](http://example.invalid)" not in line.replace("\\]", "")
    assert any(line.startswith("update raised ValueError: \\<script\\>") for line in prose)
    # Printed output sits in a fence longer than the student's own ``` line, so it cannot close it.
    assert "```" in code and any("<script>document.title='pwned'</script>" in line for line in code)
    assert "\x1b" not in markdown


def test_write_reports_writes_the_asked_formats(graded, tmp_path):
    report = Report.from_json(graded["skeleton"].text("report.json"))
    written = write_reports(report, tmp_path / "alice", formats=["md"])
    assert set(written) == {"md"} and written["md"] == tmp_path / "alice" / REPORT_FILES["md"]
    assert sorted(path.name for path in (tmp_path / "alice").iterdir()) == ["report.md"]  # no figure to draw
    text = written["md"].read_text(encoding="utf-8")
    assert "### Not implemented yet" in text
    assert re.findall(r"^- ([\w\\]+) is not implemented yet", text, re.MULTILINE) == [
        "init\\_centers", "assign", "update", "kmeans"]
    assert "Could not run your code on the course data: kmeans is not implemented yet" in text
    with pytest.raises(ValueError, match="unknown report formats"):
        write_reports(report, tmp_path, formats=["pdf"])
