"""GitHub Deployments written through PyGithub's Requester, on the same transport as the
reads (paved.adapters.github.pygithub): its retries on a secondary rate limit, its budget and
its answer checks. A refusal (401/403/404) names the permission the token lacks."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from paved.adapters.github.interface import (
    PAVED_TOOL,
    DeploymentPublisher,
    DeploymentRequest,
    ExistingDeployment,
    StatusUpdate,
)
from paved.adapters.github.pygithub import PyGithubClient
from paved.errors import EnvironmentProblemError, PavedError

if TYPE_CHECKING:
    from collections.abc import Callable

_DESCRIPTION_LIMIT = 140
"""GitHub refuses a longer deployment or status description."""
_CANDIDATES = 20
"""Deployments of one commit looked at when a re-run looks for its own."""


def _refusal(action: str) -> Callable[[int, str, str], PavedError]:
    def word(code: int, path: str, message: str) -> PavedError:
        return EnvironmentProblemError(
            f"GitHub answered {code} when paved tried to {action} ({path}: {message})",
            hint="the token needs deployments: write on the repository (in a workflow: "
            "permissions: deployments: write on the deploy job), and the repository must exist",
        )

    return word


class PyGithubDeployments(DeploymentPublisher):
    """Deployments and their statuses through the PyGithub transport."""

    def __init__(self, client: PyGithubClient) -> None:
        self._client = client

    @classmethod
    def connect(cls, token: str, api_url: str) -> PyGithubDeployments:
        """A publisher for `api_url` with `token`, paced like ci-metrics' reads but not
        throttled between writes (a rollout posts a handful)."""
        return cls(PyGithubClient(token, api_url=api_url, request_interval=0.0))

    def deployments(self, request: DeploymentRequest) -> tuple[ExistingDeployment, ...]:
        path = f"/repos/{request.repository}/deployments"
        params = {
            "sha": request.sha,
            "task": request.task,
            "environment": request.environment,
            "per_page": _CANDIDATES,
        }
        _, _, data = self._client.call(
            "GET", path, params=params, refusal=_refusal("list deployments")
        )
        if not isinstance(data, list):
            raise _unreadable(path)
        found = []
        for item in data:
            if not isinstance(item, dict) or not isinstance(item.get("id"), int):
                raise _unreadable(path)
            payload = _payload(item.get("payload"))
            ours = payload.get("tool") == PAVED_TOOL
            found.append(
                ExistingDeployment(
                    item["id"],
                    str(payload.get("app")) if ours else None,
                    str(payload.get("image")) if ours else None,
                )
            )
        return tuple(found)

    def latest_state(self, repository: str, deployment_id: int) -> str | None:
        path = f"/repos/{repository}/deployments/{deployment_id}/statuses"
        _, _, data = self._client.call(
            "GET", path, params={"per_page": 1}, refusal=_refusal("read deployment statuses")
        )
        if not isinstance(data, list):
            raise _unreadable(path)
        if not data:
            return None
        state = data[0].get("state") if isinstance(data[0], dict) else None
        if not isinstance(state, str):
            raise _unreadable(path)
        return state

    def create(self, request: DeploymentRequest) -> int:
        path = f"/repos/{request.repository}/deployments"
        body = {
            "ref": request.sha,
            "task": request.task,
            # Never merge the default branch in; deploy exactly this commit.
            "auto_merge": False,
            # No commit-status check: GitHub answers 409 while the run's own checks are pending.
            "required_contexts": [],
            "environment": request.environment,
            "description": request.description[:_DESCRIPTION_LIMIT],
            "transient_environment": False,
            "production_environment": request.production,
            "payload": {"tool": PAVED_TOOL, "app": request.app, "image": request.image},
        }
        code, _, data = self._client.call(
            "POST", path, body=body, refusal=_refusal("create a deployment")
        )
        if not isinstance(data, dict) or not isinstance(data.get("id"), int):
            message = data.get("message") if isinstance(data, dict) else None
            raise EnvironmentProblemError(
                f"GitHub answered {code} to creating a deployment, without one"
                + (f" ({message})" if message else ""),
                hint="check --api-url points at a GitHub API",
            )
        return int(data["id"])

    def post_status(self, repository: str, deployment_id: int, update: StatusUpdate) -> None:
        path = f"/repos/{repository}/deployments/{deployment_id}/statuses"
        body: dict[str, Any] = {
            "state": update.state.value,
            "description": update.description[:_DESCRIPTION_LIMIT],
            # Older successes of this environment become inactive, as GitHub's own deploys do.
            "auto_inactive": True,
        }
        if update.environment_url:
            body["environment_url"] = update.environment_url
        if update.log_url:
            body["log_url"] = update.log_url
        _, _, data = self._client.call(
            "POST", path, body=body, refusal=_refusal("post a deployment status")
        )
        if not isinstance(data, dict) or data.get("state") != update.state.value:
            raise _unreadable(path)


def _payload(raw: object) -> dict[str, Any]:
    """The deployment's payload: GitHub gives an object, or the JSON text it was sent as."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return {}
    return raw if isinstance(raw, dict) else {}


def _unreadable(path: str) -> EnvironmentProblemError:
    return EnvironmentProblemError(
        f"GitHub answered {path} with a body paved cannot read",
        hint="check --api-url points at a GitHub API",
    )
