"""A class graded in shards and merged gives exactly the outputs of one run; the shipped recipes work."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from grader import load_config
from grader.errors import UsageError
from grader.grade import grade_class
from grader.merge import Shard, merge_outputs, parse_shard
from tests.conftest import CAPPED_SHRINK_CALLS, ROOT, course_copy, run_grader
from tests.kmeans.mutants import MUTANTS, VARIANTS

RECIPES = ROOT / "docs" / "recipes"


@pytest.fixture(scope="module")
def klass(tmp_path_factory) -> Path:
    """Seven students (correct in several styles, buggy, one that does not parse, one folder) and a stray file."""
    folder = tmp_path_factory.mktemp("class") / "submissions"
    folder.mkdir()
    for name in ("cdist", "broadcasting", "loops"):
        shutil.copy(VARIANTS / f"{name}.py", folder / f"{name}_student.py")
    for name in ("ignores_eps", "init_first_k_points"):
        (folder / f"{name}.py").write_text(next(m for m in MUTANTS if m.name == name).source(), encoding="utf-8")
    (folder / "broken.py").write_text("def assign(:\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a submission\n", encoding="utf-8")  # listed as ignored
    (folder / "zoe").mkdir()
    shutil.copy(VARIANTS / "expansion.py", folder / "zoe" / "kmeans.py")
    return folder


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """``config.yaml`` of a copy of the course with a small shrinking budget: what is merged is the subject here,
    not how far the buggy students' failures are shrunk (the cap is reached in the middle of shrinking)."""
    return course_copy(tmp_path_factory.mktemp("course"), exercises=None, shrink_calls=CAPPED_SHRINK_CALLS)


@pytest.fixture(scope="module")
def whole(klass, course, tmp_path_factory):
    """The class graded in one run."""
    out = tmp_path_factory.mktemp("whole") / "out"
    grade_class(load_config(course), klass, out, jobs=2, sandbox=False)
    return out


def _shards(klass: Path, base: Path, count: int, course: Path) -> list[Path]:
    config = load_config(course)
    outs = []
    for index in range(1, count + 1):
        out = base / f"shard-{index}"
        grade_class(config, klass, out, jobs=2, sandbox=False, shard=Shard(index, count))
        outs.append(out)
    return outs


def _reports(out: Path) -> dict[str, dict]:
    found = {}
    for path in sorted(out.glob("*/report.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("timing")
        for exercise in data["exercises"]:
            for check in exercise["checks"]:
                check.pop("duration")
        found[path.parent.name] = data
    return found


@pytest.mark.slow
def test_three_shards_merged_give_the_gradebook_and_overview_of_one_run(klass, course, whole, tmp_path):
    outs = _shards(klass, tmp_path, 3, course)
    students = [json.loads((out / "shard.json").read_text())["students"] for out in outs]
    assert sorted(sum(students, [])) == sorted(_reports(whole))  # every student in exactly one shard
    merged = tmp_path / "merged"
    result = merge_outputs(outs, merged)
    assert len(result.reports) == 7
    assert (merged / "gradebook.csv").read_bytes() == (whole / "gradebook.csv").read_bytes()
    assert (merged / "index.html").read_bytes() == (whole / "index.html").read_bytes()
    assert _reports(merged) == _reports(whole)
    # The command line does the same, and refuses an incomplete set of shards.
    again = run_grader("merge", *map(str, outs), "--out", str(tmp_path / "merged-cli"))
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "merged-cli" / "gradebook.csv").read_bytes() == (whole / "gradebook.csv").read_bytes()
    missing = run_grader("merge", str(outs[0]), str(outs[2]), "--out", str(tmp_path / "partial"))
    assert missing.returncode == 2 and "shard 2/3 missing" in missing.stderr
    assert not (tmp_path / "partial" / "gradebook.csv").exists()


@pytest.mark.quick
def test_shares_are_stable_and_cover_the_class_once():
    ids = [f"student{i:03d}" for i in range(300)] + ["Zoë Ünicode", "a b", ""]
    for count in (1, 2, 3, 7):
        owners = [[index for index in range(1, count + 1) if Shard(index, count).owns(i)] for i in ids]
        assert all(len(owner) == 1 for owner in owners)
        if count > 1:
            sizes = [sum(owner == [index] for owner in owners) for index in range(1, count + 1)]
            assert min(sizes) > len(ids) / count / 2  # no share left (nearly) empty
    # Adding students never moves the others.
    before = {i: Shard(2, 5).owns(i) for i in ids[:100]}
    assert before == {i: Shard(2, 5).owns(i) for i in ids[:100]}


@pytest.mark.parametrize("text", ["0/3", "4/3", "3", "a/b", "1/0", ""])
def test_a_malformed_shard_is_a_usage_error(text):
    with pytest.raises(UsageError):
        parse_shard(text)


def test_merge_refuses_shards_that_do_not_fit(tmp_path):
    def shard(name: str, index: int, count: int, course: str = "c", students=()) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "shard.json").write_text(json.dumps(
            {"format": 1, "index": index, "count": count, "course": course, "students": list(students)}))
        return folder

    with pytest.raises(UsageError, match="different splits"):
        merge_outputs([shard("a", 1, 2), shard("b", 2, 3)], tmp_path / "out")
    with pytest.raises(UsageError, match="given twice"):
        merge_outputs([shard("c", 1, 2), shard("d", 1, 2)], tmp_path / "out")
    with pytest.raises(UsageError, match="different configurations") as refused:
        merge_outputs([shard("e", 1, 3), shard("f", 2, 3, course="other"), shard("h", 3, 3)], tmp_path / "out")
    # Which folders differ: those graded alike are grouped.
    assert f"{tmp_path / 'e'}, {tmp_path / 'h'} | {tmp_path / 'f'}" in str(refused.value)
    with pytest.raises(UsageError, match="unreadable"):
        merge_outputs([shard("g", 1, 1, students=["ann"])], tmp_path / "out")
    (tmp_path / "plain").mkdir()
    with pytest.raises(UsageError, match="shard.json"):
        merge_outputs([tmp_path / "plain"], tmp_path / "out2")
    assert not (tmp_path / "out" / "gradebook.csv").exists()


