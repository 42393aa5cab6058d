"""Settings of ``config.yaml`` spelled wrong are refused, saying which setting was meant: read as written, they would
be ignored and their setting keep its default (``max_exmples: 30`` grading with 50 examples, unnoticed)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from grader import load_config
from grader.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def _written(tmp_path: Path, change) -> Path:
    raw = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for folder in ("reference", "exercises", "data"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    return path


@pytest.mark.parametrize("change, message", [
    (lambda raw: raw.update(max_exmples=raw.pop("max_examples")), "unknown setting 'max_exmples': did you mean "
                                                                  "'max_examples'?"),
    (lambda raw: raw["exercises"]["mlp"].update(precison=raw["exercises"]["mlp"].pop("precision")),
     "exercise 'mlp': unknown setting 'precison': did you mean 'precision'?"),
    (lambda raw: raw["exercises"]["kmeans"].update(pionts=raw["exercises"]["kmeans"].pop("points")),
     "did you mean 'points'?"),
    (lambda raw: raw["exercises"]["kmeans"]["languages"]["c"].update(bindng="x.py"), "did you mean 'binding'?"),
])
def test_a_misspelled_setting_is_refused_naming_the_one_meant(tmp_path, change, message):
    with pytest.raises(ConfigError) as raised:
        load_config(_written(tmp_path, change))
    assert message in str(raised.value)


def test_a_setting_like_none_is_left_to_a_later_version(tmp_path):
    # A configuration written for a later grader (or a course's own notes) still loads.
    config = load_config(_written(tmp_path, lambda raw: raw.update(course="ML 101")))
    assert config.max_examples == yaml.safe_load((ROOT / "config.yaml").read_text())["max_examples"]


def _with(raw: dict, exercise: str, key: str, value) -> None:
    raw["exercises"][exercise][key] = value


@pytest.mark.parametrize("change, message", [
    (lambda raw: _with(raw, "kmeans", "hidden_checks", ["reference/kmeans_hiden_checks.py"]),
     "exercise 'kmeans': hidden_checks reference/kmeans_hiden_checks.py does not exist \\(its folder does\\): correct the path"),
    (lambda raw: _with(raw, "perceptron", "reference", "reference/perceptrn.py"),
     "exercise 'perceptron': reference reference/perceptrn.py does not exist"),
    (lambda raw: raw["exercises"]["kmeans"]["languages"]["c"].update(reference="reference/kmean.c"),
     "exercise 'kmeans': c reference reference/kmean.c does not exist"),
])
def test_a_reference_or_hidden_check_that_is_not_there_is_refused(tmp_path, change, message):
    """Read as absent, a mistyped hidden check would drop the hidden checks from every grade, and a mistyped reference
    the time rule (or, imported by a public check, let the reference be shipped to students), without a word."""
    with pytest.raises(ConfigError, match=message):
        load_config(_written(tmp_path, change))
