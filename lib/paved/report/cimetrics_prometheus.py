"""ci-metrics as Prometheus text exposition, named after OpenTelemetry's `cicd.*` conventions.

`cicd.pipeline.run.duration` (OTel semantic conventions, CICD metrics) becomes
`cicd_pipeline_run_duration_seconds`, a summary labelled with `cicd_pipeline_name` and
`cicd_pipeline_result` (OTel's result values). Figures OTel has no name for carry a `paved_`
prefix. Labels stay low-cardinality: workflow and result only, never run, branch or commit.

Every figure describes the reporting window, so each is a gauge (or a summary of the window's
runs), never a counter: a counter must only grow, and a window's error count falls when old
failures leave it. The text is written by prometheus_client, so it is what Prometheus parses;
`promtool check metrics` reports nothing on it (tests/integration/cimetrics).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import Metric

if TYPE_CHECKING:
    from collections.abc import Iterator

    from paved.cimetrics.outcome import CiMetricsOutcome
    from paved.cimetrics.stats import Distribution

_QUANTILES = (("0.5", "p50"), ("0.9", "p90"), ("0.95", "p95"))


def _gauge(name: str, help_text: str) -> Metric:
    return Metric(name, help_text, "gauge")


def _summary(name: str, help_text: str) -> Metric:
    return Metric(name, help_text, "summary")


def _add_distribution(family: Metric, labels: dict[str, str], dist: Distribution) -> None:
    for quantile, attr in _QUANTILES:
        value = getattr(dist, attr)
        if value is not None:
            family.add_sample(family.name, {**labels, "quantile": quantile}, float(value))
    family.add_sample(f"{family.name}_sum", labels, float((dist.mean or 0) * dist.count))
    family.add_sample(f"{family.name}_count", labels, float(dist.count))


class _WindowCollector:
    """One outcome's figures as metric families (prometheus_client's collector protocol)."""

    def __init__(self, outcome: CiMetricsOutcome) -> None:
        self.outcome = outcome

    def collect(self) -> Iterator[Metric]:
        outcome = self.outcome
        repo = {"vcs_repository_name": outcome.repository}
        durations = _summary(
            "cicd_pipeline_run_duration_seconds",
            "Duration of completed workflow runs (latest attempt) in the window.",
        )
        errors = _gauge(
            "paved_cicd_pipeline_run_errors",
            "Workflow runs in the window that ended in failure, timeout or error "
            "(OTel cicd.pipeline.run.errors, as a window figure).",
        )
        success = _gauge(
            "paved_cicd_pipeline_run_success_ratio",
            "Successful runs / runs neither cancelled nor skipped.",
        )
        for workflow in outcome.workflows:
            pipeline = {**repo, "cicd_pipeline_name": workflow.name}
            for result, dist in sorted(workflow.durations_by_result.items()):
                _add_distribution(durations, {**pipeline, "cicd_pipeline_result": result}, dist)
            errors.add_sample(errors.name, pipeline, float(workflow.current.failed))
            if workflow.current.success_rate is not None:
                success.add_sample(success.name, pipeline, workflow.current.success_rate / 100)
        yield from (durations, errors, success)
        queue = _summary(
            "paved_cicd_job_queue_duration_seconds", "Job started_at - created_at, every attempt."
        )
        _add_distribution(queue, repo, outcome.queue)
        yield queue
        yield _single(
            "paved_cicd_pipeline_run_rerun_ratio",
            "Completed runs with more than one attempt / completed runs.",
            repo,
            (outcome.overall.rerun_rate or 0) / 100,
        )
        yield _single(
            "paved_cicd_flaky_jobs",
            "Jobs that failed then passed on the same commit in the window.",
            repo,
            len(outcome.flaky),
        )
        yield from _dora(outcome, repo)


def _single(name: str, help_text: str, labels: dict[str, str], value: float) -> Metric:
    family = _gauge(name, help_text)
    family.add_sample(name, labels, float(value))
    return family


def _dora(outcome: CiMetricsOutcome, repo: dict[str, str]) -> Iterator[Metric]:
    dora = outcome.dora
    if dora is None:
        return
    yield _single(
        "paved_dora_deployments", "Successful deployments in the window.", repo, dora.deployments
    )
    yield _single(
        "paved_dora_deployment_frequency_per_day", "Deployments per day.", repo, dora.per_day
    )
    yield _single(
        "paved_dora_change_failure_ratio",
        "Failed / all deployment attempts.",
        repo,
        (dora.change_failure_rate or 0) / 100,
    )
    for name, dist, help_text in (
        ("paved_dora_lead_time_seconds", dora.lead_time, "Commit first seen to deployed."),
        ("paved_dora_recovery_time_seconds", dora.recovery, "Failed deploy to next good."),
    ):
        family = _summary(name, help_text)
        _add_distribution(family, repo, dist)
        yield family


def prometheus(outcome: CiMetricsOutcome) -> str:
    """The exposition text for one outcome."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_WindowCollector(outcome))
    return generate_latest(registry).decode("utf-8")
