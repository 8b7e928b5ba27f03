"""Builders for small hand-written histories; the tests work each expected number out."""

from __future__ import annotations

from datetime import UTC, datetime

from paved.adapters.github.interface import JobRecord, RunRecord

T0 = datetime(2024, 5, 1, tzinfo=UTC)


def at(minutes: float) -> float:
    """T0 plus `minutes`, the way records hold times: UTC epoch seconds."""
    return T0.timestamp() + 60 * minutes


def run(
    run_id: int,
    start: float,
    seconds: float,
    conclusion: str | None = "success",
    *,
    workflow: str = "ci.yml",
    branch: str = "main",
    sha: str = "",
    attempt: int = 1,
    status: str = "completed",
) -> RunRecord:
    """A run created `start` minutes after T0 that took `seconds`."""
    return RunRecord(
        id=run_id,
        workflow_id=1,
        workflow=workflow,
        head_branch=branch,
        head_sha=sha or f"sha{run_id}",
        event="push",
        status=status,
        conclusion=conclusion,
        run_attempt=attempt,
        created_at=at(start),
        updated_at=at(start) + seconds,
        run_started_at=at(start),
    )


def job(  # noqa: PLR0917 - reads like a row of a table
    job_id: int,
    run_id: int,
    name: str,
    created: float,
    queued: float,
    seconds: float,
    conclusion: str = "success",
    attempt: int = 1,
) -> JobRecord:
    """A job created `created` minutes after T0, queued `queued` s, ran `seconds` s."""
    created_at = at(created)
    started = created_at + queued
    return JobRecord(
        id=job_id,
        run_id=run_id,
        run_attempt=attempt,
        name=name,
        status="completed",
        conclusion=conclusion,
        created_at=created_at,
        started_at=started,
        completed_at=started + seconds,
    )
