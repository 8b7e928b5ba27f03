"""ci-metrics: sync (when asked) then compute the metrics from the store. Knows interfaces only."""

from __future__ import annotations

import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from paved.cimetrics import pipeline
from paved.cimetrics.dora import DoraMetrics, dora_metrics, environment_events, workflow_events
from paved.cimetrics.options import CiMetricsOptions, DeploySource, validate
from paved.cimetrics.outcome import CiMetricsOutcome, WorkflowMetrics
from paved.cimetrics.records import record_events
from paved.cimetrics.stats import distribution
from paved.cimetrics.sync import Syncer, SyncReport

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from paved.adapters.deployrecords import DeployRecordReader
    from paved.adapters.github.interface import GitHubClient, RunRecord
    from paved.adapters.store.interface import History, MetricsStore

_BRANCHES_SHOWN = 20


def collect_metrics(
    options: CiMetricsOptions,
    client: GitHubClient | None,
    store: MetricsStore,
    records: DeployRecordReader | None = None,
) -> CiMetricsOutcome:
    """Sync the repository into the store (unless options.sync is off), then measure it;
    deploy-source records takes the deployments from `records`."""
    validate(options)
    if options.source() is DeploySource.RECORDS:
        if records is None:
            msg = "deploy-source records needs a DeployRecordReader"
            raise ValueError(msg)
        options = replace(options, records=tuple(records.records()))
    if options.sync and client is not None:
        report, branch = Syncer(options, client, store).run()
    else:
        report, branch = SyncReport(), store.state(options.repository).default_branch
    with _collector_paused():
        return _load_and_measure(options, store, branch, report)


def _load_and_measure(
    options: CiMetricsOptions, store: MetricsStore, default_branch: str | None, report: SyncReport
) -> CiMetricsOutcome:
    start = options.now - timedelta(days=2 * options.days)
    # Jobs only matter in the reporting window; runs of the window before feed the trend.
    jobs_since = options.now - timedelta(days=options.days)
    history = store.history(options.repository, start, jobs_since)
    return measure(options, history, default_branch, report)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold the cycle collector off while a history is loaded, measured and let go.

    Records are NamedTuples, which the collector never stops tracking: with 200,000 of them
    alive, each collection the load and the metrics set off walks them all (a fifth of the
    time, see benchmarks/ci_metrics.py). The history is freed by reference counting as
    `_load_and_measure` returns, before the collector runs again; it has no cycles to find.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def measure(
    options: CiMetricsOptions, history: History, default_branch: str | None, report: SyncReport
) -> CiMetricsOutcome:
    """Every metric over the window ending at options.now, and the window before it."""
    end = options.now
    start = end - timedelta(days=options.days)
    before = start - timedelta(days=options.days)
    runs = [r for r in history.runs if _wanted(r, options.workflows)]
    # Record times are epoch seconds: compare them with the window's once-converted bounds.
    low, middle, high = before.timestamp(), start.timestamp(), end.timestamp()
    current = [r for r in runs if middle <= r.created_at < high]
    previous = [r for r in runs if low <= r.created_at < middle]
    by_id = {r.id: r for r in current}
    jobs = [j for j in history.jobs if j.run_id in by_id]
    workflow_of = {r.id: r.workflow for r in current}
    # Each run's duration and each job's queue time, worked out once for every grouping below.
    seconds = {r.id: pipeline.run_seconds(r) for r in runs}
    queues = {j.id: pipeline.queue_seconds(j) for j in jobs}
    return CiMetricsOutcome(
        repository=options.repository,
        collected_at=options.now,
        window_start=start,
        window_end=end,
        days=options.days,
        default_branch=default_branch,
        overall=pipeline.run_stats(current, seconds),
        previous=pipeline.run_stats(previous, seconds),
        queue=distribution([q for q in queues.values() if q is not None]),
        workflows=_workflows(current, previous, seconds),
        branches=_branches(current, seconds),
        jobs=tuple(pipeline.job_stats(jobs, workflow_of, queues)),
        flaky=tuple(pipeline.flaky_jobs(jobs, by_id)),
        time_to_green=pipeline.time_to_green(current, default_branch) if default_branch else None,
        dora=_dora(options, history, default_branch),
        sync=report,
        daily=tuple(pipeline.daily(current, seconds)),
    )


def _wanted(run: RunRecord, workflows: Sequence[str]) -> bool:
    return not workflows or run.workflow in workflows


def _workflows(
    current: Sequence[RunRecord], previous: Sequence[RunRecord], seconds: Mapping[int, float]
) -> tuple[WorkflowMetrics, ...]:
    now: dict[str, list[RunRecord]] = defaultdict(list)
    then: dict[str, list[RunRecord]] = defaultdict(list)
    for run in current:
        now[run.workflow].append(run)
    for run in previous:
        then[run.workflow].append(run)
    return tuple(
        WorkflowMetrics(
            name=name,
            current=pipeline.run_stats(now[name], seconds),
            previous=pipeline.run_stats(then[name], seconds),
            daily=tuple(pipeline.daily(now[name], seconds)),
            durations_by_result=pipeline.durations_by_result(now[name], seconds),
        )
        for name in sorted(set(now) | set(then))
    )


def _branches(
    current: Sequence[RunRecord], seconds: Mapping[int, float]
) -> tuple[tuple[str, pipeline.RunStats], ...]:
    groups: dict[str, list[RunRecord]] = defaultdict(list)
    for run in current:
        groups[run.head_branch].append(run)
    busiest = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    shown = busiest[:_BRANCHES_SHOWN]
    return tuple((name, pipeline.run_stats(members, seconds)) for name, members in shown)


def _dora(
    options: CiMetricsOptions, history: History, default_branch: str | None
) -> DoraMetrics | None:
    source = options.source()
    branch = options.deploy_branch or default_branch or "main"
    committed = None
    if source is DeploySource.WORKFLOW:
        events = workflow_events(
            history.runs,
            history.jobs,
            workflows=options.deploy_workflows,
            job_names=options.deploy_jobs,
            branch=branch,
        )
    elif source is DeploySource.ENVIRONMENT:
        events = environment_events(history.deployments, history.statuses)
    elif source is DeploySource.RECORDS:
        events, committed = record_events(options.records, options.deploy_environment)
    else:
        return None
    return dora_metrics(
        events,
        history.runs,
        branch=branch,
        start=options.now - timedelta(days=options.days),
        end=options.now,
        benchmark=options.benchmark,
        source=source.value,
        committed=committed,
    )
