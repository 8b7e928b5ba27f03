"""The deploy-strategy action's inputs become CLI flags that parse to the same options."""

from __future__ import annotations

from pathlib import Path

import pytest
from paved.cli import build_parser
from paved.cli.deploy_strategy import options_from
from paved.deploystrategy.options import SmokeCheck, Strategy
from paved.deploystrategy.params import DECLARATION
from paved.errors import UsageError
from paved.gha.inputs import action_argv


def parsed(**inputs):
    environ = {f"INPUT_{name.upper()}": value for name, value in inputs.items()}
    argv = action_argv(DECLARATION, {"GITHUB_WORKSPACE": "/w", **environ})
    return build_parser("deploy-strategy").parse_args(argv)


def test_the_actions_defaults_are_the_seeds_canary(monkeypatch):
    monkeypatch.setenv("GITHUB_RUN_ID", "77")
    monkeypatch.setenv("GITHUB_JOB", "deploy")
    args = parsed(app="shop", image="r/shop@sha256:" + "b" * 64)
    options = options_from(args)
    assert options.strategy is Strategy.CANARY
    assert [s.weight for s in options.canary_steps] == [10, 50, 100]
    assert options.smoke_checks == (SmokeCheck("/health"),)
    assert options.holder == "github-run-77-deploy"
    assert args.record == Path("/w/.paved/deploy-strategy/deploys.jsonl")
    assert args.haproxy_socket == Path("/run/haproxy/admin.sock")


def test_multi_line_smoke_checks_and_gates_pass_through():
    args = parsed(
        app="shop",
        image="r/shop:2",
        strategy="canary",
        smoke="/health json.status=healthy\n# a comment\n/api/data status=200\n",
        gate_after="50",
        step_weight="25",
        approve="true",
    )
    options = options_from(args)
    assert [(s.weight, s.gate) for s in options.canary_steps] == [
        (25, False),
        (50, True),
        (75, False),
        (100, False),
    ]
    assert [c.path for c in options.smoke_checks] == ["/health", "/api/data"]
    assert options.approve_gates is True


def test_a_bad_input_names_the_input():
    with pytest.raises(UsageError, match=r"strategy.*\(valid: direct, blue-green, canary\)"):
        parsed(app="shop", image="r/shop:2", strategy="yolo")


def test_the_github_token_reaches_the_cli_by_the_name_of_its_variable_only(capsys):
    token = "ghs_" + "t" * 36
    environ = {
        "GITHUB_WORKSPACE": "/w",
        "INPUT_APP": "shop",
        "INPUT_IMAGE": "r/shop:2",
        "INPUT_GITHUB_TOKEN": token,
        "INPUT_REPOSITORY": "acme/shop",
        "INPUT_ENVIRONMENT_URL": "https://shop.example.com",
    }
    argv = action_argv(DECLARATION, environ)
    assert "--github-token-env=INPUT_GITHUB_TOKEN" in argv
    assert not any(token in item for item in argv)
    assert f"::add-mask::{token}" in capsys.readouterr().out
    args = build_parser("deploy-strategy").parse_args(argv)
    assert (args.repository, args.environment_url) == ("acme/shop", "https://shop.example.com")
    assert args.api_url is None


def test_without_a_token_no_github_deployment_is_made():
    args = parsed(app="shop", image="r/shop:2")
    assert args.github_token_env is None
