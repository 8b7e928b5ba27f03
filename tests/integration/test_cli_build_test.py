"""`paved build-test` on real projects: what a developer sees on the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from paved.buildtest.plan import TOOL_PINS

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_failing_test_exits_1_and_names_the_test_and_line(paved):
    run = paved("failing-project")

    assert run.exit_code == 1
    assert run.outcome["result"] == "failed"
    assert (run.outcome["total"], run.outcome["passed"], run.outcome["failed"]) == (2, 1, 1)
    [failing] = run.outcome["failing_tests"]
    assert failing["file"] == "failing-project/tests/test_calc.py"
    assert failing["line"] == 9
    assert "assert 4 == 5" in failing["message"]
    assert "FAILED failing-project/tests/test_calc.py:9" in run.stdout


def test_coverage_gate_fails_below_threshold_and_passes_at_it(paved):
    below = paved("failing-project", "--coverage-threshold", "95")
    at = paved("failing-project", "--coverage-threshold", str(below.outcome["coverage_percent"]))

    kinds = [f["kind"] for f in below.outcome["failures"]]
    assert "coverage-below-threshold" in kinds
    assert "below the threshold 95%" in below.stdout
    assert "coverage-below-threshold" not in [f["kind"] for f in at.outcome["failures"]]


def test_project_without_tests_says_so_and_fails_unless_allowed(paved):
    strict = paved("no-tests-project")
    allowed = paved("no-tests-project", "--allow-no-tests")

    assert strict.exit_code == 1
    assert strict.outcome["total"] == 0
    assert "no tests were collected" in strict.stdout
    assert allowed.exit_code == 0
    assert allowed.outcome["result"] == "passed"


def test_format_and_lint_problems_of_a_pinned_ruff_fail_per_step_with_locations(paved, tmp_path):
    pinned = tmp_path / "pinned" / "lint-project"
    shutil.copytree(FIXTURES / "lint-project", pinned)
    # The project's own pin (paved's version too, so the shared venv already has it).
    (pinned / "requirements-dev.txt").write_text(f"{TOOL_PINS['ruff']}\n", encoding="utf-8")
    run = paved(pinned)

    steps = {s["name"]: s["status"] for s in run.outcome["steps"]}
    assert steps["format"] == "failed"
    assert steps["lint"] == "failed"
    assert steps["test"] == "passed"
    # Read from what the real ruff prints today (format) and from its JSON (lint).
    findings = {s["name"]: s["findings"] for s in run.outcome["steps"]}
    assert (findings["format"], findings["lint"]) == (1, 1)
    assert run.exit_code == 1
    assert run.outcome["passed"] == 1
    messages = [f["message"] for f in run.outcome["failures"]]
    assert "the format step failed (exit code 1)" in messages
    assert "the lint step failed (exit code 1)" in messages


def test_findings_of_a_ruff_the_project_never_pinned_warn_and_say_how_to_pin(paved):
    run = paved("lint-project")

    steps = {s["name"]: s for s in run.outcome["steps"]}
    assert (steps["format"]["status"], steps["lint"]["status"]) == ("warned", "warned")
    assert (steps["format"]["findings"], steps["lint"]["findings"]) == (1, 1)
    assert steps["lint"]["paved_checker"] == TOOL_PINS["ruff"]
    assert run.exit_code == 0, run.stderr
    assert run.outcome["result"] == "passed"
    assert f"from {TOOL_PINS['ruff']}, paved's version" in run.stdout + run.stderr


def test_linters_can_be_switched_off(paved):
    run = paved("lint-project", "--formatter", "none", "--linter", "none")

    assert run.exit_code == 0
    steps = {s["name"]: s["status"] for s in run.outcome["steps"]}
    assert (steps["format"], steps["lint"]) == ("skipped", "skipped")


def test_bad_choice_is_a_usage_error_that_says_what_is_valid(paved):
    run = paved("failing-project", "--formatter", "yapf")

    assert run.exit_code == 2
    assert "--formatter: 'yapf' is not a choice (valid: auto, ruff, black, none)" in run.stderr
    assert run.outcome["result"] == "error"


def test_missing_interpreter_is_an_environment_problem(paved):
    run = paved("failing-project", "--python", "python9.9")

    assert run.exit_code == 3
    assert "'python9.9' was not found on PATH" in run.stderr


def test_user_test_command_runs_without_a_shell(paved, tmp_path):
    run = paved("no-tests-project", "--test-command", "touch $(echo pwned) `x`", "--allow-no-tests")

    assert run.exit_code == 0
    # touch got the literal words as file names: nothing was expanded or executed.
    created = sorted(p.name for p in (tmp_path / "no-tests-project").iterdir())
    assert "$(echo" in created
    assert "pwned)" in created
    assert "pwned" not in created


def test_a_test_command_that_passes_without_a_junit_report_is_not_green(paved):
    run = paved("no-tests-project", "--test-command", "true")

    assert run.exit_code == 1
    assert [f["kind"] for f in run.outcome["failures"]] == ["no-test-report"]


def test_node_project_with_the_builtin_junit_reporter(paved):
    run = paved("node-project", "--language", "node", "--junit-file", "junit.xml")

    assert run.exit_code == 1
    assert (run.outcome["total"], run.outcome["passed"], run.outcome["failed"]) == (2, 1, 1)
    [failing] = run.outcome["failing_tests"]
    # node's reporter names no file; the stack frame inside the project does.
    assert (failing["file"], failing["line"]) == ("node-project/test/math.test.js", 9)
    assert "4 !== 5" in failing["message"]
