"""Pipeline metrics: outcomes, durations, queue times, reruns, flaky jobs, time to green.

Every definition here is written out in docs/readme-ci-metrics.md; the unit tests check them
on histories small enough to compute by hand.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from paved.cimetrics.stats import Distribution, distribution, rate

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from paved.adapters.github.interface import JobRecord, RunRecord

SUCCESS = "success"
SET_APART = frozenset({"cancelled", "skipped"})
"""Conclusions shown on their own and left out of the success rate and the durations."""
FAILED = frozenset({"failure", "timed_out", "startup_failure"})
OTEL_RESULTS = {
    "success": "success",
    "failure": "failure",
    "timed_out": "timeout",
    "cancelled": "cancellation",
    "skipped": "skip",
}
"""GitHub conclusions as OpenTelemetry's cicd.pipeline.result values; any other is `error`."""
_DAY = 86400.0
_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class RunStats:
    """Outcome and duration figures of a set of runs."""

    total: int
    completed: int
    by_conclusion: dict[str, int]
    success: int
    decided: int
    """Completed runs that were neither cancelled nor skipped: the success rate's base."""
    success_rate: float | None
    cancelled_rate: float | None
    skipped_rate: float | None
    duration: Distribution
    reruns: int
    rerun_rate: float | None

    @property
    def failed(self) -> int:
        """Decided runs that did not succeed."""
        return self.decided - self.success


def run_seconds(run: RunRecord) -> float:
    """Wall-clock time of the run's latest attempt: updated_at - run_started_at."""
    started = run.created_at if run.run_started_at is None else run.run_started_at
    return max(0.0, run.updated_at - started)


def run_stats(runs: Sequence[RunRecord], seconds: Mapping[int, float] | None = None) -> RunStats:
    """Counts, rates and the duration distribution of `runs` (`seconds`: known durations)."""
    # Called for every workflow, branch and day: as few passes as the figures allow.
    completed = [r for r in runs if r.status == "completed"]
    conclusions = Counter([r.conclusion or "none" for r in completed])
    durations = (
        [seconds[r.id] for r in completed if r.conclusion not in SET_APART]
        if seconds
        else [run_seconds(r) for r in completed if r.conclusion not in SET_APART]
    )
    decided = len(durations)
    success = conclusions.get(SUCCESS, 0)
    reruns = len([r for r in completed if r.run_attempt > 1])
    return RunStats(
        total=len(runs),
        completed=len(completed),
        by_conclusion=dict(sorted(conclusions.items())),
        success=success,
        decided=decided,
        success_rate=rate(success, decided),
        cancelled_rate=rate(conclusions.get("cancelled", 0), len(completed)),
        skipped_rate=rate(conclusions.get("skipped", 0), len(completed)),
        duration=distribution(durations),
        reruns=reruns,
        rerun_rate=rate(reruns, len(completed)),
    )


def durations_by_result(
    runs: Sequence[RunRecord], seconds: Mapping[int, float] | None = None
) -> dict[str, Distribution]:
    """Run durations of completed, not skipped runs, grouped by OTel pipeline result."""
    groups: dict[str, list[float]] = defaultdict(list)
    for run in runs:
        if run.status == "completed" and run.conclusion != "skipped":
            took = seconds[run.id] if seconds else run_seconds(run)
            groups[OTEL_RESULTS.get(run.conclusion or "", "error")].append(took)
    return {result: distribution(values) for result, values in sorted(groups.items())}


@dataclass(frozen=True)
class JobStats:
    """Figures of one job (a workflow's job name) over every attempt."""

    workflow: str
    name: str
    executions: int
    success_rate: float | None
    duration: Distribution
    queue: Distribution


def queue_seconds(job: JobRecord) -> float | None:
    """started_at - created_at: how long the job waited for a runner."""
    if job.started_at is None or job.created_at is None or job.conclusion == "skipped":
        return None
    return max(0.0, job.started_at - job.created_at)


def job_seconds(job: JobRecord) -> float | None:
    """completed_at - started_at of a job that ran to a verdict."""
    if job.started_at is None or job.completed_at is None or job.conclusion in SET_APART:
        return None
    return max(0.0, job.completed_at - job.started_at)


def job_stats(
    jobs: Iterable[JobRecord],
    workflow_of: Mapping[int, str],
    queues: Mapping[int, float | None] | None = None,
) -> list[JobStats]:
    """Per-job figures, busiest first (`queues`: known queue_seconds by job id)."""
    groups: dict[tuple[str, str], list[JobRecord]] = defaultdict(list)
    for job in jobs:
        groups[(workflow_of.get(job.run_id, "?"), job.name)].append(job)
    found = []
    for (workflow, name), members in groups.items():
        done = [j for j in members if j.status == "completed"]
        decided = [j for j in done if j.conclusion not in SET_APART]
        wins = sum(1 for j in decided if j.conclusion == SUCCESS)
        found.append(
            JobStats(
                workflow=workflow,
                name=name,
                executions=len(done),
                success_rate=rate(wins, len(decided)),
                duration=distribution([s for j in done if (s := job_seconds(j)) is not None]),
                queue=distribution(
                    [q for j in done if (q := queue_seconds(j)) is not None]
                    if queues is None
                    else [q for j in done if (q := queues[j.id]) is not None]
                ),
            )
        )
    return sorted(found, key=lambda s: (-s.executions, s.workflow, s.name))


@dataclass(frozen=True)
class FlakyJob:
    """A job that failed and then passed on the same commit."""

    workflow: str
    name: str
    commits: tuple[str, ...]


def flaky_jobs(jobs: Iterable[JobRecord], runs: Mapping[int, RunRecord]) -> list[FlakyJob]:
    """Jobs with a failure followed, on the same commit, by a success (rerun or new run)."""
    done = [j for j in jobs if j.status == "completed" and j.run_id in runs]
    # Only a (workflow, job, commit) that failed somewhere can be flaky: find those first.
    failed = {
        (runs[j.run_id].workflow, j.name, runs[j.run_id].head_sha)
        for j in done
        if j.conclusion in FAILED
    }
    seen: dict[tuple[str, str, str], list[JobRecord]] = defaultdict(list)
    for job in done:
        run = runs[job.run_id]
        key = (run.workflow, job.name, run.head_sha)
        if key in failed:
            seen[key].append(job)
    flaky: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (workflow, name, sha), members in seen.items():
        members.sort(key=lambda j: (_finished(j, runs), j.id))
        failed_yet = False
        for job in members:
            if job.conclusion in FAILED:
                failed_yet = True
            elif job.conclusion == SUCCESS and failed_yet:
                flaky[(workflow, name)].append(sha)
                break
    return sorted(
        (FlakyJob(w, n, tuple(sorted(shas))) for (w, n), shas in flaky.items()),
        key=lambda f: (-len(f.commits), f.workflow, f.name),
    )


def _finished(job: JobRecord, runs: Mapping[int, RunRecord]) -> float:
    """When the job ended, or the best stand-in the record has."""
    if job.completed_at is not None:
        return job.completed_at
    return runs[job.run_id].created_at if job.started_at is None else job.started_at


@dataclass(frozen=True)
class TimeToGreen:
    """How long the default branch stayed red, per workflow, before a run passed again."""

    branch: str
    red_periods: int
    duration: Distribution
    red_now: tuple[str, ...] = field(default=())
    """Workflows whose latest decided run on the branch failed."""


def time_to_green(runs: Sequence[RunRecord], branch: str) -> TimeToGreen:
    """From a failed run's completion to the next successful run's completion, per workflow."""
    by_workflow: dict[str, list[RunRecord]] = defaultdict(list)
    for run in runs:
        decided = run.conclusion in FAILED or run.conclusion == SUCCESS
        if run.head_branch == branch and run.status == "completed" and decided:
            by_workflow[run.workflow].append(run)
    periods: list[float] = []
    red_now: list[str] = []
    for workflow, members in sorted(by_workflow.items()):
        members.sort(key=lambda r: (r.created_at, r.id))
        red_since = None
        for run in members:
            if run.conclusion in FAILED and red_since is None:
                red_since = run.updated_at
            elif run.conclusion == SUCCESS and red_since is not None:
                periods.append(max(0.0, run.updated_at - red_since))
                red_since = None
        if red_since is not None:
            red_now.append(workflow)
    return TimeToGreen(branch, len(periods), distribution(periods), tuple(red_now))


@dataclass(frozen=True)
class DailyPoint:
    """One UTC day of the trend."""

    date: str
    stats: RunStats


def daily(
    runs: Sequence[RunRecord], seconds: Mapping[int, float] | None = None
) -> list[DailyPoint]:
    """Run figures per UTC day of creation, oldest first."""
    # Grouped by days since the epoch (UTC days are 86,400 epoch seconds each, POSIX time has no
    # leap seconds); only the few keys found are turned into dates.
    days: dict[float, list[RunRecord]] = defaultdict(list)
    for run in runs:
        days[run.created_at // _DAY].append(run)
    return [
        DailyPoint((_EPOCH + timedelta(days=day)).isoformat(), run_stats(members, seconds))
        for day, members in sorted(days.items())
    ]
