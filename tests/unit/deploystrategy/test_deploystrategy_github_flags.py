"""With --github-token-env, the repository and the commit must be known before anything rolls
out; what is missing is exit 2 saying what to set."""

from __future__ import annotations

import pytest
from paved.cli import build_parser
from paved.cli.deploy_github import github_deployment
from paved.cli.deploy_strategy import options_from
from paved.errors import ExitCode, UsageError

SHA = "e" * 40


def wired(monkeypatch, *flags, **environ):
    for name in ("GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_API_URL", "GITHUB_RUN_ID"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    args = build_parser("deploy-strategy").parse_args(
        ["deploy-strategy", "--app=shop", "--image=r/shop:2", *flags]
    )
    return github_deployment(args, options_from(args))


def test_no_token_flag_means_no_github_deployment(monkeypatch):
    assert wired(monkeypatch, GITHUB_REPOSITORY="acme/shop", GITHUB_SHA=SHA) is None


def test_a_token_variable_that_is_empty_is_exit_2(monkeypatch):
    with pytest.raises(UsageError, match="the environment variable DEPLOY_VAR is empty") as raised:
        wired(monkeypatch, "--github-token-env=DEPLOY_VAR", GITHUB_SHA=SHA, DEPLOY_VAR="")
    assert raised.value.exit_code is ExitCode.USAGE


def test_no_repository_says_to_give_one_or_set_github_repository(monkeypatch):
    with pytest.raises(UsageError, match=r"no repository is known.*GITHUB_REPOSITORY"):
        wired(monkeypatch, "--github-token-env=DEPLOY_VAR", GITHUB_SHA=SHA, DEPLOY_VAR="t0ken")


def test_a_short_sha_is_not_a_commit(monkeypatch):
    with pytest.raises(UsageError, match="GITHUB_SHA 'abc123' is not one"):
        wired(
            monkeypatch, "--github-token-env=DEPLOY_VAR", "--repository=acme/shop",
            GITHUB_SHA="abc123", DEPLOY_VAR="t0ken",
        )  # fmt: skip


def test_the_repository_and_commit_from_the_runner_are_enough(monkeypatch):
    made = wired(
        monkeypatch, "--github-token-env=DEPLOY_VAR", "--environment=staging",
        GITHUB_REPOSITORY="acme/shop", GITHUB_SHA=SHA.upper(), DEPLOY_VAR="t0ken",
    )  # fmt: skip
    assert made is not None
