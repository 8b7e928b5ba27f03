import json

import pytest
from paved.cli import _glue_dashed_values, build_parser, run
from paved.cli.build_test import options_from


def test_an_unknown_language_names_the_flag_and_the_choices(frontend, tmp_path):
    assert run(["build-test", "--language", "cobol", str(tmp_path)], frontend) == 2
    capability, message = frontend.only_error()
    assert capability == "build-test"
    assert message == "--language: 'cobol' is not a choice (valid: auto, python, node, go)"


@pytest.mark.parametrize(
    ("flag", "value", "valid"),
    [
        ("--formatter", "prettier", "auto, ruff, black, none"),
        ("--linter", "pylint", "auto, ruff, flake8, none"),
        ("--shell", "zsh", "none, bash, sh"),
    ],
)
def test_every_choice_flag_lists_what_is_valid(frontend, tmp_path, flag, value, valid):
    assert run(["build-test", flag, value, str(tmp_path)], frontend) == 2
    _, message = frontend.only_error()
    assert message == f"{flag}: {value!r} is not a choice (valid: {valid})"


def test_a_threshold_that_is_not_a_number_is_a_usage_error(frontend, tmp_path):
    assert run(["build-test", "--coverage-threshold", "high", str(tmp_path)], frontend) == 2
    _, message = frontend.only_error()
    valid = "a number from 0 to 100, or empty for none"
    assert message == f"--coverage-threshold: 'high' is not a number (valid: {valid})"


def test_a_threshold_out_of_range_stops_before_anything_runs(frontend, tmp_path):
    argv = ["build-test", "--coverage-threshold", "101", "--venv-dir", str(tmp_path / "venv")]
    assert run([*argv, str(tmp_path)], frontend) == 2
    _, message = frontend.only_error()
    valid = "a number from 0 to 100, or empty for none"
    assert message == f"--coverage-threshold: 101 is out of range (valid: {valid})"
    assert not (tmp_path / "venv").exists()


def test_pytest_args_with_unbalanced_quotes_are_a_usage_error(frontend, tmp_path):
    assert run(["build-test", "--pytest-args=-k 'slow", str(tmp_path)], frontend) == 2
    _, message = frontend.only_error()
    assert message.startswith("--pytest-args: cannot split")


def test_a_project_that_does_not_exist_is_a_usage_error(frontend, tmp_path):
    missing = tmp_path / "nope"
    assert run(["build-test", str(missing)], frontend) == 2
    _, message = frontend.only_error()
    assert message.startswith(f"project-dir: {missing} does not exist")


def test_json_is_written_on_an_error_with_result_error(frontend, tmp_path):
    outcome = tmp_path / "out" / "outcome.json"
    argv = ["build-test", "--language", "cobol", "--json", str(outcome), str(tmp_path)]
    assert run(argv, frontend) == 2
    document = json.loads(outcome.read_text(encoding="utf-8"))
    assert document["schema"] == "paved/build-test/v1"
    assert (document["result"], document["exit_code"]) == ("error", 2)
    assert document["error"]["message"].startswith("--language: 'cobol' is not a choice")


def test_json_is_written_when_the_flags_do_not_parse(frontend, tmp_path):
    outcome = tmp_path / "outcome.json"
    assert run(["build-test", "--json", str(outcome), "--colour", str(tmp_path)], frontend) == 2
    assert json.loads(outcome.read_text(encoding="utf-8"))["result"] == "error"


def test_an_unwritable_json_path_is_reported_not_raised(frontend, tmp_path, capsys):
    argv = ["build-test", "--language", "cobol", "--json", str(tmp_path), str(tmp_path)]
    assert run(argv, frontend) == 2
    # The user sees the cause first; the JSON that could not be written is a warning beside it.
    assert "--language: 'cobol' is not a choice" in str(frontend.failed[-1][1])
    assert f"cannot write {tmp_path}" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--pytest-args", "-v"],
        ["--pytest-args", "-v -x"],
        ["--pytest-args=-v -x"],
    ],
)
def test_pytest_args_may_start_with_a_dash(argv, tmp_path):
    full = ["build-test", str(tmp_path), *argv, "--linter", "none"]
    args = build_parser("build-test").parse_args(_glue_dashed_values(full, "build-test"))
    options = options_from(args)
    assert options.pytest_args[0] == "-v"
    assert options.linter.value == "none"


def test_only_declared_flags_are_glued_to_their_value():
    argv = ["build-test", "--verbose", "--pytest-args", "-q", "--json", "out.json"]
    assert _glue_dashed_values(argv, "build-test") == [
        "build-test",
        "--verbose",
        "--pytest-args=-q",
        "--json",
        "out.json",
    ]
    assert _glue_dashed_values(["ci-metrics", "--pytest-args", "-q"], "ci-metrics") == [
        "ci-metrics",
        "--pytest-args",
        "-q",
    ]
