"""``grader doctor`` tries the protections out and says which held and which are not available."""

from __future__ import annotations

from tests.conftest import run_grader


def test_doctor_confirms_the_active_protections():
    result = run_grader("doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("sandbox self-test")
    tested = [line for line in lines if line.startswith("  ok   ")]
    assert any("filesystem: active: Landlock" in line for line in tested), result.stdout
    assert any("network: active" in line for line in tested)
    assert any("process_tree: active" in line for line in tested)
    assert any("limits: active" in line for line in tested)
    assert "FAIL" not in result.stdout
    assert "test: reading the course's reference: denied" in result.stdout
    assert "test: connecting to 127.0.0.1: denied" in result.stdout
    assert any("unix_sockets: active: only unix stream sockets" in line for line in tested), result.stdout
    assert "test: sending datagrams to a unix socket outside the worker: denied" in result.stdout


def test_doctor_without_protections_says_so():
    result = run_grader("doctor", env={"GRADER_SANDBOX_DISABLE": "all"})
    assert result.returncode == 0
    assert "filesystem: disabled: switched off for this run (GRADER_SANDBOX_DISABLE=landlock)" in result.stdout
    assert "test: reading the course's reference: read " in result.stdout  # the truth, though nobody promised
    assert "test: connecting to 127.0.0.1: connected" in result.stdout
    assert "unix_sockets: not available: needs the seccomp filter" in result.stdout
    assert "test: sending datagrams to a unix socket outside the worker: sent (" in result.stdout
