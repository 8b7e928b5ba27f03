"""Distributions the way the README defines them: nearest-rank percentiles, no interpolation."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence


@dataclass(frozen=True)
class Distribution:
    """Summary of a set of durations in seconds."""

    count: int
    p50: float | None = None
    p90: float | None = None
    p95: float | None = None
    max: float | None = None
    min: float | None = None
    mean: float | None = None


def percentile(ordered: Sequence[float], p: float) -> float:
    """Nearest rank: the value at rank ceil(p/100 * n) of the sorted values (1-based)."""
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def distribution(values: Sequence[float]) -> Distribution:
    """p50, p90, p95, max, min and mean of `values` (empty gives only a zero count)."""
    if not values:
        return Distribution(count=0)
    ordered = sorted(values)
    return Distribution(
        count=len(ordered),
        p50=percentile(ordered, 50),
        p90=percentile(ordered, 90),
        p95=percentile(ordered, 95),
        max=ordered[-1],
        min=ordered[0],
        mean=sum(ordered) / len(ordered),
    )


def rate(part: int, whole: int) -> float | None:
    """part/whole in percent, or None when there is nothing to divide by."""
    return None if whole == 0 else 100.0 * part / whole
