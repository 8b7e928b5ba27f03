"""One reading from one observation, and a look's tally from its readings. Pure."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from paved.rollbackguard.policy import InconclusivePolicy
from paved.rollbackguard.record import Ending, Outcome, Reading, Reason, Tally, Verdict

if TYPE_CHECKING:
    from paved.rollbackguard.metric import MetricCheck
    from paved.rollbackguard.policy import AnalysisPolicy


@dataclass(frozen=True)
class Observation:
    """What the backend gave for one metric at one look; None where it had nothing."""

    candidate: float | None
    stable: float | None = None
    requests: float | None = None


def _usable(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def classify(check: MetricCheck, observation: Observation, policy: AnalysisPolicy) -> Reading:
    """PASS, FAIL or NO_DATA for one metric; never PASS without a value and enough requests."""
    candidate = _usable(observation.candidate)
    stable = _usable(observation.stable)
    requests = _usable(observation.requests)
    reading = Reading(
        check.name, Outcome.NO_DATA, Reason.NO_SERIES, candidate, stable, requests=requests
    )
    if check.requests is not None and (requests is None or requests < policy.min_requests):
        return replace(reading, reason=Reason.TOO_FEW_REQUESTS)
    if candidate is None:
        return reading
    bound = check.threshold.bound(stable)
    if bound is None:
        return replace(reading, reason=Reason.NO_STABLE)
    if check.threshold.holds(candidate, bound):
        return replace(reading, outcome=Outcome.PASS, reason=Reason.WITHIN, bound=bound)
    return replace(reading, outcome=Outcome.FAIL, reason=Reason.BREACHED, bound=bound)


def failed_reading(check: MetricCheck, detail: str) -> Reading:
    """The reading of a metric the backend could not be asked about."""
    return Reading(check.name, Outcome.ERROR, Reason.BACKEND_ERROR, detail=detail)


def look_outcome(readings: tuple[Reading, ...]) -> Outcome:
    """A look is as bad as its worst reading; a look with no readings has no data."""
    if not readings:
        return Outcome.NO_DATA
    return max((r.outcome for r in readings), key=lambda o: o.severity)


def advance(tally: Tally, outcome: Outcome) -> Tally:
    """The counters after one more look."""
    if outcome is Outcome.PASS:
        return replace(tally, passes=tally.passes + 1, consecutive_errors=0, consecutive_no_data=0)
    if outcome is Outcome.FAIL:
        return replace(
            tally, failures=tally.failures + 1, consecutive_errors=0, consecutive_no_data=0
        )
    if outcome is Outcome.ERROR:
        return replace(
            tally, errors=tally.errors + 1, consecutive_errors=tally.consecutive_errors + 1
        )
    return replace(tally, consecutive_no_data=tally.consecutive_no_data + 1)


def _inconclusive(policy: AnalysisPolicy, reason: Reason) -> Ending:
    verdict = Verdict.FAIL if policy.on_inconclusive is InconclusivePolicy.FAIL else Verdict.HOLD
    return Ending(verdict, reason)


def early_ending(tally: Tally, policy: AnalysisPolicy, look: tuple[Reading, ...]) -> Ending | None:
    """The verdict a look forces before the looks run out, if any."""
    if tally.failures > policy.failure_limit:
        breached = next((r.check for r in look if r.outcome is Outcome.FAIL), None)
        return Ending(Verdict.FAIL, Reason.FAILURE_LIMIT, breached)
    if tally.consecutive_errors > policy.consecutive_error_limit:
        return _inconclusive(policy, Reason.ERROR_LIMIT)
    if tally.consecutive_no_data > policy.no_data_limit:
        starved = next((r.check for r in look if r.outcome is Outcome.NO_DATA), None)
        ending = _inconclusive(policy, Reason.NO_DATA_LIMIT)
        return replace(ending, check=starved)
    return None


def final_ending(tally: Tally, last: Outcome, policy: AnalysisPolicy) -> Ending:
    """The verdict when the looks ran out: PASS only on a passing last look with enough
    passes; anything else is inconclusive, never a pass."""
    if last is Outcome.PASS and tally.passes >= policy.required_passes:
        return Ending(Verdict.PASS, Reason.PASSED)
    return _inconclusive(policy, Reason.NOT_ENOUGH_PASSES)
