"""Reading history back from SQLite: rows to the GitHub interface's records."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from paved.adapters.github.interface import (
    DeploymentRecord,
    DeploymentStatusRecord,
    JobRecord,
    RunRecord,
)
from paved.adapters.store.interface import History

if TYPE_CHECKING:
    import sqlite3
    from datetime import datetime

# Metrics load 100,000 runs at a time (see benchmarks/ci_metrics.py). The columns are selected
# in the records' field order and times are stored as the records hold them (epoch seconds),
# so a row becomes a record by tuple.__new__ alone, mapped in C: RunRecord._make would add a
# Python call per row.
_run = partial(tuple.__new__, RunRecord)
_job = partial(tuple.__new__, JobRecord)


def load_history(
    db: sqlite3.Connection, repo: str, since: datetime, jobs_since: datetime | None = None
) -> History:
    """Runs and deployments from `since`, jobs of runs from `jobs_since` (default `since`)."""
    start = since.timestamp()
    jobs_start = (jobs_since or since).timestamp()
    runs: tuple[RunRecord, ...] = tuple(
        map(
            _run,
            db.execute(
                "SELECT id, workflow_id, workflow, head_branch, head_sha, event, status, "
                "conclusion, run_attempt, created_at, updated_at, run_started_at FROM runs "
                "WHERE repo=? AND created_at>=? ORDER BY created_at, id",
                (repo, start),
            ),
        )
    )
    jobs: tuple[JobRecord, ...] = tuple(
        map(
            _job,
            db.execute(
                "SELECT j.id, j.run_id, j.run_attempt, j.name, j.status, j.conclusion, "
                "j.created_at, j.started_at, j.completed_at, j.head_sha FROM jobs j JOIN runs r "
                "ON r.repo=j.repo AND r.id=j.run_id WHERE j.repo=? AND r.created_at>=?",
                (repo, jobs_start),
            ),
        )
    )
    deployments = tuple(
        DeploymentRecord(*d)
        for d in db.execute(
            "SELECT id, sha, ref, environment, created_at, tool FROM deployments "
            "WHERE repo=? AND created_at>=? ORDER BY created_at",
            (repo, start),
        )
    )
    statuses = tuple(
        DeploymentStatusRecord(*s)
        for s in db.execute(
            "SELECT s.id, s.deployment_id, s.state, s.created_at FROM deployment_statuses s "
            "JOIN deployments d ON d.repo=s.repo AND d.id=s.deployment_id "
            "WHERE s.repo=? AND d.created_at>=? ORDER BY s.created_at",
            (repo, start),
        )
    )
    return History(runs, jobs, deployments, statuses)
