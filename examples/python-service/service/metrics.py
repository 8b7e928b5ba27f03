"""Prometheus metrics for the service.

Each app owns its CollectorRegistry instead of using prometheus-client's global one, so
a process (the test suite, for one) can build many apps without "duplicated timeseries"
errors and without one app's counts leaking into another's.
"""

from __future__ import annotations

import time

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from service.settings import Settings

METRICS_PATH = "/metrics"
UNMATCHED = "unmatched"
OTHER_METHOD = "other"

# Any string is a valid HTTP method on the wire; bounding the label keeps a scanner
# sending made-up methods from creating new time series.
_KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def endpoint_label() -> str:
    """The matched route's rule (e.g. /api/data), never the raw path, to bound cardinality."""
    rule = request.url_rule
    return rule.rule if rule is not None else UNMATCHED


def method_label() -> str:
    method = request.method.upper()
    return method if method in _KNOWN_METHODS else OTHER_METHOD


class Metrics:
    """The service's metrics and the Flask hooks that record them."""

    def __init__(self, settings: Settings) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests answered, by method, route and status code.",
            ["method", "endpoint", "status"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "http_request_duration_seconds",
            "Time spent answering HTTP requests, by method and route.",
            ["method", "endpoint"],
            registry=self.registry,
        )
        self.info = Gauge(
            "app_info",
            "Always 1; the labels say which build is running where.",
            ["version", "environment"],
            registry=self.registry,
        )
        self.info.labels(version=settings.app_version, environment=settings.environment).set(1)

    def instrument(self, app: Flask) -> None:
        """Time and count every request the app answers, except scrapes of /metrics."""
        app.before_request(self._start_timer)
        app.after_request(self._record)

    def _start_timer(self) -> None:
        g.metrics_started = time.perf_counter()

    def _record(self, response: Response) -> Response:
        endpoint = endpoint_label()
        # Scrapes would otherwise dominate the counts and skew the latency histogram.
        if endpoint == METRICS_PATH:
            return response
        method = method_label()
        self.requests.labels(
            method=method, endpoint=endpoint, status=str(response.status_code)
        ).inc()
        started = g.get("metrics_started")
        if started is not None:
            elapsed = time.perf_counter() - started
            self.duration.labels(method=method, endpoint=endpoint).observe(elapsed)
        return response

    def exposition(self) -> Response:
        """The registry in Prometheus text format."""
        return Response(
            generate_latest(self.registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )
