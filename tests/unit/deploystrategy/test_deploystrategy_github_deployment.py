"""The rollout as one GitHub Deployment: states per result, a re-run continues its own, and a
status GitHub refuses at the end is reported, not raised (FakeDeployments: tests/fakes)."""

from __future__ import annotations

import pytest
from fakes.github import FakeDeployments
from paved.adapters.github.interface import DeploymentRequest, DeploymentState
from paved.deploystrategy.github_deployment import GitHubDeployment, Links, final_state
from paved.deploystrategy.outcome import DeployResult
from paved.errors import EnvironmentProblemError

SHA = "a" * 40
LINKS = Links(environment_url="https://shop.example.com", log_url="https://gh/run/1")


def request(image="reg/shop@sha256:2", sha=SHA):
    return DeploymentRequest("acme/shop", sha, "production", "shop", image, "d", production=True)


def words(state: DeploymentState) -> str:
    return f"now {state.value}"


@pytest.mark.parametrize(
    ("result", "state"),
    [
        (DeployResult.SUCCEEDED, DeploymentState.SUCCESS),
        (DeployResult.UNCHANGED, DeploymentState.SUCCESS),
        (DeployResult.PAUSED, DeploymentState.QUEUED),
        (DeployResult.ROLLED_BACK, DeploymentState.FAILURE),
        (DeployResult.FAILED, DeploymentState.ERROR),
    ],
)
def test_each_result_ends_in_the_state_github_shows(result, state):
    assert final_state(result) is state
    fake = FakeDeployments()
    tracker = GitHubDeployment(fake, request(), LINKS)
    tracker.begin("rolling out")
    published = tracker.finish(result, words)
    assert published.states == (DeploymentState.IN_PROGRESS, state)
    assert [s.state for s in fake.made[0].statuses] == [DeploymentState.IN_PROGRESS, state]
    assert fake.made[0].statuses[-1].description == f"now {state.value}"
    assert published.failed_state is None


def test_only_success_carries_the_environment_url_every_status_the_run_url():
    fake = FakeDeployments()
    tracker = GitHubDeployment(fake, request(), LINKS)
    tracker.begin("rolling out")
    tracker.finish(DeployResult.SUCCEEDED, words)
    first, last = fake.made[0].statuses
    assert (first.environment_url, last.environment_url) == (None, "https://shop.example.com")
    assert first.log_url == last.log_url == "https://gh/run/1"


def test_an_approved_rerun_continues_the_paused_deployment():
    fake = FakeDeployments()
    first = GitHubDeployment(fake, request(), LINKS)
    paused_id = first.begin("rolling out")
    first.finish(DeployResult.PAUSED, words)
    again = GitHubDeployment(fake, request(), LINKS)
    assert again.begin("continuing") == paused_id
    published = again.finish(DeployResult.SUCCEEDED, words)
    assert published.resumed is True
    assert len(fake.made) == 1
    assert [s.state.value for s in fake.made[0].statuses] == [
        "in_progress", "queued", "in_progress", "success",
    ]  # fmt: skip


def test_a_rerun_after_a_cancelled_job_continues_the_deployment_left_in_progress():
    fake = FakeDeployments()
    cancelled = GitHubDeployment(fake, request(), LINKS)
    cancelled.begin("rolling out")  # the job is killed here: no final status
    again = GitHubDeployment(fake, request(), LINKS)
    again.begin("continuing")
    assert again.finish(DeployResult.SUCCEEDED, words).resumed is True
    assert len(fake.made) == 1


def test_a_finished_deployment_or_another_image_gets_a_new_deployment():
    fake = FakeDeployments()
    done = GitHubDeployment(fake, request(), LINKS)
    done.begin("rolling out")
    done.finish(DeployResult.ROLLED_BACK, words)
    retry = GitHubDeployment(fake, request(), LINKS)
    retry.begin("rolling out")  # the newest of this image is over: a new deploy attempt
    other = GitHubDeployment(fake, request(image="reg/shop@sha256:3"), LINKS)
    other.begin("rolling out")  # retry's is open, but it is another image
    assert [d.id for d in fake.made] == [100, 101, 102]


def test_a_refused_create_raises_before_anything_is_posted():
    fake = FakeDeployments()
    fake.refuse_create = True
    with pytest.raises(EnvironmentProblemError, match="deployments: write"):
        GitHubDeployment(fake, request(), LINKS).begin("rolling out")
    assert fake.calls == ["list", "create"]


def test_a_final_status_github_refuses_is_reported_and_not_raised():
    fake = FakeDeployments()
    fake.refuse_statuses_after = 1
    tracker = GitHubDeployment(fake, request(), LINKS)
    tracker.begin("rolling out")
    published = tracker.finish(DeployResult.SUCCEEDED, words)
    assert published.states == (DeploymentState.IN_PROGRESS,)
    assert published.failed_state is DeploymentState.SUCCESS
    assert "403" in published.problem


def test_an_error_mid_rollout_posts_error():
    fake = FakeDeployments()
    tracker = GitHubDeployment(fake, request(), LINKS)
    tracker.begin("rolling out")
    published = tracker.abort(words)
    assert published.states == (DeploymentState.IN_PROGRESS, DeploymentState.ERROR)


def test_finishing_before_beginning_is_a_programming_error():
    with pytest.raises(RuntimeError, match="begin"):
        GitHubDeployment(FakeDeployments(), request(), LINKS).finish(DeployResult.SUCCEEDED, words)
