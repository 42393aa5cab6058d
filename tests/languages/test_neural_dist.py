"""The students' repository ships the C and Fortran skeletons of the perceptron and the MLP, never their
references."""

from __future__ import annotations

from tests.conftest import ROOT, run_grader


def test_dist_ships_the_skeletons_of_every_language_and_no_reference(tmp_path):
    out = tmp_path / "repo"
    done = run_grader("dist", str(out), "--exercise", "perceptron", "--exercise", "mlp")
    assert done.returncode == 0, done.stdout + done.stderr
    shipped = {path.relative_to(out).as_posix(): path for path in out.rglob("*") if path.is_file()}
    for exercise in ("perceptron", "mlp"):
        for suffix in (".py", ".c", ".f90"):
            name = f"exercises/{exercise}/{exercise}{suffix}"
            assert shipped[name].read_bytes() == (ROOT / name).read_bytes()
        assert f"grader/exercises/{exercise}/binding.py" in shipped
    references = {(ROOT / "reference" / f"{e}{s}").read_bytes() for e in ("perceptron", "mlp") for s in (".c", ".f90")}
    assert not [name for name, path in shipped.items() if path.read_bytes() in references]
    assert not [name for name in shipped if name.startswith("reference/")]
