"""ci-metrics as text: JSON (the seed's shape, extended), job summary with Mermaid, console."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.report import markdown as md
from paved.report.cimetrics_prometheus import prometheus
from paved.report.outcome_json import assemble

if TYPE_CHECKING:
    from datetime import datetime

    from paved.cimetrics.outcome import CiMetricsOutcome
    from paved.cimetrics.pipeline import DailyPoint, RunStats
    from paved.cimetrics.stats import Distribution
    from paved.model import Rendered

CAPABILITY = "ci-metrics"
_JOBS_SHOWN = 15
_FLAKY_SHOWN = 15


def render(outcome: CiMetricsOutcome) -> Rendered:
    """Everything a front end shows for one ci-metrics outcome."""
    return assemble(
        CAPABILITY,
        outcome.result,
        outcome_fields(outcome),
        summary=summary(outcome),
        console=console(outcome),
    )


def prometheus_text(outcome: CiMetricsOutcome) -> str:
    """The Prometheus text exposition of the outcome."""
    return prometheus(outcome)


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _dist(d: Distribution) -> dict[str, object]:
    return {
        "count": d.count,
        **{k: _r(getattr(d, k), 1) for k in ("p50", "p90", "p95", "max", "min", "mean")},
    }


def stats_fields(s: RunStats) -> dict[str, object]:
    """A RunStats block; the seed's current_metrics fields come first."""
    minutes = {
        k: _r(v / 60 if v is not None else None)
        for k, v in (("avg", s.duration.mean), ("min", s.duration.min), ("max", s.duration.max))
    }
    return {
        "total_runs": s.total,
        "successful_runs": s.success,
        "failed_runs": s.failed,
        "avg_duration_minutes": minutes["avg"],
        "success_rate_percent": _r(s.success_rate),
        "failure_rate_percent": _r(None if s.success_rate is None else 100 - s.success_rate),
        "min_duration_minutes": minutes["min"],
        "max_duration_minutes": minutes["max"],
        "completed_runs": s.completed,
        "decided_runs": s.decided,
        "by_conclusion": s.by_conclusion,
        "cancelled_percent": _r(s.cancelled_rate),
        "skipped_percent": _r(s.skipped_rate),
        "duration_seconds": _dist(s.duration),
        "reruns": s.reruns,
        "rerun_rate_percent": _r(s.rerun_rate),
    }


