"""The SQLite schema, as numbered migrations; PRAGMA user_version says which have run."""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: runs, their attempts and jobs, deployments and statuses, ETags, windows, sync state.
    """
    CREATE TABLE runs (
        repo TEXT NOT NULL, id INTEGER NOT NULL, workflow_id INTEGER NOT NULL,
        workflow TEXT NOT NULL, head_branch TEXT NOT NULL, head_sha TEXT NOT NULL,
        event TEXT NOT NULL, status TEXT NOT NULL, conclusion TEXT, run_attempt INTEGER NOT NULL,
        created_at REAL NOT NULL, updated_at REAL NOT NULL, run_started_at REAL,
        jobs_synced_at REAL,
        PRIMARY KEY (repo, id)
    );
    CREATE INDEX runs_created ON runs (repo, created_at);
    CREATE TABLE attempts (
        repo TEXT NOT NULL, run_id INTEGER NOT NULL, attempt INTEGER NOT NULL,
        status TEXT NOT NULL, conclusion TEXT, started_at REAL, updated_at REAL NOT NULL,
        PRIMARY KEY (repo, run_id, attempt)
    );
    CREATE TABLE jobs (
        repo TEXT NOT NULL, id INTEGER NOT NULL, run_id INTEGER NOT NULL,
        run_attempt INTEGER NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, conclusion TEXT,
        created_at REAL, started_at REAL, completed_at REAL, head_sha TEXT NOT NULL,
        PRIMARY KEY (repo, id)
    );
    CREATE INDEX jobs_run ON jobs (repo, run_id);
    CREATE TABLE deployments (
        repo TEXT NOT NULL, id INTEGER NOT NULL, sha TEXT NOT NULL, ref TEXT NOT NULL,
        environment TEXT NOT NULL, created_at REAL NOT NULL, statuses_final INTEGER NOT NULL
        DEFAULT 0,
        PRIMARY KEY (repo, id)
    );
    CREATE TABLE deployment_statuses (
        repo TEXT NOT NULL, id INTEGER NOT NULL, deployment_id INTEGER NOT NULL,
        state TEXT NOT NULL, created_at REAL NOT NULL,
        PRIMARY KEY (repo, id)
    );
    CREATE TABLE pages (
        repo TEXT NOT NULL, url TEXT NOT NULL, etag TEXT, total_count INTEGER,
        has_next INTEGER NOT NULL, PRIMARY KEY (repo, url)
    );
    CREATE TABLE windows (
        repo TEXT NOT NULL, start REAL NOT NULL, end REAL NOT NULL, PRIMARY KEY (repo, start, end)
    );
    CREATE TABLE sync_state (
        repo TEXT PRIMARY KEY, high_water_mark REAL, default_branch TEXT, last_sync_at REAL
    );
    """,
    # 2: the deploy tool a deployment's payload names (paved shadows GitHub's per-job record).
    # The stored deployment pages are dropped so the next sync lists them again with it.
    """
    ALTER TABLE deployments ADD COLUMN tool TEXT NOT NULL DEFAULT '';
    DELETE FROM pages WHERE url LIKE 'deployments?%'
    """,
)
"""Append only: a released migration never changes, a new one is added at the end."""

FINAL_STATES = ("success", "failure", "error", "inactive")
"""Deployment states after which a deployment's statuses are not re-fetched."""
