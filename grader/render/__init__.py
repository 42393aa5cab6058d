"""Views of a :class:`~grader.results.Report`: each module renders the same model one way.

- :func:`render_text`: the terminal (``grader check``);
- :func:`render_markdown`, :func:`render_html`: ``report.md`` and a self-contained ``report.html``;
- :func:`write_reports`: all of them, with ``report.json`` and the figures, into one folder per student;
- :func:`report_schema`: the published JSON Schema of ``report.json``.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Optional, Union

from grader import _atomic
from grader.render.terminal import render_text
from grader.results import Report

if TYPE_CHECKING:  # matplotlib is imported only when a figure is drawn
    from grader.render.figures import ReportFigures

__all__ = ["render_text", "render_markdown", "render_html", "write_reports", "report_schema", "REPORT_FILES",
           "FIGURE_FOLDER"]

#: The files :func:`write_reports` writes in a student's folder, by format.
REPORT_FILES = {"json": "report.json", "md": "report.md", "html": "report.html"}
#: The folder, next to ``report.md``, of its figures.
FIGURE_FOLDER = "figures"


def report_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every ``report.json`` follows."""
    return json.loads(resources.files("grader").joinpath("report.schema.json").read_text(encoding="utf-8"))


def render_markdown(report: Report, figures: Optional[ReportFigures] = None, *,
                    image_folder: str = FIGURE_FOLDER) -> str:
    """``report`` as Markdown, its figures referenced in ``image_folder`` (see :func:`write_reports`)."""
    from grader.render.markdown import render_markdown as render

    return render(report, figures, image_folder=image_folder)


def render_html(report: Report, figures: Optional[ReportFigures] = None) -> str:
    """``report`` as one self-contained HTML page, figures embedded (drawn when not given)."""
    from grader.render.html import render_html as render

    return render(report, figures)


def write_reports(report: Report, folder: Union[str, Path], *,
                  formats: Iterable[str] = tuple(REPORT_FILES)) -> dict[str, Path]:
    """Write ``report`` into ``folder`` (created if needed) as ``report.json``, ``report.md`` with its
    ``figures/*.png``, and a self-contained ``report.html``; returns the written files by format.

    Figures are drawn once for both formats; one that cannot be drawn is a note in the report.
    """
    from grader.render.figures import report_figures

    formats = tuple(formats)
    unknown = set(formats) - set(REPORT_FILES)
    if unknown:
        raise ValueError(f"unknown report formats {sorted(unknown)}: choose among {sorted(REPORT_FILES)}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    if "json" in formats:
        written["json"] = folder / REPORT_FILES["json"]
        _atomic.write_text(written["json"], report.to_json() + "\n")
    if "md" in formats or "html" in formats:
        figures = report_figures(report)
        if "md" in formats:
            images = folder / FIGURE_FOLDER
            if figures.checks or figures.showcase:
                images.mkdir(exist_ok=True)
            for image in (*figures.checks.values(), *figures.showcase.values()):
                _atomic.write_bytes(images / image.name, image.png)
            written["md"] = folder / REPORT_FILES["md"]
            _atomic.write_text(written["md"], render_markdown(report, figures))
        if "html" in formats:
            written["html"] = folder / REPORT_FILES["html"]
            _atomic.write_text(written["html"], render_html(report, figures))
    return written
