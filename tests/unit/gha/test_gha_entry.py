"""`python -m paved.gha CAPABILITY`: the list picks the action, inputs become argv, errors
and outcomes go out through the runner protocol."""

from __future__ import annotations

import contextvars
import os

import pytest
from paved import capabilities
from paved.gha import entry


@pytest.fixture
def runner(tmp_path, monkeypatch):
    """A step's runner files and environment; returns a reader of what the step wrote."""
    files = {name: tmp_path / name.lower() for name in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY")}
    for name, path in files.items():
        path.write_text("", encoding="utf-8")
        monkeypatch.setenv(name, str(path))
    monkeypatch.setenv("RUNNER_TEMP", str(tmp_path / "temp"))
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    monkeypatch.setenv("GITHUB_ACTION", "step1")

    def written(name: str) -> str:
        return files[name].read_text(encoding="utf-8")

    return written


def _main(argv: list[str]) -> int:
    # main installs the runner's log sink into the context it runs in: keep it to this test.
    return contextvars.copy_context().run(entry.main, argv)


def test_an_unknown_action_is_a_usage_error_naming_the_listed_ones(runner, capsys, parse_outputs):
    assert _main(["deploy-everything"]) == 2
    out = capsys.readouterr().out
    assert "::error title=paved deploy-everything::unknown action 'deploy-everything'" in out
    assert ", ".join(sorted(c.name for c in capabilities.CAPABILITIES if c.action)) in out
    assert parse_outputs(runner("GITHUB_OUTPUT"))["result"] == "error"


def test_bad_inputs_stop_before_the_cli_and_name_each_input(
    runner, monkeypatch, capsys, parse_outputs, tmp_path
):
    monkeypatch.setenv("INPUT_LANGUAGE", "cobol")
    monkeypatch.setenv("INPUT_ALLOW_NO_TESTS", "yes")
    assert _main(["build-test"]) == 2
    out = capsys.readouterr().out
    assert "2 inputs are not valid:" in out.replace("%0A", "\n")
    assert "language: 'cobol' is not a choice (valid: auto, python, node, go)" in out
    assert "allow-no-tests: 'yes' is not a boolean" in out
    outputs = parse_outputs(runner("GITHUB_OUTPUT"))
    assert outputs["result"] == "error"
    assert outputs["outcome-path"] == str(tmp_path / "temp" / "paved" / "build-test-step1.json")
    assert "build-test" in runner("GITHUB_STEP_SUMMARY")


def test_the_runner_files_are_hidden_from_the_tools_paved_runs(runner, monkeypatch):
    monkeypatch.setenv("INPUT_LANGUAGE", "cobol")
    _main(["build-test"])
    assert "GITHUB_OUTPUT" not in os.environ
    assert "GITHUB_STEP_SUMMARY" not in os.environ


def test_a_cli_error_after_the_inputs_still_writes_the_json_outcome(runner, monkeypatch, tmp_path):
    missing = tmp_path / "no-such-project"
    monkeypatch.setenv("INPUT_WORKING_DIRECTORY", missing.name)
    assert _main(["security-scan"]) == 2
    outcome = tmp_path / "temp" / "paved" / "security-scan-step1.json"
    assert '"result": "error"' in outcome.read_text(encoding="utf-8")
