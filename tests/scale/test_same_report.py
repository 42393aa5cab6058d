"""The same submission gets byte-identical reports, apart from timings: with and without the example cache, in one
run and in shards merged, on any machine (what the code prints names no folder of this one)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader import load_config
from grader.grade import grade_class
from grader.merge import Shard, merge_outputs
from tests.conftest import ROOT

#: A bug that makes numpy warn (the mean of an empty cluster), and prints in every update: output is captured from
#: checks that pass on replay, from checks whose replay fails and are searched again, and from the showcase.
PRINTS_AND_WARNS = (("if len(members) > 0:", "if True:"),
                    ('    """Update phase: each center moves to the mean of its points; an empty one stays."""\n',
                     '    """Update phase."""\n    print("update with", len(labels), "labels")\n'))


def _student() -> str:
    text = (ROOT / "reference" / "kmeans.py").read_text(encoding="utf-8")
    for old, new in PRINTS_AND_WARNS:
        assert old in text
        text = text.replace(old, new)
    return text


def _without_timing(path: Path) -> str:
    report = json.loads(path.read_text(encoding="utf-8"))
    report.pop("timing")
    for exercise in report["exercises"]:
        for check in exercise["checks"]:
            check.pop("duration")
    return json.dumps(report, indent=1, sort_keys=True)


@pytest.mark.slow
def test_reports_do_not_depend_on_the_cache_the_shards_or_the_machine(tmp_path, monkeypatch):
    klass = tmp_path / "class"
    klass.mkdir()
    (klass / "ann.py").write_text(_student(), encoding="utf-8")
    (klass / "broken.py").write_text("def assign(:\n", encoding="utf-8")
    config = load_config(ROOT / "config.yaml")
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GRADER_NO_CACHE", raising=False)
    # In shards, the cache empty (its examples recorded); in one run, the cache full; in one run, no cache.
    shards = [tmp_path / f"shard-{k}" for k in (1, 2)]
    for k, out in enumerate(shards, 1):
        grade_class(config, klass, out, exercises=["kmeans"], jobs=1, shard=Shard(k, 2))
    merge_outputs(shards, tmp_path / "merged")
    grade_class(config, klass, tmp_path / "cached", exercises=["kmeans"], jobs=1)
    monkeypatch.setenv("GRADER_NO_CACHE", "1")
    grade_class(config, klass, tmp_path / "uncached", exercises=["kmeans"], jobs=1)
    for student in ("ann", "broken"):
        texts = {run: _without_timing(tmp_path / run / student / "report.json")
                 for run in ("merged", "cached", "uncached")}
        assert texts["merged"] == texts["cached"] == texts["uncached"], student
    output = json.loads((tmp_path / "cached" / "ann" / "report.json").read_text(encoding="utf-8"))["output"]
    assert "update with" in output and "kmeans.py:" in output and "RuntimeWarning" in output
    assert "grader-worker-" not in output and str(tmp_path) not in output


def test_a_warning_shown_by_a_replay_that_fails_is_in_the_report_as_without_the_cache(tmp_path, monkeypatch):
    """Python shows a warning once per place: the calls made again after a failing replay's output is forgotten
    show it again, as the run without the cache shows it."""
    from grader import grade_submission
    from tests.kmeans.mutants import MUTANTS

    config = load_config(ROOT / "config.yaml")
    path = tmp_path / "kmeans.py"
    path.write_text(next(m for m in MUTANTS if m.name == "update_returns_inf").source(), encoding="utf-8")
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GRADER_NO_CACHE", raising=False)
    grade_submission(config, {"kmeans": ROOT / "reference" / "kmeans.py"})  # the examples recorded
    cached = grade_submission(config, {"kmeans": path})
    monkeypatch.setenv("GRADER_NO_CACHE", "1")
    uncached = grade_submission(config, {"kmeans": path})
    assert "RuntimeWarning" in uncached.output
    assert cached.output == uncached.output
