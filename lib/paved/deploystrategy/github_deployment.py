"""A rollout as one GitHub Deployment: which deployment (a re-run resumes its own), which
states it goes through, and what is left when a status cannot be posted. Pure: the publisher
is the interface, the words come from paved.report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, assert_never

from paved.adapters.github.interface import (
    TERMINAL_STATES,
    DeploymentPublisher,
    DeploymentRequest,
    DeploymentState,
    StatusUpdate,
)
from paved.deploystrategy.outcome import DeployResult
from paved.errors import PavedError

if TYPE_CHECKING:
    from collections.abc import Callable


def final_state(result: DeployResult) -> DeploymentState:
    """The state a rollout's end is posted as."""
    match result:
        case DeployResult.SUCCEEDED | DeployResult.UNCHANGED:
            return DeploymentState.SUCCESS
        case DeployResult.PAUSED:
            # Waiting at a manual gate: not over; the approved re-run continues this deployment.
            return DeploymentState.QUEUED
        case DeployResult.ROLLED_BACK:
            return DeploymentState.FAILURE
        case DeployResult.FAILED:
            return DeploymentState.ERROR
        case _:
            assert_never(result)


@dataclass(frozen=True)
class Links:
    """The URLs a status carries."""

    environment_url: str | None
    """Where the environment serves (only on success)."""
    log_url: str | None
    """The workflow run."""


@dataclass(frozen=True)
class PublishedDeployment:
    """What became of the GitHub Deployment, for the report."""

    id: int
    resumed: bool
    """An existing deployment of this rollout was continued (a re-run), not a new one made."""
    states: tuple[DeploymentState, ...]
    """The states this run posted, in order."""
    failed_state: DeploymentState | None = None
    """A state that could not be posted (the rollout's own result still stands)."""
    problem: str = ""
    """Why it could not be posted."""


class GitHubDeployment:
    """Finds or creates the deployment, then posts its states as the rollout goes."""

    def __init__(
        self, publisher: DeploymentPublisher, request: DeploymentRequest, links: Links
    ) -> None:
        self._publisher = publisher
        self._request = request
        self._links = links
        self._id: int | None = None
        self._resumed = False
        self._states: list[DeploymentState] = []

    def begin(self, description: str) -> int:
        """The deployment (an unfinished one of this rollout, else a new one), in_progress.
        Raises what the publisher raises: nothing has been rolled out yet."""
        existing = self.open_deployment()
        self._resumed = existing is not None
        self._id = existing if existing is not None else self._publisher.create(self._request)
        self._post(DeploymentState.IN_PROGRESS, description)
        return self._id

    @property
    def resumed(self) -> bool:
        """begin() continued an existing deployment rather than making one."""
        return self._resumed

    def open_deployment(self) -> int | None:
        """The newest deployment of this app and image on the commit, if it is not over."""
        request = self._request
        for found in self._publisher.deployments(request):
            if (found.app, found.image) != (request.app, request.image):
                continue
            state = self._publisher.latest_state(request.repository, found.id)
            return found.id if state not in TERMINAL_STATES else None
        return None

    def finish(
        self, result: DeployResult, description: Callable[[DeploymentState], str]
    ) -> PublishedDeployment:
        """Post the rollout's end; a refusal now is reported, not raised (the rollout is done)."""
        return self._settle(final_state(result), description)

    def abort(self, description: Callable[[DeploymentState], str]) -> PublishedDeployment:
        """The rollout raised: post error (and let the caller re-raise the original)."""
        return self._settle(DeploymentState.ERROR, description)

    def _settle(
        self, state: DeploymentState, description: Callable[[DeploymentState], str]
    ) -> PublishedDeployment:
        try:
            self._post(state, description(state))
        except PavedError as exc:
            return self._published(failed_state=state, problem=str(exc))
        return self._published()

    def _started(self) -> int:
        if self._id is None:
            msg = "begin() first"
            raise RuntimeError(msg)
        return self._id

    def _post(self, state: DeploymentState, description: str) -> None:
        links = self._links
        update = StatusUpdate(
            state,
            description,
            environment_url=links.environment_url if state is DeploymentState.SUCCESS else None,
            log_url=links.log_url,
        )
        self._publisher.post_status(self._request.repository, self._started(), update)
        self._states.append(state)

    def _published(
        self, *, failed_state: DeploymentState | None = None, problem: str = ""
    ) -> PublishedDeployment:
        return PublishedDeployment(
            self._started(), self._resumed, tuple(self._states), failed_state, problem
        )
