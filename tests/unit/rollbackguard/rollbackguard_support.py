"""Fakes for the analysis loop's unit tests: they subclass our own interfaces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from paved.errors import EnvironmentProblemError
from paved.rollbackguard.classify import Observation
from paved.rollbackguard.clock import Clock
from paved.rollbackguard.source import ObservationSource

if TYPE_CHECKING:
    from paved.rollbackguard.metric import MetricCheck

DOWN = "down"
"""A script entry: the backend fails this look."""


class ScriptedSource(ObservationSource):
    """Answers each metric from a script, one entry per look (the last entry repeats)."""

    def __init__(self, script: dict[str, list[Observation | str]]) -> None:
        self.script = script
        self.calls: dict[str, int] = {}
        self.times: list[float] = []
        self.windows: list[float] = []

    def observe(self, check: MetricCheck, window_seconds: float, at: float) -> Observation:
        index = self.calls.get(check.name, 0)
        self.calls[check.name] = index + 1
        self.times.append(at)
        self.windows.append(window_seconds)
        entries = self.script[check.name]
        entry = entries[min(index, len(entries) - 1)]
        if entry == DOWN:
            raise EnvironmentProblemError("Prometheus at http://127.0.0.1:9 did not answer")
        assert isinstance(entry, Observation)
        return entry


@dataclass
class FakeTime:
    """Time that moves only when the loop sleeps."""

    t: float = 1_000.0
    sleeps: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds

    def clock(self) -> Clock:
        return Clock(now=lambda: self.t, monotonic=lambda: self.t, sleep=self.sleep)


def ok(candidate: float, requests: float = 500, stable: float | None = None) -> Observation:
    return Observation(candidate, stable, requests)
