"""The replay server's writes: POST /repos/{o}/{r}/deployments and POST .../statuses, answered
the way GitHub answers them, with the real recorded answers as the templates.

A created deployment is the recorded deployment object (DeploymentStatus.setUp.txt: GET
/deployments/263877258) with its id, commit, environment, payload, flags and times replaced;
a created status is the recorded answer to POST .../statuses (DeploymentStatus.testCreate.txt)
likewise. GitHub's own rules that a deploy tool meets are modelled: `ref` is required, a
deployment without `required_contexts: []` is refused with 409 while the commit's checks are
pending, a state must be one GitHub knows (else 422), a status of an unknown deployment is
404, and `auto_inactive` marks earlier successes of a non-production, non-transient
environment inactive. Plain Python, no pytest.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from components.github_replay import Exchange, Repository

STATES = {"error", "failure", "inactive", "in_progress", "queued", "pending", "success"}
NOT_ACCESSIBLE = {
    "message": "Resource not accessible by integration",
    "documentation_url": "https://docs.github.com/rest/deployments/deployments#create-a-deployment",
    "status": "403",
}
"""GitHub's answer to a GITHUB_TOKEN without deployments: write."""
_API = "https://api.github.com"


@dataclass(frozen=True)
class Templates:
    """The real recorded objects and headers new answers are made from."""

    deployment: dict[str, Any]
    status: dict[str, Any]
    headers: tuple[tuple[str, str], ...]


def templates(exchanges: list[Exchange]) -> Templates:
    """The first recorded deployment, and the recorded answer to creating a status."""
    deployment = status = None
    headers: tuple[tuple[str, str], ...] = ()
    for ex in exchanges:
        if deployment is None and ex.verb == "GET" and re.search(r"/deployments/\d+$", ex.path):
            deployment = json.loads(ex.body)
        if status is None and ex.verb == "POST" and ex.path.endswith("/statuses"):
            status, headers = json.loads(ex.body), ex.headers
    if deployment is None or status is None:
        msg = "the recordings hold no deployment or no created status"
        raise LookupError(msg)
    return Templates(deployment, status, headers)


@dataclass
class Writes:
    """What the server was asked to write, and its knobs."""

    templates: Templates
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """Every write's path and body, in order."""
    refuse: int | None = None
    """Answer every write with this status (403: the token lacks deployments: write)."""
    refuse_statuses_after: int | None = None
    """Accept this many more status writes, then refuse with `refuse_status`."""
    refuse_status: int = 403
    pending_checks: bool = True
    """The commit's checks are still running (a workflow's own run is): GitHub's 409."""
    _next_id: int = 900_000_000

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def answer(self, repo: Repository, rest: str, body: dict[str, Any]) -> tuple[int, Any]:
        """(status, JSON body) for a POST under /repos/{repo}."""
        self.requests.append((rest, body))
        if self.refuse is not None:
            return self.refuse, NOT_ACCESSIBLE
        if rest == "/deployments":
            return self._deployment(repo, body)
        if match := re.fullmatch(r"/deployments/(\d+)/statuses", rest):
            if self.refuse_statuses_after is not None:
                if self.refuse_statuses_after <= 0:
                    return self.refuse_status, NOT_ACCESSIBLE
                self.refuse_statuses_after -= 1
            return self._status(repo, int(match[1]), body)
        return 404, {"message": "Not Found"}

    def _deployment(self, repo: Repository, body: dict[str, Any]) -> tuple[int, Any]:
        if not isinstance(body.get("ref"), str) or not body["ref"]:
            return 422, {"message": 'Invalid request.\n\n"ref" wasn\'t supplied.'}
        if self.pending_checks and body.get("required_contexts") != []:
            return 409, {"message": "Conflict: Commit status checks failed for " + body["ref"]}
        made = copy.deepcopy(self.templates.deployment)
        number = self.new_id()
        environment = body.get("environment", "production")
        url = f"{_API}/repos/{repo.full_name}/deployments/{number}"
        made.update(
            id=number,
            node_id=f"DE_paved{number}",
            url=url,
            statuses_url=f"{url}/statuses",
            repository_url=f"{_API}/repos/{repo.full_name}",
            sha=body["ref"] if re.fullmatch(r"[0-9a-f]{40}", body["ref"]) else made["sha"],
            ref=body["ref"],
            task=body.get("task", "deploy"),
            payload=body.get("payload", {}),
            environment=environment,
            original_environment=environment,
            description=body.get("description"),
            transient_environment=bool(body.get("transient_environment", False)),
            production_environment=bool(
                body.get("production_environment", environment == "production")
            ),
            created_at=_now(),
            updated_at=_now(),
        )
        repo.deployments[number] = made
        repo.statuses[number] = []
        repo.mutated = True
        return 201, made

    def _status(
        self, repo: Repository, deployment_id: int, body: dict[str, Any]
    ) -> tuple[int, Any]:
        deployment = repo.deployments.get(deployment_id)
        if deployment is None:
            return 404, {"message": "Not Found"}
        state = body.get("state")
        if state not in STATES:
            return 422, {
                "message": f"Validation Failed: state {state!r} is not included in the list"
            }
        made = self._status_object(repo, deployment, state, body)
        if state == "success" and body.get("auto_inactive", True):
            self._retire_earlier(repo, deployment)
        repo.statuses[deployment_id].append(made)
        deployment["updated_at"] = made["updated_at"]
        repo.mutated = True
        return 201, made

    def _status_object(
        self, repo: Repository, deployment: dict[str, Any], state: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        made = copy.deepcopy(self.templates.status)
        number = self.new_id()
        made.update(
            id=number,
            node_id=f"DES_paved{number}",
            url=f"{deployment['url']}/statuses/{number}",
            state=state,
            description=body.get("description", ""),
            environment=deployment["environment"],
            target_url=body.get("log_url") or body.get("target_url") or "",
            log_url=body.get("log_url") or body.get("target_url") or "",
            environment_url=body.get("environment_url", ""),
            deployment_url=deployment["url"],
            repository_url=f"{_API}/repos/{repo.full_name}",
            created_at=_now(),
            updated_at=_now(),
        )
        return made

    def _retire_earlier(self, repo: Repository, deployment: dict[str, Any]) -> None:
        """GitHub's auto_inactive: earlier successful deployments of the same environment get
        an inactive status, unless the environment is production or transient."""
        if deployment["production_environment"] or deployment["transient_environment"]:
            return
        for other_id, other in repo.deployments.items():
            statuses = repo.statuses.get(other_id, [])
            if (
                other_id != deployment["id"]
                and other["environment"] == deployment["environment"]
                and statuses
                and statuses[-1]["state"] == "success"
            ):
                statuses.append(self._status_object(repo, other, "inactive", {}))


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
