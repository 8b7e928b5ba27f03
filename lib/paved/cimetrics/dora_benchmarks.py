"""DORA performance levels as data, one table per report year (the judge in dora.py is generic).

Values are the performance-cluster descriptions of the Accelerate State of DevOps reports
(DORA, Google Cloud), 2023 and 2024, "software delivery performance" table. Each
level's bound is the edge of its description: "less than one day" is 24 h, "between once per
day and once per week" is at least 1/7 per day, "once every six months" is 1/182 per day. A
metric meets the first level, from elite to low, whose bound it is within.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Metric(StrEnum):
    """The four keys."""

    DEPLOYMENT_FREQUENCY = "deployment_frequency"
    """Successful deployments per day: higher is better."""
    LEAD_TIME = "lead_time_hours"
    CHANGE_FAILURE_RATE = "change_failure_rate_percent"
    RECOVERY_TIME = "recovery_time_hours"


HIGHER_IS_BETTER = frozenset({Metric.DEPLOYMENT_FREQUENCY})


@dataclass(frozen=True)
class Level:
    """One performance level of one metric in one report."""

    tier: str
    bound: float
    """Lowest allowed value when higher is better, highest allowed otherwise."""
    described: str
    """The report's wording."""


_DAY = 24.0
_WEEK = 7 * _DAY
_MONTH = 30 * _DAY
_SIX_MONTHS = 182 * _DAY

BENCHMARKS: dict[str, dict[Metric, tuple[Level, ...]]] = {
    "2023": {
        Metric.DEPLOYMENT_FREQUENCY: (
            Level("elite", 1.0, "on demand (multiple deploys per day)"),
            Level("high", 1 / 7, "between once per day and once per week"),
            Level("medium", 1 / 30, "between once per week and once per month"),
            Level("low", 1 / 30, "between once per week and once per month"),
        ),
        Metric.LEAD_TIME: (
            Level("elite", _DAY, "less than one day"),
            Level("high", _WEEK, "between one day and one week"),
            Level("medium", _MONTH, "between one week and one month"),
            Level("low", _MONTH, "between one week and one month"),
        ),
        Metric.CHANGE_FAILURE_RATE: (
            Level("elite", 5.0, "5%"),
            Level("high", 10.0, "10%"),
            Level("medium", 15.0, "15%"),
            Level("low", 64.0, "64%"),
        ),
        Metric.RECOVERY_TIME: (
            Level("elite", 1.0, "less than one hour"),
            Level("high", _DAY, "less than one day"),
            Level("medium", _WEEK, "between one day and one week"),
            Level("low", _SIX_MONTHS, "between one month and six months"),
        ),
    },
    "2024": {
        Metric.DEPLOYMENT_FREQUENCY: (
            Level("elite", 1.0, "on demand (multiple deploys per day)"),
            Level("high", 1 / 7, "between once per day and once per week"),
            Level("medium", 1 / 30, "between once per week and once per month"),
            Level("low", 1 / 182, "between once per month and once every six months"),
        ),
        Metric.LEAD_TIME: (
            Level("elite", _DAY, "less than one day"),
            Level("high", _WEEK, "between one day and one week"),
            Level("medium", _MONTH, "between one week and one month"),
            Level("low", _SIX_MONTHS, "between one month and six months"),
        ),
        Metric.CHANGE_FAILURE_RATE: (
            Level("elite", 5.0, "5%"),
            Level("high", 20.0, "20%"),
            Level("medium", 10.0, "10%"),
            Level("low", 40.0, "40%"),
        ),
        Metric.RECOVERY_TIME: (
            Level("elite", 1.0, "less than one hour"),
            Level("high", _DAY, "less than one day"),
            Level("medium", _DAY, "less than one day"),
            Level("low", _MONTH, "between one week and one month"),
        ),
    },
}


def judge(year: str, metric: Metric, value: float | None) -> str | None:
    """The first level, elite to low, that `value` is within; "below low" past them; None."""
    if value is None:
        return None
    for level in BENCHMARKS[year][metric]:
        within = value >= level.bound if metric in HIGHER_IS_BETTER else value <= level.bound
        if within:
            return level.tier
    return "below low"
