"""The report as one self-contained HTML page (``report.html``).

Figures are embedded as base64 PNG, styles are inline, there is no script, and a
Content-Security-Policy forbids the page any network access or script: it opens
the same from an archive, an e-mail or a learning platform.  Everything from the
report is escaped, since the student controls part of it.
"""

from __future__ import annotations

import base64
import re
from html import escape
from typing import Optional

from grader.plugin import plugin_of
from grader.render._view import (
    LANGUAGE_NAMES,
    cause_text,
    clean,
    consequences_text,
    example_lines,
    failures,
    hint_label,
    grader_error_note,
    missing_functions,
    points_text,
    showcase_view,
    split_example,
    verdict_mark,
)
from grader.render.figures import Image, ReportFigures
from grader.results import CheckResult, ExerciseResult, Report

__all__ = ["render_html", "render_inline_html", "prose"]

_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
#: Longest value printed in full: a minimal counterexample always fits, a huge return value does not.
_LONGEST = 5000
_MARKS = {"PASS": "✓", "FAIL": "✗", "TODO": "…", "ERROR": "⚠"}
_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 62rem; margin: 2rem auto;
       padding: 0 1rem; color: #1d2433; line-height: 1.45; }
h1 { margin-bottom: .2rem; } .total { font-size: 1.3rem; font-weight: 600; }
h2 { border-bottom: 2px solid #d8dde6; padding-bottom: .2rem; margin-top: 2.2rem; }
table.checks { border-collapse: collapse; width: 100%; }
table.checks td { padding: .25rem .5rem; border-bottom: 1px solid #eceff4; vertical-align: top; }
td.mark { width: 1.5rem; font-weight: 700; text-align: center; } td.points { text-align: right; white-space: nowrap; }
tr.PASS td.mark { color: #1a7f37; } tr.FAIL td.mark { color: #cf222e; } tr.TODO td.mark { color: #9a6700; }
tr.ERROR td.mark { color: #0969da; }
.hiddentag { color: #6e7781; font-size: .85em; }
article.failure { border-left: 4px solid #cf222e; padding: .2rem 1rem; margin: 1.2rem 0; background: #fff8f8; }
article.failure h4 { margin: .4rem 0; }
article.consequence { margin-left: 2rem; border-left-color: #d4a72c; background: #fffbea; }
p.cause { font-style: italic; color: #7d4e00; } code.id { color: #6e7781; font-size: .85em; }
pre { background: #f6f8fa; padding: .6rem .8rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.hint { background: #eef6ff; border-left: 4px solid #0969da; padding: .4rem .8rem; }
.note, .error { color: #9a6700; } .error { color: #cf222e; }
figure { margin: .8rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eceff4; }
figcaption { font-size: .85em; color: #57606a; }
footer { margin-top: 3rem; font-size: .85em; color: #57606a; }
"""


def _e(text: object) -> str:
    return escape(clean(str(text)), quote=True)


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def prose(text: object) -> str:
    """A sentence of the report (message, hint, note) as HTML: escaped, its `code` spans (Markdown's backticks,
    as the other formats show them) set as code."""
    return _CODE_SPAN.sub(r"<code>\1</code>", _e(text))


def _pre(text: str) -> str:
    return f"<pre>{_e(text)}</pre>"


def _figure(image: Optional[Image]) -> str:
    if image is None:
        return ""
    data = base64.b64encode(image.png).decode("ascii")
    caption = f"<figcaption>{_e(image.caption)}</figcaption>" if image.caption else ""
    return f'<figure><img src="data:image/png;base64,{data}" alt="{_e(image.alt)}">{caption}</figure>'


def _example(check: CheckResult) -> str:
    example = split_example(check.counterexample)
    rows = example_lines(example, limit=_LONGEST, fixed=check.fixed_example)
    parts = [_pre("\n".join(rows))] if rows else []
    if example.traceback:
        parts.append(f"<details><summary>Where in your code</summary>{_pre(example.traceback)}</details>")
    return "".join(parts)


def _failure(exercise: ExerciseResult, check: CheckResult, figures: ReportFigures) -> str:
    hint = (f'<p class="hint"><strong>{prose(hint_label(check, capital=True))}:</strong> {prose(check.hint)}</p>'
            if check.hint else "")
    cause = f'<p class="cause">{prose(cause_text(check))}</p>' if check.caused_by else ""
    after = consequences_text(exercise, check)
    after_html = f'<p class="cause">{prose(after)}</p>' if after else ""
    # A consequence of another failure is nested in the same group, under it.
    kind = "failure consequence" if check.caused_by else "failure"
    return (f'<article class="{kind}" id="{_e(exercise.id)}-{_e(check.id)}">'
            f'<h4>{_e(check.title)} <code class="id">{_e(check.id)}</code></h4>{cause}'
            f'<p class="message">{prose(check.message or check.verdict)}</p>'
            f"{_example(check)}{_figure(figures.checks.get((exercise.id, check.id)))}{hint}{after_html}</article>")


def _checks_table(exercise: ExerciseResult) -> str:
    rows = []
    for check in exercise.checks:
        mark = verdict_mark(check)
        hidden = ' <span class="hiddentag">(hidden)</span>' if check.hidden else ""
        rows.append(f'<tr class="{mark}"><td class="mark" title="{mark.lower()}">{_MARKS[mark]}</td>'
                    f"<td>{_e(check.title)}{hidden}</td>"
                    f'<td class="points">{points_text(check.points)}/{points_text(check.max_points)}</td></tr>')
    return f'<table class="checks">{"".join(rows)}</table>' if rows else ""


def _showcase(exercise: ExerciseResult, figures: ReportFigures) -> str:
    view = showcase_view(exercise.showcase, plugin_of(exercise))
    if view is None:
        return ""
    parts = [f"<h3>{_e(view.title)}</h3>"] + [f'<p class="error">{prose(message)}</p>' for message in view.messages]
    for run, messages in view.runs:
        name = str(run.get("file", ""))
        parts.append(f"<h4>{_e(name)}</h4>")
        parts += [f'<p class="{"error" if run.get("error") else "note"}">{prose(message)}</p>' for message in messages]
        parts.append(_figure(figures.showcase.get((exercise.id, name))))
    return "".join(parts)


def _language_suffix(exercise: ExerciseResult) -> str:
    if exercise.language == "python":
        return ""
    return f" ({LANGUAGE_NAMES.get(exercise.language, exercise.language)})"


def _exercise(exercise: ExerciseResult, figures: ReportFigures) -> str:
    parts = [f'<section class="exercise" id="{_e(exercise.id)}">',
             f"<h2>{_e(exercise.title)}{_e(_language_suffix(exercise))} — {points_text(exercise.score)}/"
             f"{points_text(exercise.max_score)}</h2>"]
    if exercise.status != "graded":
        what = "Not submitted" if exercise.status == "missing" else "Your code could not be loaded"
        parts.append(f'<p class="error"><strong>{what}:</strong></p>{_pre(exercise.error or exercise.status)}')
    parts += [f'<p class="note">Note: {prose(note)}.</p>' for note in exercise.notes]
    broken = grader_error_note(exercise)
    if broken:
        parts.append(f'<p class="error"><strong>Grader error:</strong> {_e(broken)}.</p>')
    parts.append(_checks_table(exercise))
    if exercise.hidden_not_run:
        parts.append(f"<p>{exercise.hidden_not_run} hidden checks worth "
                     f"{points_text(exercise.hidden_points_not_run)} points will also run at grading time.</p>")
    missing = missing_functions(exercise)
    if missing:
        items = "".join(f"<li>{prose(item.sentence())}</li>" for item in missing)
        parts.append(f"<h3>Not implemented yet</h3><ul>{items}</ul>")
    wrong = failures(exercise)
    if wrong:
        parts.append("<h3>What went wrong</h3>" + "".join(_failure(exercise, check, figures) for check in wrong))
    if exercise.advice:
        parts.append(f"<h3>Compiler warnings (advice, not scored)</h3>{_pre(exercise.advice)}")
    parts.append(_showcase(exercise, figures))
    parts.append("</section>")
    return "".join(parts)


def _footer(report: Report, figures: ReportFigures) -> str:
    notes = ""
    if figures.notes:
        notes = "<h2>Notes</h2><ul>" + "".join(f"<li>{prose(note)}</li>" for note in figures.notes) + "</ul>"
    sandbox = "; ".join(f"{key}: {value}" for key, value in report.sandbox.items())
    return (f"{notes}<footer>grader {_e(report.grader_version)}, seed {_e(report.seed)}, total time "
            f"{report.timing.get('total', 0):g} s{'; ' + _e(sandbox) if sandbox else ''}</footer>")


def render_html(report: Report, figures: Optional[ReportFigures] = None) -> str:
    """``report`` as a self-contained HTML page (figures embedded; pass ``figures`` to reuse drawn ones)."""
    if figures is None:
        from grader.render.figures import report_figures

        figures = report_figures(report)
    who = report.name or report.student or "your submission"
    score = f"{points_text(report.score)}/{points_text(report.max_score)}"
    output = ""
    if report.output:
        output = f"<section><h2>Output of your code</h2>{_pre(report.output)}</section>"
    body = "".join(_exercise(exercise, figures) for exercise in report.exercises)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Report: {_e(who)} — {score}</title><style>{_STYLE}</style></head>"
            f'<body><header><h1>Report: {_e(who)}</h1><p class="total">Score: {score}</p>'
            + "".join(f'<p class="note">Note: {prose(note)}</p>' for note in report.notes) + "</header>"
            f"{body}{output}{_footer(report, figures)}</body></html>\n")


#: The frame of the report under a notebook cell: the page keeps its own styles and policy, the notebook its own.
_FRAME_STYLE = "width: 100%; height: 40rem; border: 1px solid #d8dde6; border-radius: 4px; background: #fff"


def render_inline_html(report: Report, figures: Optional[ReportFigures] = None) -> str:
    """``report`` for a notebook's output: the page of :func:`render_html` in a frame of its own (its styles
    do not leak into the notebook's, and the frame runs no script), under a line with the score."""
    page = render_html(report, figures)
    who = report.name or report.student or "your submission"
    score = f"{points_text(report.score)}/{points_text(report.max_score)}"
    return (f'<div class="grader-report"><p><strong>{_e(who)}: {score}</strong></p>'
            f'<iframe title="Report: {_e(who)}" sandbox="allow-same-origin" style="{_FRAME_STYLE}" '
            f'srcdoc="{escape(page, quote=True)}"></iframe></div>')
