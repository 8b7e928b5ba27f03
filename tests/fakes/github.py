"""The DeploymentPublisher fake: deployments and statuses in lists, refusals on request."""

# ruff: noqa: ARG002 - the fake implements the whole interface and ignores what it does not need

from __future__ import annotations

from dataclasses import dataclass, field

from paved.adapters.github.interface import (
    DeploymentPublisher,
    DeploymentRequest,
    ExistingDeployment,
    StatusUpdate,
)
from paved.errors import EnvironmentProblemError


@dataclass
class FakeDeployment:
    """One deployment as the fake holds it."""

    id: int
    request: DeploymentRequest
    statuses: list[StatusUpdate] = field(default_factory=list)


class FakeDeployments(DeploymentPublisher):
    """Deployments kept in memory; `refuse_create` and `refuse_statuses_after` script a 403."""

    def __init__(self) -> None:
        self.made: list[FakeDeployment] = []
        self.refuse_create = False
        self.refuse_statuses_after: int | None = None
        self.calls: list[str] = []

    def deployments(self, request: DeploymentRequest) -> tuple[ExistingDeployment, ...]:
        self.calls.append("list")
        same = [
            d
            for d in self.made
            if (d.request.repository, d.request.sha, d.request.environment, d.request.task)
            == (request.repository, request.sha, request.environment, request.task)
        ]
        return tuple(
            ExistingDeployment(d.id, d.request.app, d.request.image) for d in reversed(same)
        )

    def latest_state(self, repository: str, deployment_id: int) -> str | None:
        self.calls.append("latest")
        found = self._find(deployment_id)
        return found.statuses[-1].state.value if found.statuses else None

    def create(self, request: DeploymentRequest) -> int:
        self.calls.append("create")
        if self.refuse_create:
            msg = "GitHub answered 403 when paved tried to create a deployment"
            raise EnvironmentProblemError(msg, hint="the token needs deployments: write")
        self.made.append(FakeDeployment(100 + len(self.made), request))
        return self.made[-1].id

    def post_status(self, repository: str, deployment_id: int, update: StatusUpdate) -> None:
        self.calls.append(f"status {update.state.value}")
        if self.refuse_statuses_after is not None:
            if self.refuse_statuses_after <= 0:
                msg = "GitHub answered 403 when paved tried to post a deployment status"
                raise EnvironmentProblemError(msg)
            self.refuse_statuses_after -= 1
        self._find(deployment_id).statuses.append(update)

    def _find(self, deployment_id: int) -> FakeDeployment:
        return next(d for d in self.made if d.id == deployment_id)
