"""ci-metrics as Prometheus text exposition, named after OpenTelemetry's `cicd.*` conventions.

`cicd.pipeline.run.duration` (OTel semantic conventions, CICD metrics) becomes
`cicd_pipeline_run_duration_seconds`, a summary labelled with `cicd_pipeline_name` and
`cicd_pipeline_result` (OTel's result values). Figures OTel has no name for carry a `paved_`
prefix. Labels stay low-cardinality: workflow and result only, never run, branch or commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paved.cimetrics.outcome import CiMetricsOutcome
    from paved.cimetrics.stats import Distribution

_QUANTILES = (("0.5", "p50"), ("0.9", "p90"), ("0.95", "p95"))


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(pairs: dict[str, str]) -> str:
    inner = ",".join(f'{k}="{_label(v)}"' for k, v in pairs.items())
    return "{" + inner + "}" if inner else ""


def _number(value: float) -> str:
    return repr(round(float(value), 6))


class _Exposition:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def family(self, name: str, kind: str, help_text: str) -> None:
        self.lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]

    def sample(self, name: str, labels: dict[str, str], value: float) -> None:
        self.lines.append(f"{name}{_labels(labels)} {_number(value)}")

    def summary(self, name: str, labels: dict[str, str], dist: Distribution, total: float) -> None:
        for quantile, attr in _QUANTILES:
            value = getattr(dist, attr)
            if value is not None:
                self.sample(name, {**labels, "quantile": quantile}, value)
        self.sample(f"{name}_sum", labels, total)
        self.sample(f"{name}_count", labels, dist.count)


def prometheus(outcome: CiMetricsOutcome) -> str:
    """The exposition text for one outcome."""
    out = _Exposition()
    repo = {"vcs_repository_name": outcome.repository}
    name = "cicd_pipeline_run_duration_seconds"
    out.family(name, "summary", "Duration of completed workflow runs (latest attempt).")
    for workflow in outcome.workflows:
        for result, dist in sorted(workflow.durations_by_result.items()):
            labels = {**repo, "cicd_pipeline_name": workflow.name, "cicd_pipeline_result": result}
            out.summary(name, labels, dist, (dist.mean or 0) * dist.count)
    name = "cicd_pipeline_run_errors_total"
    out.family(name, "counter", "Workflow runs that ended in failure, timeout or error.")
    for workflow in outcome.workflows:
        failed = workflow.current.failed
        out.sample(name, {**repo, "cicd_pipeline_name": workflow.name}, failed)
    name = "paved_cicd_pipeline_run_success_ratio"
    out.family(name, "gauge", "Successful runs / runs neither cancelled nor skipped.")
    for workflow in outcome.workflows:
        if workflow.current.success_rate is not None:
            ratio = workflow.current.success_rate / 100
            out.sample(name, {**repo, "cicd_pipeline_name": workflow.name}, ratio)
    name = "paved_cicd_job_queue_duration_seconds"
    out.family(name, "summary", "Job started_at - created_at, every attempt.")
    out.summary(name, repo, outcome.queue, (outcome.queue.mean or 0) * outcome.queue.count)
    name = "paved_cicd_pipeline_run_rerun_ratio"
    out.family(name, "gauge", "Completed runs with more than one attempt / completed runs.")
    out.sample(name, repo, (outcome.overall.rerun_rate or 0) / 100)
    name = "paved_cicd_flaky_jobs"
    out.family(name, "gauge", "Jobs that failed then passed on the same commit in the window.")
    out.sample(name, repo, len(outcome.flaky))
    dora = outcome.dora
    if dora is not None:
        for metric, kind, help_text, value in (
            (
                "paved_dora_deployments_total",
                "gauge",
                "Successful deployments in the window.",
                dora.deployments,
            ),
            (
                "paved_dora_deployment_frequency_per_day",
                "gauge",
                "Deployments per day.",
                dora.per_day,
            ),
            (
                "paved_dora_change_failure_ratio",
                "gauge",
                "Failed / all deployment attempts.",
                (dora.change_failure_rate or 0) / 100,
            ),
        ):
            out.family(metric, kind, help_text)
            out.sample(metric, repo, value)
        for metric, dist, help_text in (
            ("paved_dora_lead_time_seconds", dora.lead_time, "Commit first seen to deployed."),
            ("paved_dora_recovery_time_seconds", dora.recovery, "Failed deploy to next good."),
        ):
            out.family(metric, "summary", help_text)
            out.summary(metric, repo, dist, (dist.mean or 0) * dist.count)
    return "\n".join(out.lines) + "\n"
