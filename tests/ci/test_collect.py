"""``grader collect``: the reports of many repositories' CI runs give the same gradebook as ``grader grade`` on the
same submissions, and reports that cannot be trusted as they are get flagged."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from grader import load_config
from grader.collect import collect_reports
from grader.grading import grade_submission

from .support import run_grader

STUDENTS = {"alice": "good", "bob": "injector", "carol": "skeleton", "dave": "broken"}


def _grade_step(repo: Path) -> str:
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "grade.yml").read_text(encoding="utf-8"))
    return next(step["run"] for step in workflow["jobs"]["grade"]["steps"] if "grader check" in step.get("run", ""))


def _zip(target: Path, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)


@pytest.fixture(scope="module")
def classroom(fast_course, submissions, tmp_path_factory):
    """Four student repositories made by ``grader dist``, each graded by its workflow's own step, their
    artifacts downloaded in the shapes CI gives them; and the same submissions as a class folder."""
    base = tmp_path_factory.mktemp("classroom")
    template = base / "template"
    assert run_grader("dist", str(template), "--config", str(fast_course)).returncode == 0
    # The workflow calls the installed `grader`; here, the repository's own copy runs from its folder.
    bin_dir = base / "bin"
    bin_dir.mkdir()
    (bin_dir / "grader").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m grader "$@"\n', encoding="utf-8")
    (bin_dir / "grader").chmod(0o755)
    class_folder, artifacts = base / "submissions", base / "artifacts"
    for student, kind in STUDENTS.items():
        repo = base / "repos" / student
        shutil.copytree(template, repo)
        shutil.copy(submissions[kind], repo / "exercises" / "kmeans" / "kmeans.py")
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1",
               "GITHUB_REPOSITORY": f"course-org/{student}", "GRADER_FAIL_ON": "never"}
        env.pop("GITHUB_OUTPUT", None), env.pop("GITHUB_STEP_SUMMARY", None)
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _grade_step(repo)],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        (class_folder / student).mkdir(parents=True)
        shutil.copy(submissions[kind], class_folder / student / "kmeans.py")
    reports = {student: base / "repos" / student / "grader-report" for student in STUDENTS}
    # As downloaded: a folder per run, a run's artifact zip, and a zip of artifact zips.
    shutil.copytree(reports["alice"], artifacts / "run-17" / "grader-report")
    _zip(artifacts / "bob-artifact.zip", {"kmeans/report.json": (reports["bob"] / "kmeans/report.json").read_bytes(),
                                          "kmeans/report.md": b"# not read"})
    inner = base / "carol.zip"
    _zip(inner, {"kmeans/report.json": (reports["carol"] / "kmeans/report.json").read_bytes()})
    _zip(artifacts / "downloads.zip", {"carol.zip": inner.read_bytes(), "__MACOSX/._carol.zip": b"junk"})
    shutil.copytree(reports["dave"], artifacts / "dave")
    return {"config": template / "config.yaml", "artifacts": artifacts, "class": class_folder, "base": base}


@pytest.mark.slow
def test_collect_gives_the_gradebook_of_grader_grade(classroom, fast_course, tmp_path):
    collected = run_grader("collect", str(classroom["artifacts"]), "--out", str(tmp_path / "collected"),
                           "--config", str(classroom["config"]))
    assert collected.returncode == 0, collected.stderr
    # Only dave's artifacts are in a folder named after him: the others, downloaded as run-17/, bob-artifact.zip and
    # downloads.zip, are flagged as not trusted, and still count (nobody has a trusted report to replace them).
    assert "collected 4 report(s) of 4 student(s): 3 flagged, 0 skipped" in collected.stdout
    graded = run_grader("grade", str(classroom["class"]), "--out", str(tmp_path / "graded"),
                        "--config", str(classroom["config"]), "--jobs", "2")
    assert graded.returncode == 0, graded.stderr
    gradebook = (tmp_path / "collected" / "gradebook.csv").read_text(encoding="utf-8")
    assert gradebook == (tmp_path / "graded" / "gradebook.csv").read_text(encoding="utf-8")
    rows = gradebook.splitlines()
    assert rows[0] == "id,name,kmeans,total,max,status,language,checks" and len(rows) == 5
    assert rows[1] == "alice,alice,90,90,90,graded,python,public"
    assert rows[4] == "dave,dave,0,0,90,error,python,public"
    assert "public checks only" in collected.stdout
    # With the instructor's configuration, grader grade adds the hidden checks, and its gradebook says so.
    full = run_grader("grade", str(classroom["class"]), "--out", str(tmp_path / "full"),
                      "--config", str(fast_course), "--jobs", "2")
    assert full.returncode == 0, full.stderr
    rows = (tmp_path / "full" / "gradebook.csv").read_text(encoding="utf-8").splitlines()
    assert rows[1] == "alice,alice,100,100,100,graded,python,public+hidden"
    for student in STUDENTS:  # every student has their report, and the overview links it
        assert (tmp_path / "collected" / student / "report.json").is_file()
    overview = (tmp_path / "collected" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{student}/report.html"' in overview for student in STUDENTS)
    manifest = json.loads((tmp_path / "collected" / "collected.json").read_text(encoding="utf-8"))
    assert {source["source"] for source in manifest["sources"]} == {
        "run-17/grader-report/kmeans/report.json", "bob-artifact.zip!kmeans/report.json",
        "downloads.zip!carol.zip!kmeans/report.json", "dave/kmeans/report.json"}
    assert all(source["status"] == "used" for source in manifest["sources"])
    assert [source["source"] for source in manifest["sources"] if not source["flags"]] == ["dave/kmeans/report.json"]


# The flags: reports made from the same course in ways collect must not take at face value.

def _write_report(folder: Path, report, *, edit=None, mtime: float | None = None) -> Path:
    data = report.to_dict()
    if edit:
        edit(data)
    path = folder / "report.json"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


@pytest.fixture(scope="module")
def made(fast_course, submissions):
    config = load_config(fast_course)
    return config, {kind: grade_submission(config, {"kmeans": submissions[kind]}, student=kind, sandbox=False)
                    for kind in ("good", "skeleton")}


def _flags(result, student):
    return [flag for source in result.sources if source.student == student for flag in source.flags]


def test_another_configuration_is_flagged(made, fast_course, submissions, tmp_path):
    config, _ = made
    text = fast_course.read_text(encoding="utf-8")
    other = fast_course.with_name("other.yaml")
    other.write_text(re.sub(r"(?m)^max_examples: *\d+", "max_examples: 3", text), encoding="utf-8")
    report = grade_submission(load_config(other), {"kmeans": submissions["skeleton"]}, student="erin", sandbox=False)
    _write_report(tmp_path / "art" / "erin", report)
    result = collect_reports(config, tmp_path / "art", tmp_path / "out")
    assert any("another configuration" in flag for flag in _flags(result, "erin"))
    assert result.reports[0].config_fingerprint == ""  # a merged report does not vouch for it either


def test_another_grader_version_and_edited_scores_are_flagged(made, tmp_path):
    config, reports = made

    def older(data):
        data["grader_version"] = "0.0.1"

    def edited(data):  # full marks on a failed check
        check = data["exercises"][0]["checks"][0]
        check["points"], check["passed"] = check["max_points"], True

    _write_report(tmp_path / "art" / "frank", replace(reports["skeleton"], student="frank"), edit=older)
    _write_report(tmp_path / "art" / "grace", replace(reports["skeleton"], student="grace"), edit=edited)
    result = collect_reports(config, tmp_path / "art", tmp_path / "out")
    assert any("made by grader 0.0.1" in flag for flag in _flags(result, "frank"))
    assert any("may have been edited" in flag for flag in _flags(result, "grace"))
    assert {source.student for source in result.flagged} == {"frank", "grace"}


def test_unknown_exercise_is_flagged_and_left_out(made, tmp_path):
    config, reports = made

    def renamed(data):
        data["exercises"][0]["id"] = "svm"

    _write_report(tmp_path / "art" / "heidi", replace(reports["good"], student="heidi"), edit=renamed)
    result = collect_reports(config, tmp_path / "art", tmp_path / "out")
    assert any("'svm' is not in" in flag for flag in _flags(result, "heidi"))
    (report,) = result.reports
    assert [(e.id, e.status) for e in report.exercises] == [("kmeans", "missing")]


def test_newest_report_counts_and_bad_files_are_skipped(made, tmp_path):
    config, reports = made
    art = tmp_path / "art"
    _write_report(art / "ivan-run1", replace(reports["skeleton"], student="ivan"), mtime=1_000_000)
    _write_report(art / "ivan-run2", replace(reports["good"], student="ivan"), mtime=2_000_000)
    (art / "broken").mkdir()
    (art / "broken" / "report.json").write_text("{not json", encoding="utf-8")
    (art / "report.json").write_text(replace(reports["good"], student="").to_json(), encoding="utf-8")
    (art / "corrupt.zip").write_bytes(b"PK\x03\x04 truncated")
    result = collect_reports(config, art, tmp_path / "out")
    (ivan,) = result.reports
    assert ivan.student == "ivan" and ivan.score == reports["good"].score
    statuses = {source.source: source.status for source in result.sources}
    assert statuses["ivan-run1/report.json"] == "superseded" and statuses["ivan-run2/report.json"] == "used"
    assert {source.source for source in result.rejected} == {"broken/report.json", "report.json", "corrupt.zip"}


def test_collect_on_nothing_is_a_usage_error(tmp_path):
    done = run_grader("collect", str(tmp_path / "absent"), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "not found" in done.stderr


def test_what_the_artifacts_name_prints_harmless(made, fast_course, tmp_path):
    """A forged report's student id, and the folders it comes in, are the student's: the terminal gets no escape
    sequence and no line of theirs."""
    config, reports = made
    evil = "mallory\x1b[2J\x1b[H\nflagged nothing: all reports verified"

    def edited(data):  # full marks on a failed check
        check = data["exercises"][0]["checks"][0]
        check["points"], check["passed"] = check["max_points"], True

    _write_report(tmp_path / "art" / "run\x1b]0;owned\x07", replace(reports["skeleton"], student=evil), edit=edited)
    done = run_grader("collect", str(tmp_path / "art"), "--out", str(tmp_path / "out"), "--config", str(fast_course))
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stderr + done.stdout and "\x07" not in done.stderr
    flagged = [line for line in done.stderr.splitlines() if line.startswith("flagged ")]
    assert flagged and all("(mallory\\x1b[2J\\x1b[H\\x0aflagged nothing: all reports verified)" in line
                           for line in flagged)
    assert not any(line.startswith("flagged nothing") for line in done.stderr.splitlines())


# Who a report belongs to: never its own word (see docs/ci.md, "Trust").

def _full_marks(data):
    """A forger's edit that every sum check passes: every check passed, every total re-summed."""
    for exercise in data["exercises"]:
        for check in exercise["checks"]:
            check["points"], check["passed"], check["verdict"] = check["max_points"], True, "passed"
        exercise["score"] = sum(check["points"] for check in exercise["checks"])
    data["score"] = sum(exercise["score"] for exercise in data["exercises"])


def test_a_forged_report_for_another_student_never_replaces_theirs(made, tmp_path):
    """Mallory's artifacts hold her own report and one re-summed to full marks that names bob, dated later than
    bob's honest run: bob keeps his own result, the forgery is flagged and counts for nobody."""
    config, reports = made
    art = tmp_path / "art"
    _write_report(art / "bob", replace(reports["skeleton"], student="bob"), mtime=1_000_000)
    _write_report(art / "mallory", replace(reports["skeleton"], student="mallory"), mtime=1_000_000)
    _write_report(art / "mallory" / "again", replace(reports["skeleton"], student="bob"), edit=_full_marks,
                  mtime=2_000_000)
    result = collect_reports(config, art, tmp_path / "out")
    scores = {report.student: report.score for report in result.reports}
    assert scores == {"bob": reports["skeleton"].score, "mallory": reports["skeleton"].score}
    sources = {source.source: source for source in result.sources}
    forged = sources["mallory/again/report.json"]
    assert forged.status == "superseded" and not forged.trusted
    assert forged.flags == ("it names bob but was found in mallory's artifacts: it counts for nobody else's report",)
    assert sources["bob/report.json"].status == "used" and sources["bob/report.json"].trusted
    assert forged in result.flagged


@pytest.mark.quick
def test_a_report_in_a_folder_named_after_nobody_is_flagged_and_counted(made, tmp_path):
    """A report naming j.doe found only in mallory's zip (mallory has no report of her own): j.doe's row comes
    from it, not trusted and flagged, and the summary counts it."""
    config, reports = made
    art = tmp_path / "art"
    path = _write_report(tmp_path / "made", replace(reports["good"], student="j.doe"))
    art.mkdir()
    _zip(art / "mallory.zip", {"grader-report/kmeans/report.json": path.read_bytes()})
    _write_report(art / "ann", replace(reports["skeleton"], student="ann"))
    result = collect_reports(config, art, tmp_path / "out")
    assert {report.student: report.score for report in result.reports} == {
        "ann": reports["skeleton"].score, "j.doe": reports["good"].score}
    sources = {source.source: source for source in result.sources}
    found = sources["mallory.zip!grader-report/kmeans/report.json"]
    assert found.status == "used" and not found.trusted
    assert found.flags == ("it names j.doe but was found in mallory, not in a folder or zip named after j.doe: not "
                           "trusted, it counts only while j.doe has no trusted report (download each repository's "
                           "artifacts into a folder named after it)",)
    assert result.flagged == (found,) and sources["ann/report.json"].trusted


