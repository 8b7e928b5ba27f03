"""The Deployments publisher over the real PyGithub transport against the replay server: what it
sends, retries on GitHub's secondary rate limit, and refusals that name the permission."""

from __future__ import annotations

import pytest
from components.github_replay import ReplayServer, Repository
from paved.adapters.github.deployments import PyGithubDeployments
from paved.adapters.github.interface import DeploymentRequest, DeploymentState, StatusUpdate
from paved.errors import EnvironmentProblemError

pytestmark = pytest.mark.integration
REPO = "acme/shop"
REQUEST = DeploymentRequest(
    REPO, "c" * 40, "staging", "shop", "reg/shop@sha256:1", "paved canary", production=False
)


@pytest.fixture
def github():
    with ReplayServer() as server:
        server.add(Repository(REPO, {"full_name": REPO, "default_branch": "main"}))
        yield server


def test_a_deployment_and_its_statuses_as_github_records_them(github):
    publisher = PyGithubDeployments.connect("token-1234", github.url)
    number = publisher.create(REQUEST)
    publisher.post_status(REPO, number, StatusUpdate(DeploymentState.IN_PROGRESS, "rolling"))
    update = StatusUpdate(
        DeploymentState.SUCCESS, "x" * 200, environment_url="https://s.example", log_url="https://l"
    )
    publisher.post_status(REPO, number, update)
    assert publisher.latest_state(REPO, number) == "success"
    (found,) = publisher.deployments(REQUEST)
    assert (found.id, found.app, found.image) == (number, "shop", "reg/shop@sha256:1")
    _, status_body = github.writes.requests[-1]
    assert len(status_body["description"]) == 140  # GitHub's limit
    assert status_body["auto_inactive"] is True
    made = github.repositories[REPO].deployments[number]
    assert (made["production_environment"], made["transient_environment"]) == (False, False)
    # Another commit's deployments are not this rollout's.
    other = DeploymentRequest(
        REPO, "d" * 40, "staging", "shop", "reg/shop@sha256:1", "", production=False
    )
    assert publisher.deployments(other) == ()


def test_a_secondary_rate_limit_on_create_is_waited_out_and_retried(github):
    publisher = PyGithubDeployments.connect("token-1234", github.url)
    github.throttle(1, status=403, retry_after="1")
    number = publisher.create(REQUEST)
    assert number in github.repositories[REPO].deployments
    assert github.stats["throttled-403"] == 1
    assert len(github.repositories[REPO].deployments) == 1


@pytest.mark.parametrize("status", [401, 403, 404])
def test_a_refusal_names_the_permission_the_token_needs(github, status):
    github.writes.refuse = status
    publisher = PyGithubDeployments.connect("token-1234", github.url)
    with pytest.raises(EnvironmentProblemError) as raised:
        publisher.create(REQUEST)
    assert f"GitHub answered {status} when paved tried to create a deployment" in str(raised.value)
    assert "deployments: write" in str(raised.value)
    assert raised.value.exit_code == 3


def test_a_status_of_a_deployment_github_does_not_have_is_a_clear_error(github):
    publisher = PyGithubDeployments.connect("token-1234", github.url)
    update = StatusUpdate(DeploymentState.SUCCESS, "done")
    with pytest.raises(EnvironmentProblemError, match="post a deployment status"):
        publisher.post_status(REPO, 12345, update)
