"""The metrics store: what a sync fetched, the ETags and windows that make the next one cheap.

Every save_* call is one transaction: the items of a page and the ETag that stands for them are
written together, so an interrupted sync loses nothing it was told was saved and a rerun never
duplicates a row (records are keyed by their GitHub id).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING

from paved.errors import EnvironmentProblemError

if TYPE_CHECKING:
    from datetime import datetime

    from paved.adapters.github.interface import (
        DeploymentRecord,
        DeploymentStatusRecord,
        JobRecord,
        Page,
        RunRecord,
    )


class StoreError(EnvironmentProblemError):
    """The store file cannot be opened, read or written."""


@dataclass(frozen=True)
class CachedPage:
    """What the store remembers of a list page it saved: enough to plan without its body."""

    etag: str | None
    total_count: int | None
    has_next: bool


@dataclass(frozen=True)
class SyncState:
    """Per-repository sync state."""

    high_water_mark: datetime | None = None
    """Every run created before this has been fetched (later windows are re-scanned)."""
    default_branch: str | None = None
    last_sync_at: datetime | None = None


@dataclass(frozen=True)
class History:
    """Everything stored for a repository from `since` on, for the metrics."""

    runs: tuple[RunRecord, ...]
    jobs: tuple[JobRecord, ...]
    deployments: tuple[DeploymentRecord, ...]
    statuses: tuple[DeploymentStatusRecord, ...]


class MetricsStore(ABC):
    """Where synced history lives between runs."""

    @abstractmethod
    def cached_page(self, repo: str, key: str) -> CachedPage | None:
        """The stored ETag and counts of the page saved under `key`, or None."""

    @abstractmethod
    def save_runs(self, repo: str, key: str, page: Page[RunRecord]) -> int:
        """Upsert a runs page and its ETag; return how many runs were new or changed."""

    @abstractmethod
    def save_jobs(
        self, repo: str, key: str, run_id: int, page: Page[JobRecord], *, last: bool
    ) -> None:
        """Upsert a jobs page; on the last page, mark the run's jobs as synced."""

    @abstractmethod
    def save_deployments(self, repo: str, key: str, page: Page[DeploymentRecord]) -> None:
        """Upsert a deployments page and its ETag."""

    @abstractmethod
    def save_statuses(
        self,
        repo: str,
        key: str,
        deployment_id: int,
        page: Page[DeploymentStatusRecord],
        *,
        last: bool,
    ) -> None:
        """Upsert a page of a deployment's statuses."""

    @abstractmethod
    def save_page_etag(
        self, repo: str, key: str, etag: str | None, total_count: int | None, *, has_next: bool
    ) -> None:
        """Remember a page that carried nothing to store (the repository, say)."""

    @abstractmethod
    def runs_needing_jobs(self, repo: str) -> list[int]:
        """Completed runs whose jobs were not fetched since the run last changed, oldest first."""

    @abstractmethod
    def deployments_needing_statuses(self, repo: str, since: datetime) -> list[int]:
        """Deployments created after `since`, or never given a final status."""

    @abstractmethod
    def complete_windows(self, repo: str) -> list[tuple[datetime, datetime]]:
        """Created-date windows whose every page has been saved."""

    @abstractmethod
    def mark_window_complete(self, repo: str, start: datetime, end: datetime) -> None:
        """Record a window as complete."""

    @abstractmethod
    def state(self, repo: str) -> SyncState:
        """The repository's sync state (empty before the first sync)."""

    @abstractmethod
    def save_state(self, repo: str, state: SyncState) -> None:
        """Replace the repository's sync state."""

    @abstractmethod
    def history(self, repo: str, since: datetime, jobs_since: datetime | None = None) -> History:
        """Runs and deployments created from `since` on; jobs of runs from `jobs_since` on."""

    @abstractmethod
    def close(self) -> None:
        """Close the store."""
