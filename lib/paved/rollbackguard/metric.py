"""What an analysis measures: a metric check, its query templates and its threshold. Pure."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from paved.errors import UsageError


class Comparison(StrEnum):
    """Which side of the bound a healthy value lies on."""

    AT_MOST = "<="
    AT_LEAST = ">="


class Unit(StrEnum):
    """What a metric's numbers are, so renderings can show them (5 %, 230 ms, 96 MB)."""

    RATIO = "ratio"
    SECONDS = "seconds"
    BYTES = "bytes"
    COUNT = "count"


@dataclass(frozen=True)
class Threshold:
    """The bound a candidate's value is held to: absolute, or a factor of the stable value
    measured over the same window at the same instant."""

    comparison: Comparison
    limit: float
    """The bound itself, or the factor of stable's value when `relative_to_stable`."""
    relative_to_stable: bool = False
    floor: float = 0.0
    """For a relative bound: the bound is never below this (a stable p95 of 2 ms times 1.25
    would otherwise fail a canary at 3 ms for noise)."""

    def __post_init__(self) -> None:
        if not math.isfinite(self.limit) or (self.relative_to_stable and self.limit <= 0):
            raise UsageError(
                f"a threshold of {self.limit} is not usable",
                name="threshold",
                valid="a finite number; a relative factor > 0",
            )

    def bound(self, stable: float | None) -> float | None:
        """The bound for this look; None when it is relative and stable has no value."""
        if not self.relative_to_stable:
            return self.limit
        if stable is None:
            return None
        return max(self.floor, stable * self.limit)

    def holds(self, value: float, bound: float) -> bool:
        """Whether `value` is on the healthy side of `bound` (the bound itself is healthy)."""
        if self.comparison is Comparison.AT_MOST:
            return value <= bound
        return value >= bound

    @property
    def expression(self) -> str:
        """The compact form the deploy interface's Measurement carries: '<= 0.05',
        '<= 1.25 x stable'."""
        if self.relative_to_stable:
            return f"{self.comparison.value} {self.limit:g} x stable"
        return f"{self.comparison.value} {self.limit:g}"


@dataclass(frozen=True)
class MetricCheck:
    """One metric an analysis looks at, at every look, for the candidate (and the stable
    version when the threshold is relative to it).

    The query templates are PromQL with two placeholders: `{selector}` (the label matchers
    that pick one track, e.g. `job="canary"`) and `{window}` (a range such as `10s`).
    Literal braces are doubled, as in str.format.
    """

    name: str
    query: str
    """The metric's value for one track over the window."""
    threshold: Threshold
    unit: Unit
    requests: str | None = None
    """The number of requests the track served in the window; when set, a look with fewer
    than the policy's minimum is no data (a ratio over 3 requests is not a verdict)."""
    stable_needed: bool = False
    """Whether stable's value is read even for an absolute threshold (for the record and the
    Mann-Whitney judge)."""

    def __post_init__(self) -> None:
        for template in (self.query, self.requests):
            if template is not None and "{selector}" not in template:
                raise UsageError(
                    f"the query of metric {self.name!r} has no {{selector}} placeholder",
                    name="query",
                    valid="PromQL with {selector} and {window}, literal braces doubled",
                )

    @property
    def reads_stable(self) -> bool:
        """Whether each look reads the stable track too."""
        return self.threshold.relative_to_stable or self.stable_needed

    def render(self, template: str, selector: str, window_seconds: float) -> str:
        """A template filled in for one track and window."""
        try:
            return template.format(selector=selector, window=promql_duration(window_seconds))
        except (KeyError, IndexError, ValueError) as exc:
            raise UsageError(
                f"the query of metric {self.name!r} is not a valid template ({exc})",
                name="query",
                valid="PromQL with {selector} and {window}, literal braces doubled",
            ) from None


def promql_duration(seconds: float) -> str:
    """A PromQL range for `seconds` (whole milliseconds; Prometheus needs an integer unit)."""
    if not math.isfinite(seconds) or seconds <= 0:
        raise UsageError(
            f"a window of {seconds} s is not usable", name="window", valid="seconds > 0"
        )
    millis = round(seconds * 1000)
    if millis % 1000 == 0:
        return f"{millis // 1000}s"
    return f"{millis}ms"
