"""Replaying recorded examples gives exactly the report of a full Hypothesis run; a bad cache is ignored."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from grader import Report, grade_submission, replay
from grader.exercises.kmeans.strategies import Case
from grader.render.terminal import render_text
from grader.wire import Rng
from tests.conftest import REFERENCE, run_grader
from tests.kmeans.mutants import MUTANTS

# Mutants whose failures are found at different points: after a replayed prefix of a check,
# in a check that draws after calling the student (kmeans.stops_at_eps), and in several functions; and code whose
# results depend on its earlier calls (its failure is met by the replay, never again by Hypothesis after it).
_FAILING = ("ignores_eps", "init_with_replacement", "assign_fails_on_its_first_call")


def _untimed(report) -> Report:
    data = json.loads(report.to_json())
    data["timing"] = {}
    for exercise in data["exercises"]:
        for check in exercise["checks"]:
            check["duration"] = 0.0
    return Report.from_json(json.dumps(data))


def _without_timing(report) -> str:
    return _untimed(report).to_json()


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """A fresh example cache, filled by grading the reference once (every check passes)."""
    folder = tmp_path_factory.mktemp("cache")
    saved = os.environ.get("GRADER_CACHE_DIR")
    os.environ["GRADER_CACHE_DIR"] = str(folder)
    try:
        yield folder
    finally:
        if saved is None:
            os.environ.pop("GRADER_CACHE_DIR", None)
        else:
            os.environ["GRADER_CACHE_DIR"] = saved


@pytest.fixture(scope="module")
def filled(cache, config):
    first = grade_submission(config, {"kmeans": REFERENCE}, hidden=True, sandbox=False)
    assert first.score == first.max_score
    assert all(path.is_file() for path in _recording_files(config, cache))  # every check was recorded
    return first


def _submission(tmp_path: Path, name: str) -> Path:
    mutant = next(m for m in MUTANTS if m.name == name)
    path = tmp_path / f"{name}.py"
    path.write_text(mutant.source(), encoding="utf-8")
    return path


def test_the_reference_replayed_gives_the_same_report(filled, config):
    again = grade_submission(config, {"kmeans": REFERENCE}, hidden=True, sandbox=False)
    without = grade_submission(config, {"kmeans": REFERENCE}, hidden=True, sandbox=False, cache=False)
    assert _without_timing(again) == _without_timing(filled) == _without_timing(without)


@pytest.mark.parametrize("name", _FAILING)
def test_failing_submissions_get_byte_identical_reports_with_and_without_the_cache(filled, config, tmp_path, name):
    path = _submission(tmp_path, name)
    cached = grade_submission(config, {"kmeans": path}, student=name, sandbox=False)
    fresh = grade_submission(config, {"kmeans": path}, student=name, sandbox=False, cache=False)
    assert cached.score < cached.max_score
    assert _without_timing(cached) == _without_timing(fresh)
    assert render_text(_untimed(cached), colour=False, verbose=True) == \
        render_text(_untimed(fresh), colour=False, verbose=True)


@pytest.mark.slow
def test_the_command_prints_the_same_report_with_and_without_the_cache(filled, cache, tmp_path):
    """Isolated worker, separate processes: what a student sees."""
    path = _submission(tmp_path, "ignores_eps")
    env = {"GRADER_CACHE_DIR": str(cache)}
    args = ("check", "kmeans", "--path", str(path), "--format", "json")
    cached = run_grader(*args, env=env)
    fresh = run_grader(*args, env={**env, "GRADER_NO_CACHE": "1"})
    assert cached.returncode == fresh.returncode == 1
    cached_report, fresh_report = Report.from_json(cached.stdout), Report.from_json(fresh.stdout)
    assert _without_timing(cached_report) == _without_timing(fresh_report)
    assert not next(c for c in cached_report.exercises[0].checks if c.id == "kmeans.stops_at_eps").passed


def _recording_files(config, cache: Path) -> list[Path]:
    from grader.exercise import load_exercise

    store = replay.ExampleStore(cache / "examples")
    checks = load_exercise(config.exercise("kmeans"), hidden=True).checks
    keys = [store.key(b.id, b.check.test, seed=config.seed, max_examples=config.max_examples) for b in checks]
    return [store._path(key) for key in keys]


def test_a_corrupt_or_tampered_cache_is_ignored_and_rewritten(filled, config, cache):
    files = _recording_files(config, cache)
    assert all(path.is_file() for path in files)
    files[0].write_text("{not json", encoding="utf-8")
    document = json.loads(files[1].read_text(encoding="utf-8"))
    document["examples"] = document["examples"][:1]  # fewer examples, checksum left as it was
    files[1].write_text(json.dumps(document), encoding="utf-8")
    files[2].write_bytes(files[2].read_bytes()[: 100])  # cut short, as by a full disk
    report = grade_submission(config, {"kmeans": REFERENCE}, hidden=True, sandbox=False)
    assert _without_timing(report) == _without_timing(filled)
    store = replay.ExampleStore(cache / "examples")
    for path in files[:3]:
        assert store.load(path.stem) is not None  # rewritten by the Hypothesis run that replaced it


def test_a_recording_is_only_used_for_its_own_key(filled, config, cache):
    store = replay.ExampleStore(cache / "examples")
    check = next(iter(config.exercise("kmeans").points))
    from grader.exercise import load_exercise

    bound = next(b for b in load_exercise(config.exercise("kmeans")).checks if b.id == check)
    key = store.key(bound.id, bound.check.test, seed=config.seed, max_examples=config.max_examples)
    other = store.key(bound.id, bound.check.test, seed=config.seed + 1, max_examples=config.max_examples)
    assert key != other and store.load(key) is not None and store.load(other) is None
    fewer = store.key(bound.id, bound.check.test, seed=config.seed, max_examples=config.max_examples - 1)
    assert fewer not in (key, other)


@pytest.mark.quick
def test_checks_of_the_same_id_in_different_exercises_have_recordings_of_their_own(config, tmp_path):
    """``train.reproducible`` of the perceptron and of the MLP (``update.inputs_untouched`` of k-means and of the
    perceptron...) draw different examples: one's recording must never be the other's, or the second exercise graded
    would find the first's recording, fail to replay it, and run Hypothesis on every grading."""
    from grader.exercise import load_exercise

    store = replay.ExampleStore(tmp_path)
    keys: dict[str, object] = {}
    ids: dict[str, set[str]] = {}
    for exercise_id in config.exercises:
        for bound in load_exercise(config.exercise(exercise_id), hidden=True).checks:
            key = store.key(bound.id, bound.check.test, seed=config.seed, max_examples=config.max_examples)
            assert key is not None
            # Shared only by one check function used by two exercises (the MLP grades its confusion matrix with
            # the perceptron's check): the same examples.
            assert keys.setdefault(key, bound.check.test) is bound.check.test, (exercise_id, bound.id)
            ids.setdefault(bound.id, set()).add(exercise_id)
    assert {"perceptron", "mlp"} <= ids["train.reproducible"]  # the case the test is about is in the course


