"""The ci-metrics job summary: tables, and Mermaid charts GitHub draws itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.report import markdown as md

if TYPE_CHECKING:
    from paved.cimetrics.outcome import CiMetricsOutcome
    from paved.cimetrics.pipeline import DailyPoint
    from paved.cimetrics.stats import Distribution

_ROWS = 15
_DORA_NAMES = {
    "deployment_frequency": "Deployment frequency",
    "lead_time_hours": "Lead time for changes (p50)",
    "change_failure_rate_percent": "Change failure rate",
    "recovery_time_hours": "Failed deployment recovery time (p50)",
}


def _s(value: float | None) -> str:
    return "—" if value is None else md.seconds(value)


def _mermaid_label(text: str) -> str:
    return '"' + text.replace('"', "'").replace("\n", " ")[:40] + '"'


def _daily_chart(points: tuple[DailyPoint, ...]) -> str:
    if not points:
        return ""
    dates = ", ".join(_mermaid_label(p.date[5:]) for p in points)
    runs = ", ".join(str(p.stats.total) for p in points)
    rates = ", ".join(f"{p.stats.success_rate or 0:.1f}" for p in points)
    return (
        "```mermaid\nxychart-beta\n"
        '    title "Runs per day"\n'
        f"    x-axis [{dates}]\n"
        '    y-axis "runs"\n'
        f"    bar [{runs}]\n```\n\n"
        "```mermaid\nxychart-beta\n"
        '    title "Success rate per day (%)"\n'
        f"    x-axis [{dates}]\n"
        '    y-axis "percent" 0 --> 100\n'
        f"    line [{rates}]\n```"
    )


def _pie(by_conclusion: dict[str, int]) -> str:
    if not by_conclusion:
        return ""
    slices = "\n".join(f"    {_mermaid_label(k)} : {v}" for k, v in by_conclusion.items())
    return f'```mermaid\npie title "Runs by conclusion"\n{slices}\n```'


def _dist_row(name: str, d: Distribution) -> list[object]:
    return [name, d.count, _s(d.p50), _s(d.p90), _s(d.p95), _s(d.max)]


def summary_markdown(o: CiMetricsOutcome) -> str:
    """The whole summary."""
    s = o.overall
    parts = [
        f"## 📈 ci-metrics: {md.code(o.repository)}, {o.days} days",
        md.table(
            ["Runs", "Success rate", "Cancelled", "Skipped", "Reruns", "Flaky jobs"],
            [
                [
                    s.total,
                    md.percent(s.success_rate),
                    md.percent(s.cancelled_rate),
                    md.percent(s.skipped_rate),
                    md.percent(s.rerun_rate),
                    len(o.flaky),
                ]
            ],
            "rrrrrr",
        ),
        md.table(
            ["Time", "Count", "p50", "p90", "p95", "max"],
            [_dist_row("Run duration", s.duration), _dist_row("Job queue time", o.queue)],
            "lrrrrr",
        ),
    ]
    if o.workflows:
        rows = [
            [
                w.name,
                w.current.total,
                md.percent(w.current.success_rate),
                _s(w.current.duration.p50),
                _s(w.current.duration.p95),
                md.percent(w.previous.success_rate),
                _s(w.previous.duration.p50),
            ]
            for w in o.workflows
        ]
        header = ["Workflow", "Runs", "Success", "p50", "p95", "Success before", "p50 before"]
        parts.append("### Workflows\n" + md.table(header, rows, "lrrrrrr"))
    chart = _daily_chart(o.daily)
    if chart:
        parts.append("### Trend\n" + chart)
    pie = _pie(s.by_conclusion)
    if pie:
        parts.append(pie)
    if o.jobs:
        rows = [
            [
                f"{j.workflow} / {j.name}",
                j.executions,
                md.percent(j.success_rate),
                _s(j.duration.p50),
                _s(j.queue.p50),
                _s(j.queue.p95),
            ]
            for j in o.jobs[:_ROWS]
        ]
        header = ["Job", "Executions", "Success", "p50", "Queue p50", "Queue p95"]
        parts.append("### Jobs\n" + md.table(header, rows, "lrrrrr"))
    if o.flaky:
        rows = [[f"{f.workflow} / {f.name}", len(f.commits)] for f in o.flaky[:_ROWS]]
        parts.append(
            "### Flaky jobs (failed, then passed on the same commit)\n"
            + md.table(["Job", "Commits"], rows, "lr")
        )
    ttg = o.time_to_green
    if ttg is not None:
        red = ", ".join(ttg.red_now) or "none"
        parts.append(
            f"### Time to green on {md.code(ttg.branch)}\n"
            + md.table(
                ["Red periods", "p50", "p90", "max", "Red now"],
                [
                    [
                        ttg.red_periods,
                        _s(ttg.duration.p50),
                        _s(ttg.duration.p90),
                        _s(ttg.duration.max),
                        red,
                    ]
                ],
                "rrrrl",
            )
        )
    parts.append(_dora_section(o))
    parts.append(_sync_note(o))
    return "\n\n".join(p for p in parts if p) + "\n"


def _dora_section(o: CiMetricsOutcome) -> str:
    d = o.dora
    if d is None:
        return (
            "### DORA\nNot measured: say what a deployment is with `deploy-workflows`, "
            "`deploy-jobs` or `deploy-source: environment`."
        )
    values = {
        "deployment_frequency": f"{d.deployments} in {d.days} days ({d.per_day:.2f}/day)",
        "lead_time_hours": _s(d.lead_time.p50),
        "change_failure_rate_percent": f"{md.percent(d.change_failure_rate)} "
        f"({d.failed} of {d.attempts})",
        "recovery_time_hours": _s(d.recovery.p50),
    }
    rows = [[_DORA_NAMES[k], values[k], d.tiers.get(k) or "—"] for k in _DORA_NAMES]
    note = " A deployment is failing now." if d.failing_now else ""
    return (
        f"### DORA ({d.source}; levels of the {d.benchmark} DORA report)\n"
        + md.table(["Metric", "Value", "Level"], rows, "lrl")
        + note
    )


def _sync_note(o: CiMetricsOutcome) -> str:
    s = o.sync
    if not s.synced:
        return "_Reported from the store; no sync._"
    state = "complete" if s.complete else f"stopped early: {md.escape_text(s.stopped_because)}"
    return (
        f"_Sync {state}: {s.requests} requests counted against the rate limit, "
        f"{s.not_modified} answered 304 (free), {s.retries} retried._"
    )
