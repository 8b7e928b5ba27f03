"""The build-test action's inputs become CLI flags that parse to the same options."""

import pytest
from paved.buildtest.params import DECLARATION
from paved.cli import build_parser
from paved.cli.build_test import options_from
from paved.gha.inputs import action_argv


def action_options(**inputs):
    environ = {f"INPUT_{name.upper()}": value for name, value in inputs.items()}
    argv = action_argv(DECLARATION, {"GITHUB_WORKSPACE": "/w", **environ})
    return options_from(build_parser("build-test").parse_args(argv))


def test_action_commands_stay_literal_text():
    options = action_options(test_command="echo $(touch pwned)", pytest_args="-x -q")
    assert options.test_command == "echo $(touch pwned)"
    assert options.pytest_args == ("-x", "-q")


@pytest.mark.parametrize("value", ["-x", "--lf"])
def test_action_pytest_args_with_a_single_flag_reach_pytest(value):
    assert action_options(pytest_args=value).pytest_args == (value,)
