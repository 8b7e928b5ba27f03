"""What a ci-metrics run produced: the sync's cost and the metrics over the window."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from paved.model import Result

if TYPE_CHECKING:
    from datetime import datetime

    from paved.cimetrics.dora import DoraMetrics
    from paved.cimetrics.pipeline import DailyPoint, FlakyJob, JobStats, RunStats, TimeToGreen
    from paved.cimetrics.stats import Distribution
    from paved.cimetrics.sync import SyncReport


@dataclass(frozen=True)
class WorkflowMetrics:
    """One workflow's figures: this window, the one before, and day by day."""

    name: str
    current: RunStats
    previous: RunStats
    daily: tuple[DailyPoint, ...]
    durations_by_result: dict[str, Distribution]
    """Durations keyed by OpenTelemetry's cicd.pipeline.result value."""


@dataclass(frozen=True)
class CiMetricsOutcome:
    """Everything ci-metrics reports for one repository."""

    repository: str
    collected_at: datetime
    window_start: datetime
    window_end: datetime
    days: int
    default_branch: str | None
    overall: RunStats
    previous: RunStats
    queue: Distribution
    workflows: tuple[WorkflowMetrics, ...]
    branches: tuple[tuple[str, RunStats], ...]
    jobs: tuple[JobStats, ...]
    flaky: tuple[FlakyJob, ...]
    time_to_green: TimeToGreen | None
    dora: DoraMetrics | None
    sync: SyncReport
    daily: tuple[DailyPoint, ...]

    @property
    def result(self) -> Result:
        """Metrics are a report, not a gate: a run that produced them passed."""
        return Result.PASSED
