"""From declared parameters to an analysis: which checks, which limits, which selectors."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, assert_never

from paved.params import parse_choice
from paved.rollbackguard import catalog
from paved.rollbackguard.analysis import AnalysisSpec
from paved.rollbackguard.mannwhitney import MannWhitneyJudge
from paved.rollbackguard.slo import slo_spec

if TYPE_CHECKING:
    from paved.rollbackguard.metric import MetricCheck
    from paved.rollbackguard.policy import AnalysisPolicy


class Mode(StrEnum):
    """What the guard judges."""

    ANALYSIS = "analysis"
    SLO = "slo"


class CheckName(StrEnum):
    """The ready-made metrics (paved.rollbackguard.catalog) a user picks by name."""

    ERROR_RATE = "error-rate"
    P95_LATENCY = "p95-latency"
    MEMORY = "memory"
    ROUTER_ERROR_RATE = "router-error-rate"
    ROUTER_COUNTERS = "router-counters"
    """HAProxy's own per-server counters through its runtime API (no Prometheus)."""
    READY_RATIO = "ready-ratio"
    """Ready over asked-for instances, from the deploy target (no Prometheus)."""
    SMOKE = "smoke"
    """The HTTP smoke checks against each track's own endpoint (no Prometheus)."""


PROMETHEUS_CHECKS = frozenset(
    {CheckName.ERROR_RATE, CheckName.P95_LATENCY, CheckName.MEMORY, CheckName.ROUTER_ERROR_RATE}
)
"""The checks that are PromQL queries; the others are answered by the target or the router."""


@dataclass(frozen=True)
class Limits:
    """The thresholds of the ready-made metrics."""

    error_rate: float = catalog.ERROR_RATE_LIMIT
    p95_factor: float = catalog.P95_FACTOR
    memory_bytes: float = catalog.MEMORY_LIMIT_BYTES
    ready_ratio: float = catalog.READY_RATIO_LIMIT


def check_for(name: CheckName, limits: Limits) -> MetricCheck:  # noqa: PLR0911 - one per name
    """The metric a name stands for, with its limit."""
    if name is CheckName.ERROR_RATE:
        return catalog.error_rate(limits.error_rate)
    if name is CheckName.P95_LATENCY:
        return catalog.p95_latency(limits.p95_factor)
    if name is CheckName.MEMORY:
        return catalog.memory(limits.memory_bytes)
    if name is CheckName.ROUTER_ERROR_RATE:
        return catalog.haproxy_error_rate(limits.error_rate)
    if name is CheckName.ROUTER_COUNTERS:
        return catalog.router_counters_error_rate(limits.error_rate)
    if name is CheckName.READY_RATIO:
        return catalog.ready_ratio(limits.ready_ratio)
    if name is CheckName.SMOKE:
        return catalog.smoke()
    assert_never(name)


@dataclass(frozen=True)
class GuardOptions:
    """Everything one run of the guard needs, parsed."""

    app: str
    mode: Mode
    checks: tuple[CheckName, ...]
    limits: Limits
    policy: AnalysisPolicy
    judged: tuple[CheckName, ...] = ()
    availability_target: float = catalog.AVAILABILITY_TARGET
    latency_target_seconds: float = catalog.LATENCY_TARGET_SECONDS

    def spec(self) -> AnalysisSpec:
        """The analysis to run."""
        if self.mode is Mode.SLO:
            return slo_spec(
                self.app,
                window_seconds=self.policy.window_seconds,
                availability_target=self.availability_target,
                latency_target_seconds=self.latency_target_seconds,
                min_requests=self.policy.min_requests,
                no_data_limit=self.policy.no_data_limit,
                interval_seconds=self.policy.interval_seconds,
            )
        checks = tuple(check_for(name, self.limits) for name in dict.fromkeys(self.checks))
        judges = tuple(MannWhitneyJudge(name.value) for name in self.judged)
        return AnalysisSpec(self.app, checks, self.policy, judges)


def check_names(items: tuple[str, ...], flag: str) -> tuple[CheckName, ...]:
    """Each item as a CheckName; one UsageError naming `flag` and the valid names."""
    return tuple(parse_choice(CheckName, item, flag) for item in items)
