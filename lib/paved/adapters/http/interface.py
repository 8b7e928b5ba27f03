"""HTTP as deploy-strategy and rollback-guard use it: one probe, and a bounded load generator.

Backends raise no exception for what the server answers (a 500, a refused connection, a
timeout are all results: `HttpResponse.error`), so a smoke check or a load run always ends
with numbers. Only a URL that is not http(s) is a UsageError.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass(frozen=True)
class HttpResponse:
    """One request's outcome."""

    url: str
    status: int | None
    """None when no response came (refused, reset, timed out)."""
    body: bytes
    seconds: float
    error: str = ""
    """Why there is no status, in a few words."""

    @property
    def failed(self) -> bool:
        """No answer, or a 5xx: what a user would call a failed request."""
        return self.status is None or self.status >= 500  # noqa: PLR2004 - HTTP 5xx


@dataclass(frozen=True)
class LoadProfile:
    """How much load to send, bounded in count and in time."""

    url: str
    rate_per_second: float
    """Requests started per second, spread evenly across the workers."""
    max_requests: int
    """Stop after this many requests, whatever the time."""
    max_seconds: float
    """Stop after this long, whatever the count."""
    concurrency: int = 4
    timeout_seconds: float = 5.0


@dataclass(frozen=True)
class LatencyPercentiles:
    """Latency of the requests that got an answer, in milliseconds."""

    p50: float
    p95: float
    p99: float
    max: float


@dataclass(frozen=True)
class LoadReport:
    """What a load run measured."""

    requests: int
    failures: int
    """Requests without an answer or answered with a 5xx."""
    seconds: float
    latency: LatencyPercentiles | None
    """None when no request got an answer."""
    statuses: dict[int, int]
    """How many answers of each status."""
    errors: dict[str, int]
    """How many requests failed without an answer, by reason."""
    failure_times: tuple[float, ...] = ()
    """When each failure happened, seconds from the start of the run (first 100 kept)."""

    @property
    def failure_ratio(self) -> float:
        """Failures over requests (0.0 for no requests)."""
        return self.failures / self.requests if self.requests else 0.0


class HttpClient(ABC):
    """Sends single requests."""

    @abstractmethod
    def get(self, url: str, *, timeout_seconds: float = 5.0) -> HttpResponse:
        """GET `url`; never raises for what the server does."""


@dataclass(frozen=True)
class HttpEndpoint:
    """Where one track answers, and the client that can reach it: a container's published
    port with a plain client, or a Kubernetes Service through the API server's service proxy
    with the rollout's own credentials. Smoke checks send paths to it."""

    base: str
    """The URL the paths are appended to (shown in reports)."""
    client: HttpClient

    def url(self, path: str) -> str:
        """The full URL of `path` (which starts with '/')."""
        return self.base.rstrip("/") + path

    def get(self, path: str, *, timeout_seconds: float = 5.0) -> HttpResponse:
        """GET `path` on this endpoint; never raises for what the server does."""
        return self.client.get(self.url(path), timeout_seconds=timeout_seconds)


class LoadRun(ABC):
    """A load run in progress (started by `LoadGenerator.start`)."""

    @abstractmethod
    def stop(self) -> LoadReport:
        """Stop sending, wait for the requests in flight, and report. Idempotent."""

    @abstractmethod
    def wait(self) -> LoadReport:
        """Wait until the profile's bounds end the run, then report."""


class LoadGenerator(ABC):
    """Sends steady load in the background while a rollout runs."""

    @abstractmethod
    def start(self, profile: LoadProfile) -> LoadRun:
        """Begin sending; it stops by itself at the profile's bounds or when stopped."""

    def run(self, profile: LoadProfile) -> LoadReport:
        """Send the whole profile and report (blocks until a bound is reached)."""
        return self.start(profile).wait()
