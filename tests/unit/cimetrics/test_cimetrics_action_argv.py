"""The action's inputs become `paved ci-metrics` flags; the token never does."""

from __future__ import annotations

import io

from paved.gha import ci_metrics
from paved.gha.inputs import read_inputs


def test_the_token_is_masked_and_named_by_its_variable_never_passed_on_argv(monkeypatch):
    environ = {"INPUT_TOKEN": "ghs_secret", "INPUT_REPOSITORY": "acme/app",
               "INPUT_DEPLOY_WORKFLOWS": "deploy.yml\nrelease.yml", "INPUT_FETCH_JOBS": "false",
               "GITHUB_WORKSPACE": "/github/workspace"}  # fmt: skip
    printed = io.StringIO()
    monkeypatch.setattr("sys.stdout", printed)

    argv = ci_metrics.to_argv(read_inputs(ci_metrics.INPUTS, environ), environ)

    assert "::add-mask::ghs_secret" in printed.getvalue()
    assert not any("ghs_secret" in arg for arg in argv)
    assert "--token-env=INPUT_TOKEN" in argv
    assert "--repository=acme/app" in argv
    assert [a for a in argv if a.startswith("--deploy-workflow")] == [
        "--deploy-workflow=deploy.yml",
        "--deploy-workflow=release.yml",
    ]
    assert "--no-jobs" in argv
    assert "--store=/github/workspace/.paved/ci-metrics/metrics.sqlite" in argv
