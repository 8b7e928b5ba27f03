"""deploy-strategy's GitHub Deployment, wired from flags and the runner's variables: which
repository and commit, the run's URL, the token; nothing at all without a token."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from paved.adapters.github.interface import DeploymentRequest
from paved.deploystrategy.github_deployment import GitHubDeployment, Links
from paved.errors import UsageError
from paved.report import deploystrategy as report

if TYPE_CHECKING:
    import argparse

    from paved.deploystrategy.options import DeployOptions

_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_SHA = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")
_PRODUCTION = frozenset({"production", "prod"})
"""Names GitHub's environments page treats as production (production_environment true)."""


def github_deployment(args: argparse.Namespace, options: DeployOptions) -> GitHubDeployment | None:
    """The GitHub Deployment to keep, or None when no token is given. Every value is checked
    here, before anything is rolled out: a missing repository or commit is exit 2."""
    variable = args.github_token_env
    if not variable:
        return None
    token = os.environ.get(variable, "")
    if not token:
        raise UsageError(
            f"the environment variable {variable} is empty",
            name="--github-token-env",
            valid="a variable holding a token with deployments: write (or leave the flag out)",
        )
    repository = (args.repository or os.environ.get("GITHUB_REPOSITORY", "")).strip()
    if not _REPOSITORY.fullmatch(repository):
        raise UsageError(
            f"{repository!r} is not a repository" if repository else "no repository is known",
            name="repository",
            valid="owner/name: give --repository or set GITHUB_REPOSITORY",
        )
    sha = os.environ.get("GITHUB_SHA", "").strip().lower()
    if not _SHA.fullmatch(sha):
        raise UsageError(
            f"a Deployment names its commit, and GITHUB_SHA {sha!r} is not one"
            if sha
            else "a Deployment names its commit, and GITHUB_SHA is not set",
            name="github-token",
            valid="set GITHUB_SHA to the full commit SHA being deployed (a workflow sets it)",
        )
    api_url = args.api_url or os.environ.get("GITHUB_API_URL") or "https://api.github.com"
    request = DeploymentRequest(
        repository=repository,
        sha=sha,
        environment=args.environment,
        app=options.app,
        image=options.image,
        description=report.deployment_description(
            options.app, options.image, options.strategy.value
        ),
        production=args.environment.lower() in _PRODUCTION,
    )
    # Imported here: only a deploy with a token pays for PyGithub (see cli/ci_metrics.py).
    from paved.adapters.github.deployments import PyGithubDeployments  # noqa: PLC0415

    links = Links(environment_url=args.environment_url, log_url=_run_url(repository))
    return GitHubDeployment(PyGithubDeployments.connect(token, api_url), request, links)


def _run_url(repository: str) -> str | None:
    """The workflow run's page, when the runner says which run this is."""
    server = os.environ.get("GITHUB_SERVER_URL", "").rstrip("/")
    run = os.environ.get("GITHUB_RUN_ID", "")
    if not server or not run.isdigit():
        return None
    attempt = os.environ.get("GITHUB_RUN_ATTEMPT", "")
    tail = f"/attempts/{attempt}" if attempt.isdigit() else ""
    return f"{server}/{os.environ.get('GITHUB_REPOSITORY') or repository}/actions/runs/{run}{tail}"