@pytest.mark.parametrize("value", [
    np.array([[1.0, -0.0], [np.nan, np.inf]]),
    np.asfortranarray(np.arange(6, dtype=np.int64).reshape(2, 3)),
    np.array([], dtype=np.float32).reshape(0, 3),
    np.array([True, False]),
    np.float64(0.1), np.int32(-7), 0.1, -0.0, float("nan"), 10**30, "grid", None, True,
    (1, [2.5, "x"], {"k": (3,)}),
    Case(data=np.eye(2), centers=np.ones((1, 2)), labels=np.array([0, 0])),
    Rng(42),
])
def test_examples_round_trip_exactly(value):
    back = replay._decode(json.loads(json.dumps(replay._encode(value))))
    assert type(back) is type(value)
    if isinstance(value, Case):
        assert all(np.array_equal(a, b) and a.dtype == b.dtype for a, b in
                   ((value.data, back.data), (value.centers, back.centers), (value.labels, back.labels)))
    elif isinstance(value, (np.ndarray, np.generic)):
        assert back.dtype == value.dtype and back.shape == value.shape
        assert np.array_equal(back, value, equal_nan=value.dtype.kind == "f")
        if isinstance(value, np.ndarray):
            assert back.flags.f_contiguous == value.flags.f_contiguous
            assert np.signbit(back).tolist() == np.signbit(value).tolist() if value.dtype.kind == "f" else True
    elif isinstance(value, float):
        assert repr(back) == repr(value)
    else:
        assert back == value


@pytest.mark.quick
def test_values_that_cannot_be_recorded_exactly_are_refused():
    with pytest.raises(replay.Unrecordable):
        replay._encode(np.arange(10.0)[::2])  # a strided view
    with pytest.raises(replay.Unrecordable):
        replay._encode(lambda x: x)
    with pytest.raises(replay.Unrecordable):
        replay._encode(np.array(["a"], dtype=object))


def test_the_cache_lives_in_the_platforms_cache_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("GRADER_CACHE_DIR", raising=False)
    monkeypatch.setattr(replay.sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert replay.cache_folder() == tmp_path / "xdg" / "grader"
    monkeypatch.setattr(replay.sys, "platform", "darwin")
    assert replay.cache_folder() == Path.home() / "Library" / "Caches" / "grader"
    monkeypatch.setattr(replay.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert replay.cache_folder() == tmp_path / "local" / "grader" / "Cache"
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "mine"))
    assert replay.cache_folder() == tmp_path / "mine"
    monkeypatch.setenv("GRADER_NO_CACHE", "1")
    assert replay.default_store() is None


def test_concurrent_writers_and_readers_never_see_half_a_recording(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    store = replay.ExampleStore(tmp_path)
    big = replay.Recording(tuple({"args": {"x": replay._encode(np.arange(20000.0) + i)}, "draws": [],
                                  "status": "valid"} for i in range(3)))

    def write(_):
        store.save("ab" * 32, big)

    def read(_):
        found = store.load("ab" * 32)
        return found is None or found == big

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: write(i) if i % 2 else read(i), range(40)))
    assert all(result in (None, True) for result in results)
    assert store.load("ab" * 32) == big
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".partial")]
