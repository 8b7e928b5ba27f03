"""The SQLite store: one file, schema-versioned, one transaction per saved page."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from paved.adapters.store.interface import (
    CachedPage,
    History,
    MetricsStore,
    StoreError,
    SyncState,
)
from paved.adapters.store.rows import load_history
from paved.adapters.store.schema import FINAL_STATES, MIGRATIONS

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from paved.adapters.github.interface import (
        DeploymentRecord,
        DeploymentStatusRecord,
        JobRecord,
        Page,
        RunRecord,
    )


_MARK_FINAL = (
    "UPDATE deployments SET statuses_final = EXISTS (SELECT 1 FROM deployment_statuses s "
    "WHERE s.repo=? AND s.deployment_id=? AND s.state IN (?, ?, ?, ?)) WHERE repo=? AND id=?"
)
"""Marks a deployment final once it has one of the four FINAL_STATES."""


BUSY_TIMEOUT_SECONDS = 30.0
"""How long a writer waits for another process's transaction before the store fails."""


def _ts(value: datetime | None) -> float | None:
    return None if value is None else value.timestamp()


def _dt(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _must(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)


class SqliteStore(MetricsStore):
    """A MetricsStore in one SQLite file (WAL journal, so a killed sync leaves it consistent)."""

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # A busy timeout before anything else: several jobs may open one new store at once,
            # and switching to WAL or migrating takes a lock the others must wait for.
            self._db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS)
            self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._migrate(path)
        except (sqlite3.Error, OSError) as exc:
            msg = f"cannot open the metrics store {path}: {exc}"
            raise StoreError(msg, hint="pass --store a writable file path") from exc

    def _migrate(self, path: Path) -> None:
        """Bring the schema up to date in ONE write transaction.

        The version is read inside the transaction, so of several processes opening a new
        store at once exactly one creates the tables and the others see its version.
        """
        with self._transaction() as db:
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            if version > len(MIGRATIONS):
                msg = (
                    f"{path} has schema version {version}, newer than this paved "
                    f"({len(MIGRATIONS)})"
                )
                raise StoreError(msg, hint="upgrade paved, or start a new store file")
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in filter(str.strip, script.split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            msg = f"the metrics store failed: {exc}"
            raise StoreError(msg, hint="check the disk, or start a new store file") from exc

    def cached_page(self, repo: str, key: str) -> CachedPage | None:
        row = self._db.execute(
            "SELECT etag, total_count, has_next FROM pages WHERE repo=? AND url=?", (repo, key)
        ).fetchone()
        return None if row is None else CachedPage(row[0], row[1], bool(row[2]))

    def _page(self, db: sqlite3.Connection, repo: str, key: str, page: Page[Any]) -> None:
        db.execute(
            "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)",
            (repo, key, page.etag, page.total_count, int(page.has_next)),
        )

    def save_page_etag(
        self, repo: str, key: str, etag: str | None, total_count: int | None, *, has_next: bool
    ) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)",
                (repo, key, etag, total_count, int(has_next)),
            )

    def save_runs(self, repo: str, key: str, page: Page[RunRecord]) -> int:
        changed = 0
        with self._transaction() as db:
            for r in page.items:
                old = db.execute(
                    "SELECT updated_at, run_attempt FROM runs WHERE repo=? AND id=?", (repo, r.id)
                ).fetchone()
                if old is not None and (old[0], old[1]) == (r.updated_at, r.run_attempt):
                    continue
                changed += 1
                db.execute(
                    "INSERT INTO runs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,NULL) "
                    "ON CONFLICT (repo, id) DO UPDATE SET status=excluded.status, "
                    "conclusion=excluded.conclusion, run_attempt=excluded.run_attempt, "
                    "updated_at=excluded.updated_at, run_started_at=excluded.run_started_at",
                    (
                        repo,
                        r.id,
                        r.workflow_id,
                        r.workflow,
                        r.head_branch,
                        r.head_sha,
                        r.event,
                        r.status,
                        r.conclusion,
                        r.run_attempt,
                        r.created_at,
                        r.updated_at,
                        r.run_started_at,
                    ),
                )
                db.execute(
                    "INSERT OR REPLACE INTO attempts VALUES (?,?,?,?,?,?,?)",
                    (
                        repo,
                        r.id,
                        r.run_attempt,
                        r.status,
                        r.conclusion,
                        r.run_started_at,
                        r.updated_at,
                    ),
                )
            self._page(db, repo, key, page)
        return changed

    def save_jobs(
        self, repo: str, key: str, run_id: int, page: Page[JobRecord], *, last: bool
    ) -> None:
        with self._transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO jobs VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        repo,
                        j.id,
                        j.run_id or run_id,
                        j.run_attempt,
                        j.name,
                        j.status,
                        j.conclusion,
                        j.created_at,
                        j.started_at,
                        j.completed_at,
                        j.head_sha,
                    )
                    for j in page.items
                ],
            )
            if not page.not_modified:
                self._page(db, repo, key, page)
            if last:
                db.execute(
                    "UPDATE runs SET jobs_synced_at = updated_at WHERE repo=? AND id=?",
                    (repo, run_id),
                )

    def save_deployments(self, repo: str, key: str, page: Page[DeploymentRecord]) -> None:
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO deployments (repo, id, sha, ref, environment, created_at, tool) "
                "VALUES (?,?,?,?,?,?,?) ON CONFLICT (repo, id) DO UPDATE SET tool=excluded.tool",
                [
                    (repo, d.id, d.sha, d.ref, d.environment, d.created_at, d.tool)
                    for d in page.items
                ],
            )
            self._page(db, repo, key, page)

    def save_statuses(
        self,
        repo: str,
        key: str,
        deployment_id: int,
        page: Page[DeploymentStatusRecord],
        *,
        last: bool,
    ) -> None:
        with self._transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO deployment_statuses VALUES (?,?,?,?,?)",
                [(repo, s.id, deployment_id, s.state, s.created_at) for s in page.items],
            )
            if not page.not_modified:
                self._page(db, repo, key, page)
            if last:
                db.execute(_MARK_FINAL, (repo, deployment_id, *FINAL_STATES, repo, deployment_id))

    def runs_needing_jobs(self, repo: str) -> list[int]:
        rows = self._db.execute(
            "SELECT id FROM runs WHERE repo=? AND status='completed' AND "
            "(jobs_synced_at IS NULL OR jobs_synced_at != updated_at) ORDER BY created_at",
            (repo,),
        )
        return [row[0] for row in rows]

    def deployments_needing_statuses(self, repo: str, since: datetime) -> list[int]:
        rows = self._db.execute(
            "SELECT id FROM deployments WHERE repo=? AND (statuses_final=0 OR created_at>=?) "
            "ORDER BY created_at",
            (repo, _ts(since)),
        )
        return [row[0] for row in rows]

    def complete_windows(self, repo: str) -> list[tuple[datetime, datetime]]:
        rows = self._db.execute(
            "SELECT start, end FROM windows WHERE repo=? ORDER BY start", (repo,)
        )
        return [(_must(a), _must(b)) for a, b in rows]

    def mark_window_complete(self, repo: str, start: datetime, end: datetime) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR IGNORE INTO windows VALUES (?,?,?)", (repo, _ts(start), _ts(end)))

    def state(self, repo: str) -> SyncState:
        row = self._db.execute(
            "SELECT high_water_mark, default_branch, last_sync_at FROM sync_state WHERE repo=?",
            (repo,),
        ).fetchone()
        if row is None:
            return SyncState()
        return SyncState(_dt(row[0]), row[1], _dt(row[2]))

    def save_state(self, repo: str, state: SyncState) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO sync_state VALUES (?,?,?,?)",
                (repo, _ts(state.high_water_mark), state.default_branch, _ts(state.last_sync_at)),
            )

    def history(self, repo: str, since: datetime, jobs_since: datetime | None = None) -> History:
        return load_history(self._db, repo, since, jobs_since)

    def close(self) -> None:
        self._db.close()
