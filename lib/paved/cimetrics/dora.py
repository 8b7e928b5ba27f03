"""DORA's four keys from deployments, as a configurable source defines them.

A deployment attempt is a DeployEvent; only successful ones are deployments. Lead time uses
the first time a commit showed up on the deploy branch (its first run), so with squash merges
it starts at the merge: the squash commit is made then, and the pull request's own commits
never reach the branch.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from paved.adapters.github.interface import PAVED_TOOL
from paved.cimetrics.dora_benchmarks import Metric, judge
from paved.cimetrics.pipeline import FAILED, SUCCESS
from paved.cimetrics.stats import Distribution, distribution, rate

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import datetime

    from paved.adapters.github.interface import (
        DeploymentRecord,
        DeploymentStatusRecord,
        JobRecord,
        RunRecord,
    )

_HOUR = 3600.0
_FINAL = frozenset({"success", "failure", "error"})


class DeployEvent(NamedTuple):
    """One deployment attempt: when it finished, what it shipped, whether it worked.

    A NamedTuple like the records: a deploy workflow that runs on every push makes tens of
    thousands of these, and a frozen dataclass is several times dearer to build.
    """

    at: float
    """UTC epoch seconds, like the records it comes from."""
    sha: str
    ok: bool
    restored_after: float | None = None
    """A failed attempt that restored service itself (a rollback): seconds until it had."""


def workflow_events(
    runs: Sequence[RunRecord],
    jobs: Sequence[JobRecord],
    *,
    workflows: Sequence[str],
    job_names: Sequence[str],
    branch: str,
) -> list[DeployEvent]:
    """Runs (or, when job names are given, jobs) of the deploy workflows on the branch."""
    chosen = {r.id: r for r in runs if r.head_branch == branch and _named(r, workflows)}
    events: list[DeployEvent] = []
    if job_names:
        for job in jobs:
            run = chosen.get(job.run_id)
            if run is None or job.name not in job_names or job.completed_at is None:
                continue
            if job.conclusion == SUCCESS or job.conclusion in FAILED:
                events.append(
                    DeployEvent(job.completed_at, run.head_sha, job.conclusion == SUCCESS)
                )
    else:
        events.extend(
            DeployEvent(r.updated_at, r.head_sha, r.conclusion == SUCCESS)
            for r in chosen.values()
            if r.status == "completed" and (r.conclusion == SUCCESS or r.conclusion in FAILED)
        )
    return sorted(events, key=lambda e: e.at)


def _named(run: RunRecord, workflows: Sequence[str]) -> bool:
    return not workflows or run.workflow in workflows


def environment_events(
    deployments: Sequence[DeploymentRecord], statuses: Sequence[DeploymentStatusRecord]
) -> list[DeployEvent]:
    """Each deployment judged by its first final status (success, failure or error).

    A job that names a GitHub environment gets a deployment GitHub makes itself; when paved's
    deploy-strategy ran in that job, its own deployment of the same commit and environment is
    the record of the rollout (its real outcome), so the other one is not counted again.
    """
    ours = {(d.sha, d.environment) for d in deployments if d.tool == PAVED_TOOL}
    deployments = [
        d for d in deployments if d.tool == PAVED_TOOL or (d.sha, d.environment) not in ours
    ]
    first_final: dict[int, DeploymentStatusRecord] = {}
    for status in sorted(statuses, key=lambda s: (s.created_at, s.id)):
        if status.state in _FINAL and status.deployment_id not in first_final:
            first_final[status.deployment_id] = status
    events = [
        DeployEvent(first_final[d.id].created_at, d.sha, first_final[d.id].state == "success")
        for d in deployments
        if d.id in first_final
    ]
    return sorted(events, key=lambda e: e.at)


@dataclass(frozen=True)
class DoraMetrics:
    """The four keys over one window, each judged against one benchmark table."""

    source: str
    days: int
    attempts: int
    deployments: int
    failed: int
    per_day: float
    change_failure_rate: float | None
    lead_time: Distribution
    recovery: Distribution
    failing_now: bool
    benchmark: str
    tiers: dict[str, str | None] = field(default_factory=dict)


def dora_metrics(
    events: Sequence[DeployEvent],
    runs: Sequence[RunRecord],
    *,
    branch: str,
    start: datetime,
    end: datetime,
    benchmark: str,
    source: str,
    committed: Mapping[str, float] | None = None,
) -> DoraMetrics:
    """Deployment frequency, lead time, change failure rate and recovery time in [start, end).

    Lead time counts from the first run of a commit on the branch, or, given `committed`
    (deploy records), from the commit's own time."""
    days = max(1, round((end - start).total_seconds() / 86400))
    first, last = start.timestamp(), end.timestamp()
    inside = [e for e in events if first <= e.at < last]
    good = [e for e in inside if e.ok]
    recoveries, failing = _recoveries(inside)
    seen = _first_seen(runs, branch) if committed is None else dict(committed)
    leads = _lead_times(events, seen, first, last)
    cfr = rate(len(inside) - len(good), len(inside))
    lead = distribution(leads)
    recovery = distribution(recoveries)
    per_day = len(good) / days
    tiers = {
        Metric.DEPLOYMENT_FREQUENCY.value: judge(benchmark, Metric.DEPLOYMENT_FREQUENCY, per_day)
        if inside
        else None,
        Metric.LEAD_TIME.value: judge(benchmark, Metric.LEAD_TIME, _hours(lead.p50)),
        Metric.CHANGE_FAILURE_RATE.value: judge(benchmark, Metric.CHANGE_FAILURE_RATE, cfr),
        Metric.RECOVERY_TIME.value: judge(benchmark, Metric.RECOVERY_TIME, _hours(recovery.p50)),
    }
    return DoraMetrics(
        source=source,
        days=days,
        attempts=len(inside),
        deployments=len(good),
        failed=len(inside) - len(good),
        per_day=per_day,
        change_failure_rate=cfr,
        lead_time=lead,
        recovery=recovery,
        failing_now=failing,
        benchmark=benchmark,
        tiers=tiers,
    )


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / _HOUR


