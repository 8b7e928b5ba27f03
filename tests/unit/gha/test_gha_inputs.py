"""Action inputs become the CLI's argv: checked against the declaration, glued to their flag."""

from __future__ import annotations

import pytest
from paved.errors import UsageError
from paved.gha.inputs import InputsError, action_argv, env_name
from paved.params import (
    Base,
    Choice,
    Declaration,
    Flag,
    Integer,
    Lines,
    PathParam,
    Program,
    Runner,
    Text,
)

DEMO = Declaration(
    "demo",
    params=(
        PathParam(name="working-directory", default=".", positional=True, help="p"),
        Text(name="test-command", help="c"),
        Text(name="junit-file", help="j"),
        Lines(name="tags", help="t"),
        Choice(name="mode", choices=("a", "b"), default="a", help="m"),
        Integer(name="retries", maximum=3, default="1", help="r"),
        Flag(name="push", default="true", help="p"),
        Flag(name="allow-empty", default="false", help="a"),
        PathParam(name="report", help="r"),
        PathParam(name="inside-project", base=Base.PROJECT, help="i"),
        Program(name="python", help="p"),
        Text(name="token", secret=True, help="t"),
        Text(name="local", action=False, help="l"),
        PathParam(name="repo-root", action=False, runner=Runner.WORKSPACE, help="r"),
    ),
)


def argv(**inputs: str) -> list[str]:
    environ = {"GITHUB_WORKSPACE": "/w", **{env_name(k): v for k, v in inputs.items()}}
    return action_argv(DEMO, environ)


def test_env_name_matches_the_composite_actions():
    assert env_name("python-version") == "INPUT_PYTHON_VERSION"
    assert env_name("Working Directory") == "INPUT_WORKING_DIRECTORY"


def test_defaults_become_the_default_flags_and_the_workspace_is_the_repo_root():
    assert argv() == ["demo", "/w", "--mode=a", "--retries=1", "--repo-root=/w"]


def test_given_inputs_stay_glued_to_their_flag_and_multiline_inputs_repeat_it():
    got = argv(**{"test-command": "-x", "tags": "main\n# skip\nsha-abc1234\n", "mode": "b"})
    assert "--test-command=-x" in got
    assert [a for a in got if a.startswith("--tags")] == ["--tags=main", "--tags=sha-abc1234"]
    assert "--mode=b" in got
    assert not any(a.startswith("--junit-file") for a in got)


def test_a_flag_is_passed_only_when_it_differs_from_its_default():
    assert "--no-push" in argv(push="false")
    assert "--allow-empty" in argv(**{"allow-empty": "True"})
    assert not any("push" in a for a in argv(push="true"))


def test_paths_are_anchored_at_the_workspace_unless_relative_to_the_project():
    got = argv(**{"working-directory": "svc", "report": "out/r.json", "inside-project": "a.xml"})
    assert got[1] == "/w/svc"
    assert "--report=/w/out/r.json" in got
    assert "--inside-project=a.xml" in got
    assert "--python=/w/.venv/bin/python" in argv(python=".venv/bin/python")
    assert "--python=python3" in argv(python="python3")


def test_a_secret_is_masked_and_named_by_its_variable(capsys):
    got = argv(token="s3cret-value")  # noqa: S106 - a made-up secret
    assert "::add-mask::s3cret-value" in capsys.readouterr().out
    assert "--token-env=INPUT_TOKEN" in got
    assert not any("s3cret" in a for a in got)


def test_a_cli_only_parameter_is_never_read_from_the_environment():
    assert not any(a.startswith("--local") for a in argv(local="x"))


def test_one_bad_input_is_that_error():
    with pytest.raises(UsageError) as caught:
        argv(push="yes")
    assert not isinstance(caught.value, InputsError)
    assert caught.value.name == "push"


def test_every_bad_input_is_listed_at_once():
    with pytest.raises(InputsError) as caught:
        argv(push="y", mode="c", retries="4", report="/x", **{"working-directory": "../up"})
    lines = str(caught.value).splitlines()
    assert lines[0] == "5 inputs are not valid:"
    assert [line.split(":")[0] for line in lines[1:]] == [
        "  - working-directory",
        "  - mode",
        "  - retries",
        "  - push",
        "  - report",
    ]


def test_a_required_input_left_empty_names_the_input():
    declaration = Declaration(
        "x",
        params=(Text(name="repository", required=True, action_default="${{ x }}", help="r"),),
    )
    with pytest.raises(UsageError, match=r"^repository: is required"):
        action_argv(declaration, {"INPUT_REPOSITORY": " "})
    assert action_argv(declaration, {"INPUT_REPOSITORY": "a/b"}) == ["x", "--repository=a/b"]
