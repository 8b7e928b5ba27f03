"""How an analysis loops and when it stops: Argo Rollouts' limits, Flagger's interval x
threshold, and paved's rule that no data is never a pass. Pure."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from enum import StrEnum

from paved.errors import UsageError


class InconclusivePolicy(StrEnum):
    """What an analysis that runs out of data (or of a reachable backend) ends with."""

    HOLD = "hold"
    """Neither promote nor roll back: the rollout stays where it is for a human (Argo's
    inconclusive pause, the seed's promote.sh 'holds at current weight')."""
    FAIL = "fail"
    """Treat it as a failed analysis: roll back."""


@dataclass(frozen=True)
class AnalysisPolicy:
    """The loop's timing and its limits. A limit of N tolerates N such looks; the N+1st ends
    the analysis (Argo's failureLimit / consecutiveErrorLimit)."""

    interval_seconds: float = 1.0
    """Time between looks."""
    window_seconds: float = 10.0
    """The range each query covers (PromQL's `[window]`)."""
    looks: int = 10
    """At most this many looks; the analysis passes only if it ends on a passing look."""
    failure_limit: int = 0
    """Looks that breach a threshold tolerated before the verdict is FAIL."""
    consecutive_error_limit: int = 4
    """Consecutive looks the backend could not answer tolerated before the inconclusive
    policy applies (Argo's default is 4)."""
    no_data_limit: int = 4
    """Consecutive looks with no data (or too few requests) tolerated before the
    inconclusive policy applies."""
    min_requests: int = 50
    """Requests the candidate must have served in the window before its ratios count."""
    required_passes: int = 1
    """Passing looks needed, at least, for a PASS."""
    on_inconclusive: InconclusivePolicy = InconclusivePolicy.HOLD
    pass_early: bool = False
    """End with PASS at the first passing look once required_passes are met (the SLO check:
    one judgement, as soon as its window holds data)."""

    def __post_init__(self) -> None:
        for name, value in (
            ("interval", self.interval_seconds),
            ("window", self.window_seconds),
        ):
            if not math.isfinite(value) or value <= 0:
                raise UsageError(f"{value} is not a duration", name=name, valid="seconds > 0")
        for field in fields(self):
            value = getattr(self, field.name)
            if field.type == "int" and (value < 0 or isinstance(value, bool)):
                raise UsageError(
                    f"{value} is not a count", name=field.name.replace("_", "-"), valid=">= 0"
                )
        try:
            # A front end may hand over the flag's text; the enum is what the loop compares.
            object.__setattr__(self, "on_inconclusive", InconclusivePolicy(self.on_inconclusive))
        except ValueError:
            raise UsageError(
                f"{self.on_inconclusive!r} is not a policy",
                name="on-inconclusive",
                valid=", ".join(p.value for p in InconclusivePolicy),
            ) from None
        if self.looks < 1 or self.required_passes < 1 or self.required_passes > self.looks:
            raise UsageError(
                f"{self.looks} looks with {self.required_passes} required passes cannot pass",
                name="looks",
                valid="looks >= required-passes >= 1",
            )

    def looks_for(self, seconds: float) -> int:
        """How many looks fit in an observation of `seconds` (at least one)."""
        return max(1, math.floor(seconds / self.interval_seconds + 1e-9))