def test_with_the_key_only_reports_signed_in_ci_are_trusted(made, tmp_path):
    from grader.signature import SIGNATURE_NAME, sign_report_file

    config, reports = made
    key, art = b"instructor-secret", tmp_path / "art"
    signed = _write_report(art / "bob" / "run1", replace(reports["skeleton"], student="bob"), mtime=1_000_000)
    sign_report_file(signed, key, repository="course-org/bob", student="bob")
    # Edited after its run, with the signature of the honest file; and a forgery signed with another key.
    edited = _write_report(art / "bob" / "run2", replace(reports["skeleton"], student="bob"), mtime=2_000_000)
    sign_report_file(edited, key, repository="course-org/bob", student="bob")
    _write_report(art / "bob" / "run2", replace(reports["skeleton"], student="bob"), edit=_full_marks,
                  mtime=2_000_000)
    other = _write_report(art / "bob" / "run3", replace(reports["skeleton"], student="bob"), edit=_full_marks,
                          mtime=3_000_000)
    sign_report_file(other, b"guessed", repository="course-org/bob", student="bob")
    result = collect_reports(config, art, tmp_path / "out", key=key, roster=["bob", "alice"])
    alice, bob = result.reports
    assert bob.score == reports["skeleton"].score
    # On the roster without a report: a row of the gradebook, every exercise missing.
    assert alice.student == "alice" and alice.score == 0
    assert {exercise.status for exercise in alice.exercises} == {"missing"}
    assert "alice" in (tmp_path / "out" / "gradebook.csv").read_text(encoding="utf-8")
    flags = {source.source: source.flags for source in result.sources}
    assert flags["bob/run1/report.json"] == ()
    assert flags["bob/run2/report.json"] == ("report.json is not the file that was signed: edited after the run",)
    assert flags["bob/run3/report.json"] == ("its signature does not verify with the key: made with another key, "
                                             "or edited",)
    assert (art / "bob" / "run1" / SIGNATURE_NAME).is_file()
    # Unsigned, and naming someone off the roster: flagged too.
    _write_report(art / "zed", replace(reports["skeleton"], student="zed"))
    result = collect_reports(config, art, tmp_path / "out2", key=key, roster=["bob", "alice"])
    assert set(_flags(result, "zed")) == {"zed is not on the roster",
                                          "not signed (no report.sig): it was not made by the course's workflow "
                                          "with the key"}


