"""The Mann-Whitney U test of candidate against stable samples, as Kayenta judges a canary.

Ranks with ties averaged; the normal approximation with the tie correction and a continuity
correction of 1/2; a two-sided p-value. Pure; no scipy. Below about 50 values per side the
approximation (and the judgement) is weak: Kayenta's guidance is at least 50 data points
per metric, so the result carries a warning then.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from paved.errors import UsageError
from paved.rollbackguard.metric import Comparison
from paved.rollbackguard.record import Verdict

if TYPE_CHECKING:
    from collections.abc import Sequence

SMALL_SAMPLE = 50
"""Values per side below which the result carries the small-sample warning."""


@dataclass(frozen=True)
class MannWhitneyResult:
    """The test's figures."""

    u_candidate: float
    """U of the candidate: how many (candidate, stable) pairs the candidate wins, ties 1/2."""
    u_stable: float
    z: float
    p_value: float
    """Two-sided: how likely samples this different are if both come from one distribution."""
    n_candidate: int
    n_stable: int
    candidate_median: float
    stable_median: float

    @property
    def small_sample(self) -> bool:
        """Fewer than SMALL_SAMPLE values on either side."""
        return min(self.n_candidate, self.n_stable) < SMALL_SAMPLE


def _ranks(values: Sequence[float]) -> tuple[list[float], list[int]]:
    """Ranks (1-based, ties averaged) in input order, and the size of every tie group."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    ties: list[int] = []
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        average = (start + end) / 2 + 1
        for position in range(start, end + 1):
            ranks[order[position]] = average
        ties.append(end - start + 1)
        start = end + 1
    return ranks, ties


def mann_whitney(candidate: Sequence[float], stable: Sequence[float]) -> MannWhitneyResult:
    """Test `candidate` against `stable`; both need at least one finite value."""
    if not candidate or not stable:
        raise UsageError(
            "the Mann-Whitney test needs values on both sides", name="samples", valid=">= 1 each"
        )
    if not all(math.isfinite(v) for v in (*candidate, *stable)):
        raise UsageError("a sample is not a finite number", name="samples", valid="finite")
    n1, n2 = len(candidate), len(stable)
    ranks, ties = _ranks([*candidate, *stable])
    u1 = sum(ranks[:n1]) - n1 * (n1 + 1) / 2
    u2 = n1 * n2 - u1
    n = n1 + n2
    mean = n1 * n2 / 2
    tie_term = sum(t**3 - t for t in ties) / (n * (n - 1)) if n > 1 else 0.0
    variance = n1 * n2 / 12 * ((n + 1) - tie_term)
    if variance <= 0:
        z, p_value = 0.0, 1.0
    else:
        distance = abs(u1 - mean)
        z = math.copysign(max(0.0, distance - 0.5), u1 - mean) / math.sqrt(variance)
        p_value = min(1.0, math.erfc(abs(z) / math.sqrt(2)))
    return MannWhitneyResult(
        u_candidate=u1,
        u_stable=u2,
        z=z,
        p_value=p_value,
        n_candidate=n1,
        n_stable=n2,
        candidate_median=statistics.median(candidate),
        stable_median=statistics.median(stable),
    )


@dataclass(frozen=True)
class MannWhitneyJudge:
    """Judge one metric's candidate samples against stable's at the end of an analysis."""

    check: str
    """The metric (by name) whose per-look values are the samples."""
    alpha: float = 0.05
    """The candidate fails when p < alpha and it is worse than stable."""

    def __post_init__(self) -> None:
        if not 0 < self.alpha < 1:
            raise UsageError(
                f"{self.alpha} is not a significance level", name="alpha", valid="0 < alpha < 1"
            )


@dataclass(frozen=True)
class Judgement:
    """The judge's verdict on one metric."""

    check: str
    verdict: Verdict
    result: MannWhitneyResult | None
    """None when a side had no values (then the verdict is never PASS)."""
    alpha: float


def judge(
    judge_config: MannWhitneyJudge,
    comparison: Comparison,
    candidate: Sequence[float],
    stable: Sequence[float],
) -> Judgement:
    """FAIL when the candidate is significantly worse (higher for AT_MOST metrics, lower for
    AT_LEAST ones); HOLD when there are no samples; PASS otherwise."""
    if not candidate or not stable:
        return Judgement(judge_config.check, Verdict.HOLD, None, judge_config.alpha)
    result = mann_whitney(candidate, stable)
    worse = (
        result.u_candidate > result.u_stable
        if comparison is Comparison.AT_MOST
        else result.u_candidate < result.u_stable
    )
    verdict = Verdict.FAIL if worse and result.p_value < judge_config.alpha else Verdict.PASS
    return Judgement(judge_config.check, verdict, result, judge_config.alpha)
