"""The decision record: every look, every reading, the verdict and why. Frozen data; the
words and the JSON are made in paved.report.rollbackguard."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paved.rollbackguard.mannwhitney import Judgement
    from paved.rollbackguard.metric import MetricCheck
    from paved.rollbackguard.policy import AnalysisPolicy


class Outcome(StrEnum):
    """What one reading (one metric at one look), or one whole look, came to."""

    PASS = "pass"  # noqa: S105 - an outcome, not a password
    FAIL = "fail"
    NO_DATA = "no-data"
    """The backend answered with nothing usable: no series, NaN, too few requests."""
    ERROR = "error"
    """The backend did not answer (down, 5xx, not Prometheus)."""

    @property
    def severity(self) -> int:
        """A look is as bad as its worst reading: fail > error > no data > pass."""
        return _SEVERITY[self]


_SEVERITY = {Outcome.PASS: 0, Outcome.NO_DATA: 1, Outcome.ERROR: 2, Outcome.FAIL: 3}


class Verdict(StrEnum):
    """How an analysis ended."""

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    """Promote (or go on to the next step)."""
    FAIL = "fail"
    """Roll back."""
    HOLD = "hold"
    """Neither: stay at the current weight for a human. Never a promotion."""


class Reason(StrEnum):
    """Why a reading came out as it did, or why the analysis ended."""

    WITHIN = "within-threshold"
    BREACHED = "breached-threshold"
    TOO_FEW_REQUESTS = "too-few-requests"
    NO_SERIES = "no-series"
    """The query matched nothing, or gave NaN (0/0: no traffic)."""
    NO_STABLE = "no-stable-value"
    """A relative threshold without a value for the stable version."""
    BACKEND_ERROR = "backend-error"
    PASSED = "passed"
    FAILURE_LIMIT = "failure-limit"
    ERROR_LIMIT = "consecutive-error-limit"
    NO_DATA_LIMIT = "no-data-limit"
    NOT_ENOUGH_PASSES = "not-enough-passes"
    """The looks ran out without enough passing looks, or on a look that did not pass."""
    JUDGE = "judge"
    """The Mann-Whitney judge found the candidate worse than stable."""


@dataclass(frozen=True)
class Reading:
    """One metric at one look."""

    check: str
    outcome: Outcome
    reason: Reason
    candidate: float | None = None
    stable: float | None = None
    bound: float | None = None
    """The bound applied at this look (a relative one is stable x factor)."""
    requests: float | None = None
    """Requests the candidate served in the window, when the check counts them."""
    detail: str = ""
    """What the backend said when it failed."""


@dataclass(frozen=True)
class Tally:
    """The counters the limits are checked against, after a look."""

    passes: int = 0
    failures: int = 0
    errors: int = 0
    consecutive_errors: int = 0
    consecutive_no_data: int = 0


@dataclass(frozen=True)
class Look:
    """One look at every metric."""

    index: int
    """1 for the first look."""
    at_seconds: float
    """When it was taken, seconds from the start of the analysis."""
    outcome: Outcome
    readings: tuple[Reading, ...]
    tally: Tally


@dataclass(frozen=True)
class Ending:
    """The verdict and what decided it."""

    verdict: Verdict
    reason: Reason
    check: str | None = None
    """The metric that decided, when one did (the breached one, the judged one)."""


@dataclass(frozen=True)
class DecisionRecord:
    """An analysis from start to verdict."""

    app: str
    policy: AnalysisPolicy
    checks: tuple[MetricCheck, ...]
    looks: tuple[Look, ...]
    ending: Ending
    started_at: float
    """Seconds since the epoch."""
    seconds: float
    """How long the analysis took."""
    judgements: tuple[Judgement, ...] = ()

    @property
    def verdict(self) -> Verdict:
        """The verdict (shortcut)."""
        return self.ending.verdict

    @property
    def last_look(self) -> Look | None:
        """The look the analysis ended on."""
        return self.looks[-1] if self.looks else None
