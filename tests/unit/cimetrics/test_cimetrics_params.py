"""The action's inputs become `paved ci-metrics` flags; the token never does."""

from __future__ import annotations

import io

from paved.cimetrics.params import DECLARATION
from paved.cli import build_parser
from paved.cli.ci_metrics import options_from
from paved.gha.inputs import action_argv


def test_the_token_is_masked_and_named_by_its_variable_never_passed_on_argv(monkeypatch):
    environ = {"INPUT_TOKEN": "ghs_secret", "INPUT_REPOSITORY": "acme/app",
               "INPUT_DEPLOY_WORKFLOWS": "deploy.yml\nrelease.yml", "INPUT_FETCH_JOBS": "false",
               "GITHUB_WORKSPACE": "/github/workspace"}  # fmt: skip
    printed = io.StringIO()
    monkeypatch.setattr("sys.stdout", printed)

    argv = action_argv(DECLARATION, environ)

    assert "::add-mask::ghs_secret" in printed.getvalue()
    assert not any("ghs_secret" in arg for arg in argv)
    assert "--token-env=INPUT_TOKEN" in argv
    assert "--repository=acme/app" in argv
    assert [a for a in argv if a.startswith("--deploy-workflow")] == [
        "--deploy-workflows=deploy.yml",
        "--deploy-workflows=release.yml",
    ]
    assert "--no-fetch-jobs" in argv
    assert "--store=/github/workspace/.paved/ci-metrics/metrics.sqlite" in argv

    options = options_from(build_parser("ci-metrics").parse_args(argv))
    assert options.fetch_jobs is False
    assert options.deploy_workflows == ("deploy.yml", "release.yml")


def test_an_empty_api_url_falls_back_to_github_com():
    environ = {"INPUT_REPOSITORY": "acme/app", "INPUT_API_URL": ""}
    args = build_parser("ci-metrics").parse_args(action_argv(DECLARATION, environ))
    assert args.api_url == "https://api.github.com"


def test_the_old_flag_names_still_work_and_say_what_to_use(capsys):
    args = build_parser("ci-metrics").parse_args(
        ["ci-metrics", "--repository=a/b", "--no-jobs", "--workflow=ci.yml", "--prometheus=m.prom"]
    )
    assert args.fetch_jobs is False
    assert args.workflows == ("ci.yml",)
    assert str(args.prometheus_file) == "m.prom"
    err = capsys.readouterr().err
    assert "--no-jobs is deprecated: use --no-fetch-jobs" in err
    assert "--workflow is deprecated: use --workflows" in err
    assert "--prometheus is deprecated: use --prometheus-file" in err
