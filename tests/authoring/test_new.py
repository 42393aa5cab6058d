"""``grader new ID``: the scaffold works at once (its reference passes every check, its skeleton scores 0)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.cli import main
from grader.config import load_config

ROOT = Path(__file__).resolve().parents[2]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as ended:
        main(list(args))
    out, err = capsys.readouterr()
    return int(ended.value.code or 0), out, err


@pytest.mark.quick
def test_the_scaffold_passes_with_its_reference_and_scores_0_with_its_skeleton(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a folder without config.yaml gets one
    code, out, _ = _run(capsys, "new", "centering", "--title", "Centering")
    assert code == 0, out
    config = load_config(tmp_path / "config.yaml")
    exercise = config.exercise("centering")
    assert exercise.title == "Centering" and sum(spec.hidden for spec in exercise.points.values()) == 1
    for name in ("centering/centering.py", "centering/README.md", "reference/centering.py", "checks/centering.py",
                 "hidden/centering.py"):
        assert (tmp_path / name).is_file(), name
    assert (tmp_path / "checks/centering.py").read_text(encoding="utf-8").count("@check(") == 2
    common = ("--config", str(tmp_path / "config.yaml"), "--no-sandbox", "--format", "json")
    code, out, _ = _run(capsys, "check", "centering", "--path", "reference/centering.py", "--all", *common)
    report = json.loads(out)
    assert code == 0 and report["score"] == report["max_score"] == 10
    assert len(report["exercises"][0]["checks"]) == 3
    code, out, _ = _run(capsys, "check", "centering", *common)
    report = json.loads(out)
    assert code == 1 and report["score"] == 0 and report["max_score"] == 8


def test_new_adds_to_an_existing_course_and_never_overwrites(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("# my course\nseed: 7\nexercises:\n  first:\n    module: first.py\n    skeleton: first.py\n"
                      "    points: {first.x: 1}\n", encoding="utf-8")
    code, _, err = _run(capsys, "new", "second", "--config", str(config))
    text = config.read_text(encoding="utf-8")
    assert code == 0, err
    assert text.startswith("# my course\nseed: 7\n") and "  second:\n" in text and "  first:\n" in text
    code, _, err = _run(capsys, "new", "second", "--config", str(config))
    assert code == 2 and "refusing to overwrite" in err
    code, _, err = _run(capsys, "new", "bad-id", "--config", str(config))
    assert code == 2 and "must be a Python name" in err
    # A keyword cannot be a module's name; a module Python has would be hidden by the student's (or hide it).
    for taken, said in (("class", "not a keyword"), ("numpy", "the name of a module Python already has"),
                        ("random", "the name of a module Python already has"),
                        # the course's own folders: the exercise's folder would be theirs, its skeleton its reference
                        ("reference", "the name of the course's folder of references"),
                        ("checks", "the name of the course's folder of checks"), ("hidden", "folder of hidden checks"),
                        ("bindings", "folder of C and Fortran bindings")):
        code, _, err = _run(capsys, "new", taken, "--config", str(config))
        assert code == 2 and said in err, err
    assert "  class:\n" not in config.read_text(encoding="utf-8") and not (tmp_path / "class").exists()
    assert not (tmp_path / "reference" / "reference.py").exists()
    code, _, err = _run(capsys, "new", "third", "--config", str(tmp_path / "course.yaml"))
    assert code == 2 and "pass that file" in err and not (tmp_path / "third").exists()


def test_a_title_is_written_as_yaml_reads_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    titles = {"first": "Softmax: the basics", "second": "[draft] x", "third": "Week 3 #draft", "fourth": "yes"}
    for exercise_id, title in titles.items():
        code, _, err = _run(capsys, "new", exercise_id, "--title", title, "--config", str(config))
        assert code == 0, err
    course = load_config(config)
    assert {exercise_id: course.exercise(exercise_id).title for exercise_id in titles} == titles


@pytest.mark.parametrize("section", ["exercises: {}\n",
                                     "exercises:\n    first:\n        module: first.py\n        skeleton: first.py\n"
                                     "        points: {first.x: 1}\n"])
def test_a_section_it_cannot_append_to_safely_is_left_as_it_was(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                section: str) -> None:
    """A flow-style ``exercises: {}`` or entries indented by 4 spaces: the entry would break the file."""
    config = tmp_path / "config.yaml"
    config.write_text("seed: 3\n" + section, encoding="utf-8")
    code, _, err = _run(capsys, "new", "second", "--config", str(config))
    assert code == 2, err
    assert config.read_text(encoding="utf-8") == "seed: 3\n" + section
    assert "by hand" in err and "  second:\n    title: second\n" in err, err
    assert (tmp_path / "checks" / "second.py").is_file()  # the files it needs are there for the entry


def test_the_readme_and_the_authoring_page_put_hidden_checks_where_grader_new_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    assert _run(capsys, "new", "first", "--config", str(config))[0] == 0
    assert load_config(config).exercise("first").hidden_checks == ("hidden/first.py",)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    step = readme.split("## Adding an exercise", 1)[1].split("\n4. ", 1)[1].split("\n5. ", 1)[0]
    assert "`hidden/<id>.py`" in step and "a file under `reference/`" not in step, step
    page = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    assert "hidden/linreg.py     the hidden checks" in page and "`hidden/ID.py`" in page
    assert "A check id is the name of the student's function the check tests, a dot and the property" in page


def test_the_scaffold_in_c_and_fortran_works_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    code, _, err = _run(capsys, "new", "ctr", "--languages", "c,fortran", "--config", str(config))
    assert code == 0, err
    assert {"c", "fortran"} <= set(load_config(config).exercise("ctr").languages)
    common = ("--config", str(config), "--no-sandbox", "--format", "json")
    code, out, _ = _run(capsys, "check", "ctr", "--path", str(tmp_path / "reference/ctr.c"), "--all", *common)
    assert code == 0 and json.loads(out)["score"] == 10
    code, out, _ = _run(capsys, "check", "ctr", "--path", str(tmp_path / "ctr/ctr.f90"), *common)
    verdicts = {check["verdict"] for check in json.loads(out)["exercises"][0]["checks"]}
    assert code == 1 and json.loads(out)["score"] == 0 and verdicts == {"not_implemented"}


def test_the_command_it_suggests_works_from_where_it_was_typed(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """From a subfolder of the course, and with ``--config`` naming a course elsewhere, the suggested ``grader check``
    names the reference from the current folder and the configuration when it would not be found."""
    (tmp_path / "course" / "notes").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "course")
    assert _run(capsys, "new", "first")[0] == 0
    monkeypatch.chdir(tmp_path / "course" / "notes")
    for args in (("new", "second"), ("new", "third", "--config", str(tmp_path / "other" / "config.yaml"))):
        code, out, err = _run(capsys, *args)
        assert code == 0, err
        suggested = out.rsplit("try: grader ", 1)[1].split()
        code, out, err = _run(capsys, *suggested, "--no-sandbox", "--format", "json")
        assert code == 0 and json.loads(out)["score"] == json.loads(out)["max_score"] > 0, (suggested, err)


def test_a_rerun_of_grader_grade_regrades_when_a_helper_of_the_checks_or_a_binding_changes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A check module named by path imports a helper beside it; a compiled language has a binding of its own: a
    # change of either changes what grading gives, so a report graded before it is not reused.
    from grader.grade._fingerprint import course_fingerprint

    config_path = tmp_path / "config.yaml"
    code, _, err = _run(capsys, "new", "ctr", "--languages", "c", "--config", str(config_path))
    assert code == 0, err

    def fingerprint() -> str:
        return course_fingerprint(load_config(config_path), ["ctr"], sandbox=False)

    before = fingerprint()
    assert fingerprint() == before
    (tmp_path / "checks" / "helpers.py").write_text("TOLERANCE = 1e-9\n", encoding="utf-8")
    with_helper = fingerprint()
    assert with_helper != before
    binding = load_config(config_path).exercise("ctr").languages["c"].binding
    assert binding == "bindings/ctr.py"
    path = tmp_path / binding
    path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert fingerprint() != with_helper