def _recoveries(events: Sequence[DeployEvent]) -> tuple[list[float], bool]:
    """From the first failed attempt to the next successful one (a rollback: its own restore
    time); and whether still failing."""
    periods: list[float] = []
    failed_since: float | None = None
    for event in events:
        if not event.ok and event.restored_after is not None:
            if failed_since is None:
                periods.append(event.restored_after)
        elif not event.ok and failed_since is None:
            failed_since = event.at
        elif event.ok and failed_since is not None:
            periods.append(event.at - failed_since)
            failed_since = None
    return periods, failed_since is not None


def _first_seen(runs: Sequence[RunRecord], branch: str) -> dict[str, float]:
    """Each commit's first run on the branch."""
    first_seen: dict[str, float] = {}
    for run in runs:
        if run.head_branch == branch and (
            run.head_sha not in first_seen or run.created_at < first_seen[run.head_sha]
        ):
            first_seen[run.head_sha] = run.created_at
    return first_seen


def _lead_times(
    events: Sequence[DeployEvent], first_seen: Mapping[str, float], start: float, end: float
) -> list[float]:
    """Per change: deployment time - first time its commit was seen.

    A deployment ships its own commit and every commit first seen after the commit of the
    deployment before it.
    """
    times = sorted(first_seen.values())
    leads: list[float] = []
    shipped_until: float | None = None
    for event in (e for e in events if e.ok):
        seen = first_seen.get(event.sha)
        if seen is None:
            continue
        low = 0 if shipped_until is None else bisect.bisect_right(times, shipped_until)
        batch = times[low : bisect.bisect_right(times, seen)]
        if start <= event.at < end:
            leads.extend(max(0.0, event.at - when) for when in batch)
        shipped_until = seen if shipped_until is None else max(seen, shipped_until)
    return leads
