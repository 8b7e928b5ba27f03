"""One sync: list runs window by window, then jobs of changed runs, then deployments.

Every page is saved with its ETag in one store transaction as soon as it arrives, so a sync
stopped anywhere (budget, network, a kill) resumes by asking again: pages it already has
answer 304, which GitHub does not count against the rate limit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from paved import log
from paved.adapters.github.interface import PER_PAGE, RESULT_CAP, BudgetExhaustedError
from paved.adapters.store.interface import SyncState
from paved.cimetrics.options import DeploySource
from paved.cimetrics.windows import Window, plan

if TYPE_CHECKING:
    from datetime import datetime

    from paved.adapters.github.interface import GitHubClient, Page
    from paved.adapters.store.interface import CachedPage, MetricsStore
    from paved.cimetrics.options import CiMetricsOptions

_MAX_PAGES = RESULT_CAP // PER_PAGE


@dataclass
class SyncReport:
    """What a sync did and what it cost."""

    synced: bool = False
    complete: bool = True
    stopped_because: str | None = None
    requests: int = 0
    not_modified: int = 0
    retries: int = 0
    waited_seconds: float = 0.0
    rate_remaining: int | None = None
    windows_listed: int = 0
    windows_split: int = 0
    runs_changed: int = 0
    runs_jobs_fetched: int = 0
    high_water_mark: datetime | None = None


class Syncer:
    """Runs one sync of one repository into the store."""

    def __init__(
        self, options: CiMetricsOptions, client: GitHubClient, store: MetricsStore
    ) -> None:
        self.options = options
        self.repo = options.repository
        self.client = client
        self.store = store
        self.report = SyncReport(synced=True)

    def run(self) -> tuple[SyncReport, str | None]:
        """Sync; a used-up budget stops it cleanly with complete=False."""
        state = self.store.state(self.repo)
        branch = state.default_branch
        try:
            branch = self._default_branch(state)
            self._runs(branch)
            if self.options.fetch_jobs:
                self._jobs()
            if self.options.source() is DeploySource.ENVIRONMENT:
                self._deployments()
        except BudgetExhaustedError as stop:
            self.report.complete = False
            self.report.stopped_because = str(stop)
            log.warning(f"sync stopped early: {stop}")
        tally = self.client.tally
        self.report.requests = tally.counted
        self.report.not_modified = tally.not_modified
        self.report.retries = tally.retries
        self.report.waited_seconds = tally.waited_seconds
        self.report.rate_remaining = tally.rate_remaining
        self.report.high_water_mark = self.store.state(self.repo).high_water_mark
        return self.report, branch

    def _default_branch(self, state: SyncState) -> str:
        key = "repository"
        cached = self.store.cached_page(self.repo, key)
        page = self.client.repository(self.repo, cached.etag if cached else None)
        if page.not_modified and state.default_branch:
            return state.default_branch
        if page.not_modified:  # an ETag without a state: ask again, unconditionally
            page = self.client.repository(self.repo, None)
        branch = page.items[0].default_branch
        self.store.save_state(
            self.repo,
            SyncState(state.high_water_mark, branch, state.last_sync_at),
        )
        self.store.save_page_etag(self.repo, key, page.etag, None, has_next=False)
        return branch

    def _runs(self, branch: str) -> None:
        since = self.options.now - timedelta(days=2 * self.options.days)
        complete = self.store.complete_windows(self.repo)
        sync_plan = plan(self.options.now, since, self.options.rescan_days, complete)
        windows = [*sync_plan.history, sync_plan.rescan]
        for number, window in enumerate(windows, start=1):
            log.progress(number - 1, len(windows), "listing runs")
            self._list(window, history=window != sync_plan.rescan)
        log.progress(len(windows), len(windows), "listing runs")
        self.store.save_state(
            self.repo,
            SyncState(sync_plan.high_water_mark, branch, self.options.now),
        )

    def _list(self, window: Window, *, history: bool) -> None:
        pending = [window]
        while pending:
            current = pending.pop(0)
            first = self._runs_page(current, 1)
            total = first or 0
            halves = current.halves() if total >= RESULT_CAP else None
            if halves is not None:
                log.debug(f"{current.query()} holds {total} runs: splitting it")
                self.report.windows_split += 1
                pending[0:0] = halves
                continue
            for number in range(2, min(_MAX_PAGES, math.ceil(total / PER_PAGE)) + 1):
                self._runs_page(current, number)
            self.report.windows_listed += 1
            if history:
                self.store.mark_window_complete(self.repo, current.start, current.end)

    def _runs_page(self, window: Window, number: int) -> int | None:
        key = f"runs?created={window.query()}&page={number}"
        cached = self.store.cached_page(self.repo, key)
        page = self.client.runs_page(
            self.repo, window.query(), number, cached.etag if cached else None
        )
        if page.not_modified and cached is not None:
            return cached.total_count
        self.report.runs_changed += self.store.save_runs(self.repo, key, page)
        return page.total_count

    def _jobs(self) -> None:
        needed = self.store.runs_needing_jobs(self.repo)
        for done, run_id in enumerate(needed):
            log.progress(done, len(needed), "fetching jobs")
            self._job_pages(run_id)
            self.report.runs_jobs_fetched += 1
        log.progress(len(needed), len(needed), "fetching jobs")

    def _deployments(self) -> None:
        environment = self.options.deploy_environment
        since = (self.options.now - timedelta(days=2 * self.options.days)).timestamp()
        number = 1
        while True:
            key = f"deployments?environment={environment}&page={number}"
            cached = self.store.cached_page(self.repo, key)
            page = self.client.deployments_page(
                self.repo, environment, number, cached.etag if cached else None
            )
            if page.not_modified:
                break  # nothing new on this page, so nothing new after it either
            self.store.save_deployments(self.repo, key, page)
            if not page.has_next or any(d.created_at < since for d in page.items):
                break
            number += 1
        rescan = self.options.now - timedelta(days=self.options.rescan_days + 1)
        needed = self.store.deployments_needing_statuses(self.repo, rescan)
        for done, deployment_id in enumerate(needed):
            log.progress(done, len(needed), "fetching deployment statuses")
            self._status_pages(deployment_id)

    def _job_pages(self, run_id: int) -> None:
        number = 1
        while True:
            key = f"jobs/{run_id}?page={number}"
            cached = self.store.cached_page(self.repo, key)
            page = self.client.jobs_page(self.repo, run_id, number, cached.etag if cached else None)
            more = _more(page, cached)
            self.store.save_jobs(self.repo, key, run_id, page, last=not more)
            if not more:
                return
            number += 1

    def _status_pages(self, deployment_id: int) -> None:
        number = 1
        while True:
            key = f"statuses/{deployment_id}?page={number}"
            cached = self.store.cached_page(self.repo, key)
            etag = cached.etag if cached else None
            page = self.client.statuses_page(self.repo, deployment_id, number, etag)
            more = _more(page, cached)
            self.store.save_statuses(self.repo, key, deployment_id, page, last=not more)
            if not more:
                return
            number += 1


def _more(page: Page[Any], cached: CachedPage | None) -> bool:
    """Whether a later page exists: a 304 means the same as when the page was saved."""
    return cached.has_next if page.not_modified and cached else page.has_next
