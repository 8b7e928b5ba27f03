"""Reading history back from SQLite: rows to the GitHub interface's records."""

from __future__ import annotations

from datetime import UTC, datetime
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


def _dt(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _must(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def load_history(
    db: sqlite3.Connection, repo: str, since: datetime, jobs_since: datetime | None = None
) -> History:
    """Runs and deployments from `since`, jobs of runs from `jobs_since` (default `since`)."""
    start = since.timestamp()
    jobs_start = (jobs_since or since).timestamp()
    # 100,000 rows at a time: local names and slices keep this loop cheap (see
    # benchmarks/ci_metrics.py); the columns are in the records' field order.
    stamp = datetime.fromtimestamp
    utc = UTC
    run_rows = db.execute(
        "SELECT id, workflow_id, workflow, head_branch, head_sha, event, status, "
        "conclusion, run_attempt, created_at, updated_at, run_started_at FROM runs "
        "WHERE repo=? AND created_at>=? ORDER BY created_at, id",
        (repo, start),
    ).fetchall()
    runs = tuple(
        [
            RunRecord._make(
                (
                    *r[:9],
                    stamp(r[9], utc),
                    stamp(r[10], utc),
                    None if r[11] is None else stamp(r[11], utc),
                )
            )
            for r in run_rows
        ]
    )
    job_rows = db.execute(
        "SELECT j.id, j.run_id, j.run_attempt, j.name, j.status, j.conclusion, "
        "j.created_at, j.started_at, j.completed_at, j.head_sha FROM jobs j JOIN runs r "
        "ON r.repo=j.repo AND r.id=j.run_id WHERE j.repo=? AND r.created_at>=?",
        (repo, jobs_start),
    ).fetchall()
    jobs = tuple(
        [
            JobRecord._make(
                (
                    *j[:6],
                    None if j[6] is None else stamp(j[6], utc),
                    None if j[7] is None else stamp(j[7], utc),
                    None if j[8] is None else stamp(j[8], utc),
                    j[9],
                )
            )
            for j in job_rows
        ]
    )
    deployments = tuple(
        DeploymentRecord(d[0], d[1], d[2], d[3], _must(d[4]))
        for d in db.execute(
            "SELECT id, sha, ref, environment, created_at FROM deployments "
            "WHERE repo=? AND created_at>=? ORDER BY created_at",
            (repo, start),
        )
    )
    statuses = tuple(
        DeploymentStatusRecord(s[0], s[1], s[2], _must(s[3]))
        for s in db.execute(
            "SELECT s.id, s.deployment_id, s.state, s.created_at FROM deployment_statuses s "
            "JOIN deployments d ON d.repo=s.repo AND d.id=s.deployment_id "
            "WHERE s.repo=? AND d.created_at>=? ORDER BY s.created_at",
            (repo, start),
        )
    )
    return History(runs, jobs, deployments, statuses)
