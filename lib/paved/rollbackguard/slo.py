"""The SLO check (the seed's slo-check.py, measured): one look over a long window. Pure."""

from __future__ import annotations

from paved.rollbackguard.analysis import AnalysisSpec
from paved.rollbackguard.catalog import (
    AVAILABILITY_TARGET,
    LATENCY_TARGET_SECONDS,
    availability,
    mean_latency,
)
from paved.rollbackguard.policy import AnalysisPolicy, InconclusivePolicy

DEFAULT_WINDOW_SECONDS = 15 * 60.0
"""slo-check.py --window=15min"""


def slo_spec(
    app: str,
    *,
    window_seconds: float = DEFAULT_WINDOW_SECONDS,
    availability_target: float = AVAILABILITY_TARGET,
    latency_target_seconds: float = LATENCY_TARGET_SECONDS,
    min_requests: int = 1,
    no_data_limit: int = 0,
    interval_seconds: float = 1.0,
) -> AnalysisSpec:
    """Availability and average latency over the window, judged once, at the first look whose
    window holds data (up to `no_data_limit` more looks, `interval_seconds` apart: a release
    judged seconds after its first deploy). No data fails: an SLO nobody can measure is not
    met."""
    policy = AnalysisPolicy(
        interval_seconds=interval_seconds,
        window_seconds=window_seconds,
        looks=no_data_limit + 1,
        consecutive_error_limit=0,
        no_data_limit=no_data_limit,
        min_requests=min_requests,
        on_inconclusive=InconclusivePolicy.FAIL,
        pass_early=True,
    )
    checks = (availability(availability_target), mean_latency(latency_target_seconds))
    return AnalysisSpec(app, checks, policy)