def _hand_in(klass: Path, *names: str) -> None:
    for name in names:  # a file that does not parse: graded at once, the class's roster is the subject here
        (klass / f"{name}.py").write_text("def assign(:\n", encoding="utf-8")


def _drop_roster(out: Path) -> None:
    """``out/shard.json`` as a grader that did not record the roster wrote it."""
    manifest = json.loads((out / "shard.json").read_text(encoding="utf-8"))
    del manifest["roster"]
    (out / "shard.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_merge_refuses_shards_that_saw_different_classes(course, tmp_path):
    """A student handed in (or removed) between the shards' runs: the merge said nothing and the gradebook lacked
    them. Now it names them, says to grade the shards again on the same folder, and writes nothing."""
    klass, merged = tmp_path / "submissions", tmp_path / "merged"
    klass.mkdir()
    _hand_in(klass, "ann", "bob", "cat", "dan")
    config = load_config(course)
    outs = [tmp_path / "shard-1", tmp_path / "shard-2"]

    def grade(index: int) -> None:
        grade_class(config, klass, outs[index - 1], jobs=1, sandbox=False, shard=Shard(index, 2))

    grade(1)
    late = next(name for name in (f"late{i}" for i in range(100)) if Shard(1, 2).owns(name))  # shard 1's, too late
    _hand_in(klass, late)
    grade(2)
    with pytest.raises(UsageError, match="different versions of the class") as refused:
        merge_outputs(outs, merged)
    assert f"{outs[0]} (shard 1/2) did not find {late}" in str(refused.value)
    assert "Grade every shard again on the same submissions folder" in str(refused.value)
    assert str(outs[1]) + " " not in str(refused.value)  # shard 2 saw the whole class
    cli = run_grader("merge", *map(str, outs), "--out", str(merged))
    assert cli.returncode == 2 and f"did not find {late}" in cli.stderr
    assert not (merged / "gradebook.csv").exists()
    assert json.loads((outs[1] / "shard.json").read_text())["roster"] == ["ann", "bob", "cat", "dan", late]
    # A shard too old to record its class: the student nobody graded is named all the same.
    _drop_roster(outs[0])
    with pytest.raises(UsageError, match=f"no shard graded {late}"):
        merge_outputs(outs, merged)
    # A student removed: shard 1 graded again no longer finds them, shard 2 still did.
    (klass / "ann.py").unlink()
    grade(1)
    with pytest.raises(UsageError, match=r"shard 1/2\) did not find ann\. "):
        merge_outputs(outs, merged)
    # Both graded again on the same folder: the whole class, merged.
    grade(2)
    result = merge_outputs(outs, merged)
    assert sorted(report.student for report in result.reports) == ["bob", "cat", "dan", late]
    assert result.notes == () and "note" not in result.summary()


def test_shards_of_an_earlier_version_are_merged_with_a_note(course, tmp_path):
    """A ``shard.json`` without a roster is merged as before; the summary says what could not be checked."""
    klass = tmp_path / "submissions"
    klass.mkdir()
    _hand_in(klass, "ann", "bob", "cat")
    outs = [tmp_path / "shard-1", tmp_path / "shard-2"]
    for index, out in enumerate(outs, start=1):
        grade_class(load_config(course), klass, out, jobs=1, sandbox=False, shard=Shard(index, 2))
    _drop_roster(outs[1])
    result = merge_outputs(outs, tmp_path / "merged")
    assert len(result.reports) == 3
    assert len(result.notes) == 1 and str(outs[1]) in result.notes[0]
    assert f"note: {outs[1]} was graded by an earlier grader version" in result.summary()
    # A roster that is not a list of ids is a damaged manifest, not an old one.
    manifest = json.loads((outs[0] / "shard.json").read_text(encoding="utf-8"))
    (outs[0] / "shard.json").write_text(json.dumps({**manifest, "roster": "ann bob"}), encoding="utf-8")
    with pytest.raises(UsageError, match="not a shard manifest"):
        merge_outputs(outs, tmp_path / "again")


def test_the_github_actions_recipe_is_a_valid_workflow_with_a_matrix_and_a_merge():
    path = RECIPES / "grade-class.yml"
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    grade, merge = workflow["jobs"]["grade"], workflow["jobs"]["merge"]
    shards = grade["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1)) and "SHARDS" not in workflow["env"]  # said once: the matrix
    assert any("--shard \"${{ matrix.shard }}/${{ strategy.job-total }}\"" in step.get("run", "")
               for step in grade["steps"])
    assert merge["needs"] == "grade"
    assert any(step.get("run", "").startswith("grader merge shards/shard-*") for step in merge["steps"])


@pytest.mark.slow
def test_the_slurm_recipe_grades_each_share_and_merges_them(klass, course, whole, tmp_path):
    """Runs the recipe's scripts as Slurm would, with a stand-in for sbatch and the grader on PATH."""
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    grader = bin_folder / "grader"
    grader.write_text(f"#!/bin/sh\nexec {sys.executable} -m grader \"$@\"\n", encoding="utf-8")
    sbatch = bin_folder / "sbatch"
    log = tmp_path / "sbatch.log"
    sbatch.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" >> {log}\necho ---- >> {log}\necho 4242\n", encoding="utf-8")
    for script in (grader, sbatch):
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    env = {**os.environ, "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT),
           "NO_COLOR": "1"}
    out = tmp_path / "graded"
    submit = subprocess.run(["bash", str(RECIPES / "slurm-submit.sh"), str(klass), str(out), "2", "--no-sandbox",
                             "--config", str(course)], env=env, capture_output=True, text=True)
    assert submit.returncode == 0, submit.stderr
    calls = log.read_text().split("----\n")
    assert "--array=1-2" in calls[0] and "--no-sandbox" in calls[0]
    wrap = next(line for line in calls[1].splitlines() if line.startswith("--wrap="))[len("--wrap="):]
    # A failed task makes the merge's dependency impossible: Slurm cancels it rather than leave it waiting.
    assert "--dependency=afterok:4242" in calls[1] and "--kill-on-invalid-dep=yes" in calls[1]
    bare = {key: value for key, value in env.items() if key not in ("USER", "GRADER_CACHE_DIR")}
    for index in (1, 2):  # the array's tasks, as submitted by hand without --export: no USER
        task = subprocess.run(["bash", str(RECIPES / "slurm-grade.sbatch"), str(klass), str(out), "--no-sandbox",
                               "--config", str(course)],
                              env={**bare, "SLURM_ARRAY_TASK_ID": str(index), "SHARDS": "2",
                                   "SLURM_CPUS_PER_TASK": "2", "TMPDIR": str(tmp_path)},
                              capture_output=True, text=True)
        assert task.returncode == 0, task.stderr
    assert list(tmp_path.glob("grader-cache-*"))  # named after the user all the same
    merged = subprocess.run(["bash", "-c", wrap], env=env, capture_output=True, text=True)
    assert merged.returncode == 0, merged.stderr
    assert (out / "class" / "gradebook.csv").read_bytes() == (whole / "gradebook.csv").read_bytes()


def test_the_slurm_recipe_wants_the_course_folder_or_a_config(tmp_path):
    """Submitted elsewhere, its tasks would find no config.yaml: the submit script says so before submitting."""
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    sbatch = bin_folder / "sbatch"
    sbatch.write_text(f"#!/bin/sh\ntouch {tmp_path / 'submitted'}\necho 4242\n", encoding="utf-8")
    sbatch.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}"}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run(["bash", str(RECIPES / "slurm-submit.sh"), "class", "out", "2"], cwd=elsewhere, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 2 and "--config" in done.stderr and not (tmp_path / "submitted").exists()
    done = subprocess.run(["bash", str(RECIPES / "slurm-submit.sh"), str(elsewhere), "out", "2", "--config",
                           str(ROOT / "config.yaml")], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert done.returncode == 0 and (tmp_path / "submitted").exists(), done.stderr
