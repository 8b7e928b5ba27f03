"""ci-metrics: pipeline and DORA metrics from the GitHub API, incremental and cheap."""

from paved.cimetrics.core import collect_metrics, measure
from paved.cimetrics.options import CiMetricsOptions, DeploySource
from paved.cimetrics.outcome import CiMetricsOutcome, WorkflowMetrics

__all__ = [
    "CiMetricsOptions",
    "CiMetricsOutcome",
    "DeploySource",
    "WorkflowMetrics",
    "collect_metrics",
    "measure",
]