def test_grader_check_signs_its_report_with_the_key_of_the_environment(fast_course, submissions, tmp_path):
    from grader.signature import verify

    done = run_grader("check", "kmeans", "--path", str(submissions["skeleton"]), "--config", str(fast_course),
                      "--student", "bob", "--report-dir", str(tmp_path / "report"), "--format", "json",
                      env={"GRADER_REPORT_KEY": "instructor-secret", "GITHUB_REPOSITORY": "course-org/bob"})
    assert done.returncode in (0, 1), done.stderr
    data = (tmp_path / "report" / "report.json").read_bytes()
    signed = verify(data, (tmp_path / "report" / "report.sig").read_bytes(), b"instructor-secret")
    assert signed.ok and signed.repository == "course-org/bob" and signed.student == "bob"
    assert "instructor-secret" not in done.stdout + done.stderr + data.decode()


def test_a_report_made_with_the_hidden_checks_says_so_in_its_row(made, submissions, tmp_path):
    # A CI run of `grader check --all` where the hidden checks are: its row counts them, and must say so, while
    # the rows of runs of the public checks only still say public.
    config, reports = made
    full = grade_submission(config, {"kmeans": submissions["good"]}, student="judy", hidden=True, sandbox=False)
    _write_report(tmp_path / "art" / "judy", full)
    _write_report(tmp_path / "art" / "kim", replace(reports["good"], student="kim"))
    collect_reports(config, tmp_path / "art", tmp_path / "out")
    rows = (tmp_path / "out" / "gradebook.csv").read_text(encoding="utf-8").splitlines()
    assert rows[1] == "judy,judy,100,100,100,graded,python,public+hidden"
    assert rows[2] == "kim,kim,90,90,90,graded,python,public"
    said = run_grader("collect", str(tmp_path / "art"), "--out", str(tmp_path / "cli"), "--config", str(config.path))
    assert said.returncode == 0, said.stderr
    assert "hidden checks ran in the reports of judy" in said.stdout and "have no hidden checks" not in said.stdout
