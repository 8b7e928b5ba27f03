"""Deterministic fault injection for canary and rollback experiments.

Faults are spread evenly instead of drawn at random: with a rate of 0.25 exactly one
request in every four fails, and any window of N consecutive requests holds either
floor(N * rate) or ceil(N * rate) faults. That makes tests exact and makes a rollback
experiment behave the same on every run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from service.settings import Settings

Sleep = Callable[[float], None]


class EvenSpread:
    """Picks which events of a stream get a fault so that a fixed fraction do, evenly.

    An accumulator gains `rate` per event; each time it reaches 1 the event is picked and
    1 is taken off. The rate is held as an exact fraction of its decimal form (0.1 is
    1/10, not the binary float just under it), so 10 of every 100 events are picked
    rather than 9 after rounding drift.
    """

    def __init__(self, rate: float) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"rate={rate!r} is not valid: expected a number from 0 to 1")
        # repr() gives the shortest decimal that round-trips, i.e. what the operator wrote.
        exact = Fraction(repr(float(rate)))
        self._step = exact.numerator
        self._whole = exact.denominator
        self._accumulated = 0
        # Web servers call this from several threads; the read-modify-write must be atomic.
        self._lock = threading.Lock()

    @property
    def rate(self) -> float:
        return self._step / self._whole

    def next(self) -> bool:
        """Account for one more event; True if this one is picked."""
        if self._step == 0:
            return False
        with self._lock:
            self._accumulated += self._step
            if self._accumulated >= self._whole:
                self._accumulated -= self._whole
                return True
            return False


@dataclass(frozen=True)
class FaultDecision:
    """What to do to one request."""

    fail: bool
    delay_seconds: float


class FaultInjector:
    """Decides, and applies, the faults for each request of a faulted endpoint.

    Errors and delays are spread independently, so a request can be both delayed and
    failed. `sleep` is injectable so tests can record delays instead of waiting.
    """

    def __init__(
        self,
        error_rate: float = 0.0,
        delay_seconds: float = 0.0,
        delay_rate: float = 1.0,
        sleep: Sleep = time.sleep,
    ) -> None:
        if delay_seconds < 0:
            raise ValueError(f"delay_seconds={delay_seconds!r} is not valid: expected >= 0")
        self._errors = EvenSpread(error_rate)
        # With no delay configured the delay stream must not count requests at all.
        self._delays = EvenSpread(delay_rate if delay_seconds > 0 else 0.0)
        self._delay_seconds = delay_seconds
        self._sleep = sleep

    @classmethod
    def from_settings(cls, settings: Settings, sleep: Sleep = time.sleep) -> FaultInjector:
        return cls(
            error_rate=settings.fault_error_rate,
            delay_seconds=settings.fault_delay_seconds,
            delay_rate=settings.fault_delay_rate,
            sleep=sleep,
        )

    @property
    def error_rate(self) -> float:
        return self._errors.rate

    def decide(self) -> FaultDecision:
        """Take the next decision without applying it."""
        delay = self._delay_seconds if self._delays.next() else 0.0
        return FaultDecision(fail=self._errors.next(), delay_seconds=delay)

    def apply(self) -> bool:
        """Sleep if this request is delayed; return True if it must fail."""
        decision = self.decide()
        if decision.delay_seconds > 0:
            self._sleep(decision.delay_seconds)
        return decision.fail
