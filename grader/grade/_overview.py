"""The class overview, ``index.html``: how the class did, what it got wrong, and every student's report.

Self-contained (no script, no network), built from the reports alone, so that
any set of reports (graded here or collected from elsewhere) gives the same page.
Everything that comes from a submission is escaped.  A typical counterexample is
also drawn when the exercise's plugin (see :mod:`grader.plugin`) draws one.
"""

from __future__ import annotations

import base64
import html
import json
import statistics
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence
from urllib.parse import quote

from grader import _atomic
from grader.grade._gradebook import counts_text, exercise_ids, number, sorted_reports, student_languages, student_status
from grader.grade._paths import folder_name
from grader.render._view import clean
from grader.plugin import load_plugin
from grader.render.html import prose
from grader.results import CheckResult, Report

__all__ = ["OVERVIEW", "class_overview_html", "write_class_overview", "report_links"]

OVERVIEW = "index.html"
_MOST_FAILED = 5
_BINS = 10
_VALUE_LIMIT = 600

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.bar { background: #eee; width: 10em; height: 0.9em; display: inline-block; }
.bar span { background: #3a7; height: 100%; display: block; }
.low span { background: #d54; }
.status-error, .status-grader_error { color: #b22; } .status-missing, .status-incomplete { color: #a60; }
pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; white-space: pre-wrap; }
.summary { font-size: 1.1em; } .hidden { color: #777; font-size: 0.85em; }
"""


def _e(value: Any) -> str:
    # Names, notes and messages come from the students' files: no control or bidirectional character survives.
    return html.escape(clean(str(value)), quote=True)


@dataclass
class _CheckStats:
    exercise: str
    check: CheckResult
    attempts: int = 0
    passes: int = 0
    failures: list[CheckResult] = field(default_factory=list)
    #: The plugin module of the exercise, which may draw its counterexamples ('' for none).
    plugin: str = ""

    @property
    def rate(self) -> float:
        return self.passes / self.attempts if self.attempts else 1.0

    @property
    def consequences(self) -> list[CheckResult]:
        """Failures probably caused by another check failing for the same student (``caused_by``)."""
        return [check for check in self.failures if check.caused_by]

    @property
    def own_failures(self) -> list[CheckResult]:
        return [check for check in self.failures if not check.caused_by]


def _check_stats(reports: Sequence[Report]) -> list[_CheckStats]:
    stats: dict[tuple[str, str], _CheckStats] = {}
    for report in reports:
        for exercise in report.exercises:
            for check in exercise.checks:
                entry = stats.setdefault((exercise.id, check.id), _CheckStats(exercise.id, check))
                entry.plugin = entry.plugin or exercise.plugin
                entry.attempts += 1
                if check.passed:
                    entry.passes += 1
                else:
                    entry.failures.append(check)
    return sorted(stats.values(), key=lambda entry: (entry.rate, -len(entry.failures), entry.exercise,
                                                     entry.check.id))


def _compact(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)
    return text if len(text) <= _VALUE_LIMIT else text[: _VALUE_LIMIT - 3] + "..."


def _typical(failures: Sequence[CheckResult]) -> tuple[str, int, Optional[CheckResult]]:
    """The most common failure message, how many share it, and the failure with the smallest counterexample among
    them (its counterexample without the traceback)."""
    messages = Counter(check.message for check in failures)
    message, count = min(messages.items(), key=lambda item: (-item[1], len(item[0]), item[0]))
    examples = [
        replace(check, counterexample={key: value for key, value in check.counterexample.items() if key != "traceback"})
        for check in failures if check.message == message and check.counterexample
    ]
    smallest = min(examples, key=lambda check: (len(_compact(check.counterexample)), _compact(check.counterexample))) \
        if examples else None
    return message, count, smallest


def _percentages(reports: Sequence[Report]) -> list[float]:
    return [100.0 * report.score / report.max_score for report in reports if report.max_score > 0]


def _histogram(percentages: Sequence[float]) -> str:
    counts = [0] * _BINS
    for value in percentages:
        counts[min(int(value // (100 / _BINS)), _BINS - 1)] += 1
    tallest = max(counts) or 1
    bar_width, height = 48, 160
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{bar_width * _BINS + 20}" height="{height + 50}" '
             'role="img" aria-label="score distribution">']
    for index, count in enumerate(counts):
        bar = round(height * count / tallest)
        x = 10 + index * bar_width
        parts.append(f'<rect x="{x + 4}" y="{height - bar + 20}" width="{bar_width - 8}" height="{bar}" '
                     f'fill="#3a7"><title>{count} student(s)</title></rect>')
        parts.append(f'<text x="{x + bar_width / 2}" y="{height - bar + 15}" font-size="12" '
                     f'text-anchor="middle">{count}</text>')
        parts.append(f'<text x="{x + bar_width / 2}" y="{height + 36}" font-size="11" text-anchor="middle">'
                     f'{index * 100 // _BINS}–{(index + 1) * 100 // _BINS}%</text>')
    parts.append("</svg>")
    return "".join(parts)


def _bar(rate: float) -> str:
    low = " low" if rate < 0.5 else ""
    return f'<span class="bar{low}"><span style="width:{100 * rate:.0f}%"></span></span>'


def _summary(reports: Sequence[Report]) -> str:
    percentages = _percentages(reports)
    parts = [counts_text(reports)]
    if percentages:
        parts.append(f"mean {statistics.mean(percentages):.1f}%")
        parts.append(f"median {statistics.median(percentages):.1f}%")
    parts.append(f"{sum(report.passed for report in reports)} passed every check")
    return " · ".join(parts)


def _checks_table(stats: Sequence[_CheckStats]) -> str:
    rows = ["<table><tr><th>check</th><th>what it tests</th><th>points</th><th>passed</th><th></th></tr>"]
    for entry in stats:
        hidden = ' <span class="hidden">hidden</span>' if entry.check.hidden else ""
        rows.append(f"<tr><td><code>{_e(entry.check.id)}</code>{hidden}</td><td>{_e(entry.check.title)}</td>"
                    f'<td class="num">{_e(number(entry.check.max_points))}</td>'
                    f'<td class="num">{entry.passes}/{entry.attempts} ({100 * entry.rate:.0f}%)</td>'
                    f"<td>{_bar(entry.rate)}</td></tr>")
    rows.append("</table>")
    return "\n".join(rows)


def _causes_text(entry: _CheckStats) -> str:
    causes = Counter(check.caused_by for check in entry.consequences)
    if not causes:
        return ""
    named = ", ".join(f"<code>{_e(cause)}</code> ({count})" for cause, count in causes.most_common())
    return (f'<p class="cause">{len(entry.consequences)} of these failures are probably caused by another check '
            f"failing for the same student: {named}.</p>")


def _picture(entry: _CheckStats, check: CheckResult) -> str:
    """The exercise's own picture of ``check``, a failure of ``entry``'s check, embedded; '' when it draws none."""
    if not entry.plugin:
        return ""
    try:
        from grader.render.figures import to_png

        plugin = load_plugin(entry.plugin)
        figure = plugin.counterexample_figure(check)
        if figure is None:
            return ""
        data = base64.b64encode(to_png(figure, dpi=60)).decode("ascii")
        text = plugin.counterexample_text(check)
    except Exception:  # a picture is a bonus: the page is complete without it
        return ""
    caption = f"<figcaption>{_e(text.caption)}</figcaption>" if text.caption else ""
    return f'<figure><img src="data:image/png;base64,{data}" alt="{_e(text.alt)}">{caption}</figure>'


def _most_failed(stats: Sequence[_CheckStats]) -> str:
    failing = [entry for entry in stats if entry.failures][:_MOST_FAILED]
    if not failing:
        return "<p>Every check passed for every graded submission.</p>"
    # Root causes first: checks whose failures are mostly consequences of another failing check come last.
    failing.sort(key=lambda entry: len(entry.consequences) / len(entry.failures))
    sections = []
    for entry in failing:
        message, count, example = _typical(entry.own_failures or entry.failures)
        lines = [f"<h3><code>{_e(entry.check.id)}</code> — {_e(entry.check.title)}</h3>",
                 f"<p>failed by {len(entry.failures)} of {entry.attempts}; "
                 f"{count} of them with this message:</p>", f"<pre>{_e(message)}</pre>", _causes_text(entry)]
        if example is not None and example.counterexample:
            body = "\n".join(f"{key} = {_compact(value)}" for key, value in example.counterexample.items())
            lines.append(f"<p>smallest counterexample with this message:</p><pre>{_e(body)}</pre>")
            # The failure's own counterexample and how it counts (a Fortran student's labels from 1).
            lines.append(_picture(entry, example))
        sections.append("\n".join(lines))
    return "\n".join(sections)


def _why(error: str) -> str:
    """Why an exercise was not graded: its first line as a sentence, the rest (the source line and its caret of a
    syntax error, a compiler's output) as preformatted lines of their own."""
    first, _, rest = error.strip("\n").partition("\n")
    return prose(first) + (f"<pre>{_e(rest)}</pre>" if rest.strip() else "")


def _problems(reports: Sequence[Report]) -> str:
    rows = []
    for report in reports:
        for exercise in report.exercises:
            if exercise.status != "graded":
                rows.append(f"<tr><td>{_e(report.student)}</td><td>{_e(report.name)}</td><td>{_e(exercise.id)}</td>"
                            f'<td class="status-{_e(exercise.status)}">{_e(exercise.status)}</td>'
                            f"<td>{_why(exercise.error)}</td></tr>")
    if not rows:
        return ""
    return ("<h2>Not graded</h2>\n<table><tr><th>id</th><th>name</th><th>exercise</th><th>status</th>"
            "<th>why</th></tr>\n" + "\n".join(rows) + "\n</table>")


def _notes(reports: Sequence[Report], ignored: Sequence[str]) -> str:
    """How submissions were read when not as expected, and what in the folder was no submission."""
    rows = [f"<tr><td>{_e(report.student)}</td><td>{_e(note)}</td></tr>" for report in reports for note in report.notes]
    parts = []
    if rows:
        parts.append("<h2>Notes</h2>\n<table><tr><th>id</th><th>note</th></tr>\n" + "\n".join(rows) + "\n</table>")
    if ignored:
        parts.append("<p>Ignored (not a submission): " + ", ".join(f"<code>{_e(name)}</code>" for name in ignored)
                     + "</p>")
    return "\n".join(parts)


def _students(reports: Sequence[Report], links: Mapping[str, str]) -> str:
    exercises = exercise_ids(reports)
    head = "".join(f"<th>{_e(exercise)}</th>" for exercise in exercises)
    rows = [f"<table><tr><th>id</th><th>name</th>{head}<th>total</th><th>status</th><th>language</th><th>report</th></tr>"]
    for report in reports:
        scores = {exercise.id: exercise for exercise in report.exercises}
        cells = "".join(
            f'<td class="num">{_e(number(scores[e].score)) if e in scores else ""}</td>' for e in exercises)
        link = links.get(report.student)
        anchor = f'<a href="{_e(link)}">{_e(link.rsplit("/", 1)[-1])}</a>' if link else ""
        status = student_status(report)
        rows.append(f"<tr><td>{_e(report.student)}</td><td>{_e(report.name)}</td>{cells}"
                    f'<td class="num">{_e(number(report.score))}/{_e(number(report.max_score))}</td>'
                    f'<td class="status-{status}">{status}</td><td>{_e(student_languages(report))}</td>'
                    f'<td>{anchor}</td></tr>')
    rows.append("</table>")
    return "\n".join(rows)


def class_overview_html(reports: Sequence[Report], *, links: Optional[Mapping[str, str]] = None,
                        title: str = "Class overview", ignored: Sequence[str] = ()) -> str:
    """The overview page of ``reports``; ``links`` maps a student id to the address of their report;
    ``ignored``: entries of the submissions folder that were no submission."""
    ordered = sorted_reports(reports)
    stats = _check_stats(ordered)
    versions = sorted({report.grader_version for report in ordered})
    seeds = sorted({report.seed for report in ordered})
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="summary">{_e(_summary(ordered))}</p>',
        f"<p>grader {_e(', '.join(versions))} · seed {_e(', '.join(map(str, seeds)))}</p>",
        "<h2>Score distribution</h2>",
        _histogram(_percentages(ordered)),
        "<h2>Checks, worst first</h2>",
        _checks_table(stats),
        "<h2>Most failed checks, with a typical counterexample</h2>",
        _most_failed(stats),
        _problems(ordered),
        _notes(ordered, ignored),
        "<h2>Students</h2>",
        _students(ordered, links or {}),
        "</body></html>",
        "",
    ])


def report_links(reports: Sequence[Report], out_dir: Path) -> dict[str, str]:
    """Relative address of each student's report in ``out_dir`` (HTML, else Markdown, else JSON)."""
    links = {}
    for report in reports:
        folder = folder_name(report.student)
        for name in ("report.html", "report.md", "report.json"):
            if (out_dir / folder / name).is_file():
                links[report.student] = f"{quote(folder)}/{name}"
                break
    return links


def write_class_overview(reports: Sequence[Report], out_dir: Path, *, title: str = "Class overview",
                         ignored: Sequence[str] = ()) -> Path:
    """Write ``out_dir/index.html`` for ``reports``, linking each student's report in ``out_dir/<student>/``."""
    out_dir = Path(out_dir)
    path = out_dir / OVERVIEW
    _atomic.write_text(path, class_overview_html(reports, links=report_links(reports, out_dir), title=title,
                                                 ignored=ignored))
    return path