def _change(now: RunStats, then: RunStats) -> dict[str, object]:
    def delta(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None else _r(a - b)

    return {
        "total_runs": now.total - then.total,
        "success_rate_points": delta(now.success_rate, then.success_rate),
        "duration_p50_seconds": delta(now.duration.p50, then.duration.p50),
        "duration_p95_seconds": delta(now.duration.p95, then.duration.p95),
    }


def _daily(points: tuple[DailyPoint, ...]) -> list[dict[str, object]]:
    return [
        {
            "date": p.date,
            "total_runs": p.stats.total,
            "successful_runs": p.stats.success,
            "failed_runs": p.stats.failed,
            "success_rate_percent": _r(p.stats.success_rate),
            "duration_p50_seconds": _r(p.stats.duration.p50, 1),
        }
        for p in points
    ]


def outcome_fields(o: CiMetricsOutcome) -> dict[str, object]:
    """The JSON outcome's fields; top-level scalars are also the action's outputs."""
    dora = o.dora
    fields: dict[str, object] = {
        "result": o.result.value,
        "collected_at": _iso(o.collected_at),
        "repository": o.repository,
        "window_days": o.days,
        "total_runs": o.overall.total,
        "success_rate_percent": _r(o.overall.success_rate),
        "duration_p50_seconds": _r(o.overall.duration.p50, 1),
        "duration_p95_seconds": _r(o.overall.duration.p95, 1),
        "queue_p50_seconds": _r(o.queue.p50, 1),
        "rerun_rate_percent": _r(o.overall.rerun_rate),
        "flaky_jobs": len(o.flaky),
        "deployments": dora.deployments if dora else None,
        "deployments_per_day": _r(dora.per_day, 3) if dora else None,
        "lead_time_p50_hours": _r(_hours(dora.lead_time.p50)) if dora else None,
        "change_failure_rate_percent": _r(dora.change_failure_rate) if dora else None,
        "recovery_time_p50_hours": _r(_hours(dora.recovery.p50)) if dora else None,
        "sync_complete": o.sync.complete,
        "requests_used": o.sync.requests,
        "not_modified": o.sync.not_modified,
        "window_start": _iso(o.window_start),
        "window_end": _iso(o.window_end),
        "default_branch": o.default_branch,
    }
    fields["workflows"] = {
        w.name: {
            "current_metrics": stats_fields(w.current),
            "trend": {
                "daily": _daily(w.daily),
                "previous_window": stats_fields(w.previous),
                "change": _change(w.current, w.previous),
            },
        }
        for w in o.workflows
    }
    fields["pipeline"] = _pipeline(o)
    fields["dora"] = _dora(o)
    fields["sync"] = _sync(o)
    return fields


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 3600


def _pipeline(o: CiMetricsOutcome) -> dict[str, object]:
    ttg = o.time_to_green
    return {
        "current": stats_fields(o.overall),
        "previous_window": stats_fields(o.previous),
        "change": _change(o.overall, o.previous),
        "queue_seconds": _dist(o.queue),
        "daily": _daily(o.daily),
        "branches": {name: stats_fields(s) for name, s in o.branches},
        "jobs": [
            {
                "workflow": j.workflow,
                "job": j.name,
                "executions": j.executions,
                "success_rate_percent": _r(j.success_rate),
                "duration_seconds": _dist(j.duration),
                "queue_seconds": _dist(j.queue),
            }
            for j in o.jobs
        ],
        "flaky_jobs": [
            {"workflow": f.workflow, "job": f.name, "commits": list(f.commits)} for f in o.flaky
        ],
        "time_to_green": None
        if ttg is None
        else {
            "branch": ttg.branch,
            "red_periods": ttg.red_periods,
            "seconds": _dist(ttg.duration),
            "red_now": list(ttg.red_now),
        },
    }


def _dora(o: CiMetricsOutcome) -> dict[str, object]:
    d = o.dora
    if d is None:
        return {"source": "none"}
    return {
        "source": d.source,
        "benchmark": d.benchmark,
        "days": d.days,
        "deployment_attempts": d.attempts,
        "deployments": d.deployments,
        "failed_deployments": d.failed,
        "deployments_per_day": _r(d.per_day, 3),
        "deployments_per_week": _r(d.per_day * 7, 2),
        "lead_time_seconds": _dist(d.lead_time),
        "change_failure_rate_percent": _r(d.change_failure_rate),
        "recovery_time_seconds": _dist(d.recovery),
        "failing_now": d.failing_now,
        "tiers": d.tiers,
    }


def _sync(o: CiMetricsOutcome) -> dict[str, object]:
    s = o.sync
    return {
        "synced": s.synced,
        "complete": s.complete,
        "stopped_because": s.stopped_because,
        "requests": s.requests,
        "not_modified": s.not_modified,
        "retries": s.retries,
        "waited_seconds": _r(s.waited_seconds, 1),
        "rate_remaining": s.rate_remaining,
        "windows_listed": s.windows_listed,
        "windows_split": s.windows_split,
        "runs_changed": s.runs_changed,
        "runs_jobs_fetched": s.runs_jobs_fetched,
        "high_water_mark": _iso(s.high_water_mark),
    }


def summary(o: CiMetricsOutcome) -> str:
    """The job summary: tables and Mermaid charts (rendered by GitHub, no image service)."""
    from paved.report.cimetrics_summary import summary_markdown  # noqa: PLC0415 - split module

    return summary_markdown(o)


def console(o: CiMetricsOutcome) -> str:
    """A short plain-text report for a terminal."""
    s = o.overall
    lines = [
        f"ci-metrics {o.repository}: {o.days} days to {_iso(o.collected_at)}",
        (
            f"  runs {s.total}, success rate {md.percent(s.success_rate)}, "
            f"cancelled {md.percent(s.cancelled_rate)}, skipped {md.percent(s.skipped_rate)}"
        ),
        (
            f"  duration p50 {_secs(s.duration.p50)}, p95 {_secs(s.duration.p95)}, "
            f"queue p50 {_secs(o.queue.p50)}, reruns {md.percent(s.rerun_rate)}, "
            f"flaky jobs {len(o.flaky)}"
        ),
    ]
    if o.dora is not None:
        d = o.dora
        lines.append(
            f"  DORA ({d.source}, {d.benchmark} levels): {d.deployments} deployments "
            f"({d.per_day:.2f}/day), lead time p50 {_secs(d.lead_time.p50)}, "
            f"change failure rate {md.percent(d.change_failure_rate)}, "
            f"recovery p50 {_secs(d.recovery.p50)}"
        )
    sync = o.sync
    if sync.synced:
        state = "complete" if sync.complete else f"stopped early ({sync.stopped_because})"
        lines.append(f"  sync {state}: {sync.requests} requests, {sync.not_modified} answered 304")
    return "\n".join(lines) + "\n"


def _secs(value: float | None) -> str:
    return "—" if value is None else md.seconds(value)


def records_only_note(token_env: str) -> str:
    """Why a report from the deploy records has no run history (no token to sync with)."""
    return f"{token_env} is empty: the run history is not synced; DORA from the deploy records"
