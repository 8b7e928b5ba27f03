"""HTTP through the standard library's http.client: a probe and a threaded load generator."""

from __future__ import annotations

import contextvars
import http.client
import math
import threading
import time
import urllib.parse
from collections import Counter

from paved.adapters.http.interface import (
    HttpClient,
    HttpResponse,
    LatencyPercentiles,
    LoadGenerator,
    LoadProfile,
    LoadReport,
    LoadRun,
)
from paved.errors import UsageError

_MAX_BODY = 1 << 20
_KEPT_FAILURE_TIMES = 100


def _split(url: str) -> tuple[str, str, int | None, str]:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UsageError(
            f"{url!r} is not an http(s) URL", name="url", valid="http://host:port/path"
        )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return parts.scheme, parts.hostname, parts.port, path


class StdlibHttpClient(HttpClient):
    """One connection per request, closed after it (what a fresh user would do)."""

    def get(self, url: str, *, timeout_seconds: float = 5.0) -> HttpResponse:
        scheme, host, port, path = _split(url)
        connection_type = (
            http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        )
        started = time.monotonic()
        connection = connection_type(host, port, timeout=timeout_seconds)
        try:
            connection.request("GET", path, headers={"Connection": "close"})
            response = connection.getresponse()
            body = response.read(_MAX_BODY)
            return HttpResponse(url, response.status, body, time.monotonic() - started)
        except (OSError, http.client.HTTPException) as exc:
            reason = type(exc).__name__ if not str(exc) else f"{type(exc).__name__}: {exc}"
            return HttpResponse(url, None, b"", time.monotonic() - started, error=reason)
        finally:
            connection.close()


def percentiles(latencies_ms: list[float]) -> LatencyPercentiles | None:
    """Nearest-rank p50/p95/p99 and the maximum; None for no data."""
    if not latencies_ms:
        return None
    ordered = sorted(latencies_ms)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    return LatencyPercentiles(p50=rank(50), p95=rank(95), p99=rank(99), max=ordered[-1])


class _ThreadedRun(LoadRun):
    """Workers share one schedule: request i starts at start + i / rate."""

    def __init__(self, profile: LoadProfile, client: HttpClient) -> None:
        if profile.rate_per_second <= 0 or profile.max_requests < 1 or profile.max_seconds <= 0:
            raise UsageError(
                "a load profile needs a positive rate, request count and duration",
                name="load",
                valid="rate > 0, max-requests >= 1, max-seconds > 0",
            )
        _split(profile.url)
        self.profile = profile
        self.client = client
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.next_index = 0
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.errors: Counter[str] = Counter()
        self.failure_times: list[float] = []
        self.failures = 0
        self.report: LoadReport | None = None
        self.started = time.monotonic()
        self.threads = [
            threading.Thread(target=contextvars.copy_context().run, args=(self._work,), daemon=True)
            for _ in range(max(1, profile.concurrency))
        ]
        for thread in self.threads:
            thread.start()

    def _claim(self) -> float | None:
        with self.lock:
            if self.next_index >= self.profile.max_requests:
                return None
            due = self.started + self.next_index / self.profile.rate_per_second
            self.next_index += 1
        if due - self.started >= self.profile.max_seconds:
            return None
        return due

    def _work(self) -> None:
        while not self.stopping.is_set():
            due = self._claim()
            if due is None:
                return
            delay = due - time.monotonic()
            if delay > 0 and self.stopping.wait(delay):
                return
            response = self.client.get(
                self.profile.url, timeout_seconds=self.profile.timeout_seconds
            )
            self._record(response)

    def _record(self, response: HttpResponse) -> None:
        with self.lock:
            if response.status is not None:
                self.statuses[response.status] += 1
                self.latencies.append(response.seconds * 1000)
            else:
                self.errors[response.error.split(":")[0]] += 1
            if response.failed:
                self.failures += 1
                if len(self.failure_times) < _KEPT_FAILURE_TIMES:
                    self.failure_times.append(time.monotonic() - self.started)

    def _finish(self) -> LoadReport:
        for thread in self.threads:
            thread.join(self.profile.timeout_seconds + 1)
        if self.report is None:
            with self.lock:
                self.report = LoadReport(
                    requests=sum(self.statuses.values()) + sum(self.errors.values()),
                    failures=self.failures,
                    seconds=time.monotonic() - self.started,
                    latency=percentiles(self.latencies),
                    statuses=dict(self.statuses),
                    errors=dict(self.errors),
                    failure_times=tuple(self.failure_times),
                )
        return self.report

    def stop(self) -> LoadReport:
        self.stopping.set()
        return self._finish()

    def wait(self) -> LoadReport:
        for thread in self.threads:
            thread.join(self.profile.max_seconds + self.profile.timeout_seconds + 1)
        return self._finish()


class ThreadedLoadGenerator(LoadGenerator):
    """Load from a few threads on this machine, with the stdlib client."""

    def __init__(self, client: HttpClient | None = None) -> None:
        self.client = client or StdlibHttpClient()

    def start(self, profile: LoadProfile) -> LoadRun:
        return _ThreadedRun(profile, self.client)
