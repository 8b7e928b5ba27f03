"""Prometheus as rollback-guard reads it: instant queries over its HTTP API.

Backends translate every failure into paved's error tree: the server not answering, a 5xx,
an answer that is not the API's JSON -> PrometheusUnavailableError (exit 3, and to the
analysis an ERROR look, never a pass); a query Prometheus rejects -> PrometheusQueryError
(exit 2: the PromQL is wrong, waiting will not help).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from paved.errors import EnvironmentProblemError, UsageError


class PrometheusUnavailableError(EnvironmentProblemError):
    """Prometheus did not answer a query (down, overloaded, or not Prometheus at all)."""


class PrometheusQueryError(UsageError):
    """Prometheus answered that the query is not valid PromQL or cannot be executed."""


@dataclass(frozen=True)
class Sample:
    """One element of an instant vector (or the value of a scalar)."""

    value: float
    """May be NaN (0/0) or infinite, as Prometheus gives it."""
    timestamp: float
    labels: dict[str, str] = field(default_factory=dict)


class PrometheusClient(ABC):
    """Instant queries against one Prometheus server."""

    base_url: str = ""

    @abstractmethod
    def instant(self, promql: str, *, at: float | None = None) -> tuple[Sample, ...]:
        """Evaluate `promql` at wall time `at` (now when None); the vector's samples, or a
        scalar's one sample. Raise the errors above."""
