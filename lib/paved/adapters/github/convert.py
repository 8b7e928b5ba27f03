"""PyGithub objects to the interface's records (UTC epoch seconds, no library types leak out)."""

from __future__ import annotations

import posixpath
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from paved.adapters.github.interface import (
    DeploymentRecord,
    DeploymentStatusRecord,
    JobRecord,
    RunRecord,
)

if TYPE_CHECKING:
    from github.Deployment import Deployment
    from github.DeploymentStatus import DeploymentStatus
    from github.WorkflowJob import WorkflowJob
    from github.WorkflowRun import WorkflowRun


def _epoch(value: datetime | None) -> float | None:
    """UTC epoch seconds; PyGithub's datetimes are naive UTC in some versions, aware in others."""
    if value is None:
        return None
    return (value.replace(tzinfo=UTC) if value.tzinfo is None else value).timestamp()


def _must(value: datetime | None) -> float:
    found = _epoch(value)
    if found is None:
        msg = "a timestamp the API always sends is missing"
        raise KeyError(msg)
    return found


def run(item: WorkflowRun) -> RunRecord:
    """A runs-list entry as a RunRecord."""
    raw = item.raw_data
    path = raw.get("path") or ""
    return RunRecord(
        id=item.id,
        workflow_id=item.workflow_id,
        workflow=posixpath.basename(path.split("@", 1)[0]) if path else item.name,
        head_branch=item.head_branch or "",
        head_sha=item.head_sha,
        event=item.event,
        status=item.status,
        conclusion=item.conclusion,
        run_attempt=raw.get("run_attempt") or 1,
        created_at=_must(item.created_at),
        updated_at=_must(item.updated_at),
        run_started_at=_epoch(item.run_started_at) if raw.get("run_started_at") else None,
    )


def job(item: WorkflowJob, run_id: int) -> JobRecord:
    """A jobs-list entry as a JobRecord."""
    raw = item.raw_data
    return JobRecord(
        id=item.id,
        run_id=raw.get("run_id") or run_id,
        run_attempt=raw.get("run_attempt") or 1,
        name=item.name,
        status=item.status,
        conclusion=item.conclusion,
        created_at=_epoch(item.created_at) if raw.get("created_at") else None,
        started_at=_epoch(item.started_at) if raw.get("started_at") else None,
        completed_at=_epoch(item.completed_at) if raw.get("completed_at") else None,
        head_sha=raw.get("head_sha") or "",
    )


def deployment(item: Deployment) -> DeploymentRecord:
    """A deployments-list entry as a DeploymentRecord."""
    return DeploymentRecord(
        id=item.id,
        sha=item.sha,
        ref=item.ref,
        environment=item.environment,
        created_at=_must(item.created_at),
        tool=_tool(item),
    )


def _tool(item: Deployment) -> str:
    """The payload's `tool`; a payload that is not an object (or unreadable) names none."""
    try:
        payload = item.payload
    except (TypeError, ValueError, AttributeError):
        return ""
    tool = payload.get("tool") if isinstance(payload, dict) else None
    return tool if isinstance(tool, str) else ""


def status(item: DeploymentStatus, deployment_id: int) -> DeploymentStatusRecord:
    """A deployment status as a DeploymentStatusRecord."""
    return DeploymentStatusRecord(
        id=item.id,
        deployment_id=deployment_id,
        state=item.state,
        created_at=_must(item.created_at),
    )
