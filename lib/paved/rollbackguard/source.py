"""Where observations come from: the interface the analysis loop reads, and its Prometheus
implementation over the adapter interface (the HTTP client itself is a backend)."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING

from paved.rollbackguard.classify import Observation

if TYPE_CHECKING:
    from paved.adapters.prometheus.interface import PrometheusClient, Sample
    from paved.rollbackguard.metric import MetricCheck


class ObservationSource(ABC):
    """Answers one metric for the candidate (and stable) over a window ending at `at`.

    Raise EnvironmentProblemError when the backend cannot answer: the loop records an ERROR
    look and counts it under the consecutive-error limit, never as a pass.
    """

    @abstractmethod
    def observe(self, check: MetricCheck, window_seconds: float, at: float) -> Observation:
        """The metric's values at wall time `at` (seconds since the epoch)."""


@dataclass(frozen=True)
class TrackSelectors:
    """PromQL label matchers that pick each track's series."""

    candidate: str
    """e.g. `job="canary"`, or `proxy="app",server="canary"` for HAProxy's exporter."""
    stable: str


def _value(samples: tuple[Sample, ...]) -> float | None:
    """An aggregated query gives one sample; several are a query that did not aggregate, and
    the worst (largest) one counts. NaN (0/0, no traffic) and no sample are no data."""
    values = [s.value for s in samples if not math.isnan(s.value)]
    return max(values) if values else None


class PrometheusObservations(ObservationSource):
    """Instant queries, candidate and stable evaluated at the same instant over one window."""

    def __init__(self, client: PrometheusClient, selectors: TrackSelectors) -> None:
        self.client = client
        self.selectors = selectors

    def _query(
        self, template: str, check: MetricCheck, selector: str, window: float, at: float
    ) -> float | None:
        return _value(self.client.instant(check.render(template, selector, window), at=at))

    def observe(self, check: MetricCheck, window_seconds: float, at: float) -> Observation:
        candidate = self._query(check.query, check, self.selectors.candidate, window_seconds, at)
        stable = (
            self._query(check.query, check, self.selectors.stable, window_seconds, at)
            if check.reads_stable
            else None
        )
        requests = (
            self._query(check.requests, check, self.selectors.candidate, window_seconds, at)
            if check.requests is not None
            else None
        )
        return Observation(candidate, stable, requests)
