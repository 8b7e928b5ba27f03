"""Ready-made metrics: the seed's three PrometheusRule alerts and its two SLOs, as PromQL
over the example service's prometheus-client metrics (http_requests_total with a `status`
label, the http_request_duration_seconds histogram) and over HAProxy's built-in exporter.

A track is picked by `{selector}` (see TrackSelectors); every ratio comes with a request
count so that a window with too few requests is no data, never a pass.
"""

from __future__ import annotations

from paved.rollbackguard.metric import Comparison, MetricCheck, Threshold, Unit

ERROR_RATE_LIMIT = 0.05
"""CanaryHighErrorRate: more than 5 % of requests answered 5xx."""
P95_FACTOR = 1.25
"""CanaryHighLatency: p95 more than 25 % above stable's."""
MEMORY_LIMIT_BYTES = 100 * 1024 * 1024
"""CanaryHighMemory: resident memory above 100 MB (MiB, as Kubernetes counts it)."""
AVAILABILITY_TARGET = 0.999
"""slo-check.py --availability-target=99.9"""
LATENCY_TARGET_SECONDS = 0.2
"""slo-check.py --latency-target=200 (ms, the average)."""
P95_FLOOR_SECONDS = 0.025
"""A relative p95 bound is never under 25 ms: Prometheus' default histogram buckets are
5, 10, 25 ms..., so below that the quantile is bucket noise, not a regression."""

_REQUESTS = "sum(increase(http_requests_total{{{selector}}}[{window}]))"
_ERRORS = (
    '(sum(rate(http_requests_total{{{selector},status=~"5.."}}[{window}])) or vector(0))'
    " / sum(rate(http_requests_total{{{selector}}}[{window}]))"
)
_P95 = (
    "histogram_quantile(0.95, sum by (le) "
    "(rate(http_request_duration_seconds_bucket{{{selector}}}[{window}])))"
)
_MEAN_LATENCY = (
    "sum(rate(http_request_duration_seconds_sum{{{selector}}}[{window}]))"
    " / sum(rate(http_request_duration_seconds_count{{{selector}}}[{window}]))"
)
_MEMORY = "max(process_resident_memory_bytes{{{selector}}})"
_HAPROXY_REQUESTS = "sum(increase(haproxy_server_http_responses_total{{{selector}}}[{window}]))"
_HAPROXY_ERRORS = (
    '(sum(rate(haproxy_server_http_responses_total{{{selector},code="5xx"}}[{window}]))'
    " or vector(0)) / sum(rate(haproxy_server_http_responses_total{{{selector}}}[{window}]))"
)


def error_rate(limit: float = ERROR_RATE_LIMIT) -> MetricCheck:
    """The app's 5xx ratio over the window, at most `limit`."""
    return MetricCheck(
        "error-rate",
        _ERRORS,
        Threshold(Comparison.AT_MOST, limit),
        Unit.RATIO,
        requests=_REQUESTS,
        stable_needed=True,
    )


def p95_latency(factor: float = P95_FACTOR) -> MetricCheck:
    """The app's p95 latency, at most `factor` x stable's over the same window."""
    return MetricCheck(
        "p95-latency",
        _P95,
        Threshold(Comparison.AT_MOST, factor, relative_to_stable=True, floor=P95_FLOOR_SECONDS),
        Unit.SECONDS,
        requests=_REQUESTS,
    )


def memory(limit_bytes: float = MEMORY_LIMIT_BYTES) -> MetricCheck:
    """Resident memory of the track's processes (prometheus-client's process collector)."""
    return MetricCheck("memory", _MEMORY, Threshold(Comparison.AT_MOST, limit_bytes), Unit.BYTES)


def haproxy_error_rate(limit: float = ERROR_RATE_LIMIT) -> MetricCheck:
    """The 5xx ratio HAProxy's exporter counts for one server (selector `proxy=..,server=..`):
    it sees the error when it is served, before the app's next scrape."""
    return MetricCheck(
        "router-error-rate",
        _HAPROXY_ERRORS,
        Threshold(Comparison.AT_MOST, limit),
        Unit.RATIO,
        requests=_HAPROXY_REQUESTS,
    )


def availability(target: float = AVAILABILITY_TARGET) -> MetricCheck:
    """SLO: the share of requests not answered 5xx, at least `target`."""
    return MetricCheck(
        "availability",
        f"1 - ({_ERRORS})",
        Threshold(Comparison.AT_LEAST, target),
        Unit.RATIO,
        requests=_REQUESTS,
    )


def mean_latency(target_seconds: float = LATENCY_TARGET_SECONDS) -> MetricCheck:
    """SLO: the average latency, at most `target_seconds`."""
    return MetricCheck(
        "latency",
        _MEAN_LATENCY,
        Threshold(Comparison.AT_MOST, target_seconds),
        Unit.SECONDS,
        requests=_REQUESTS,
    )


def seed_rules() -> tuple[MetricCheck, ...]:
    """The seed's PrometheusRule: error rate, p95 against stable, memory."""
    return (error_rate(), p95_latency(), memory())


def seed_slos() -> tuple[MetricCheck, ...]:
    """The seed's slo-check.py targets."""
    return (availability(), mean_latency())


READY_RATIO_LIMIT = 0.8
"""rollback-controller.py: at least 80 % of the pods ready."""


def ready_ratio(limit: float = READY_RATIO_LIMIT) -> MetricCheck:
    """Ready instances over asked-for instances, from the deploy target itself (Kubernetes
    Deployment status, Docker health); not a PromQL query."""
    return MetricCheck(
        "ready-ratio",
        "ready / desired instances of {selector} (the deploy target)",
        Threshold(Comparison.AT_LEAST, limit),
        Unit.RATIO,
        stable_needed=True,
    )


def router_counters_error_rate(limit: float = ERROR_RATE_LIMIT) -> MetricCheck:
    """The 5xx ratio of the track's HAProxy servers from HAProxy's own counters (`show stat`
    through the runtime API): the difference of two readings, no scrape in between."""
    return MetricCheck(
        "router-counters",
        "hrsp_5xx / all answers of {selector} over {window} (HAProxy show stat)",
        Threshold(Comparison.AT_MOST, limit),
        Unit.RATIO,
        requests="answers of {selector} over {window} (HAProxy show stat)",
        stable_needed=True,
    )


def smoke() -> MetricCheck:
    """The share of HTTP smoke checks (status and JSON body, the chapter's `/health` and
    `/api/data`) that the track answers as expected; all of them must pass."""
    return MetricCheck(
        "smoke",
        "smoke checks answered as expected by {selector} (HTTP)",
        Threshold(Comparison.AT_LEAST, 1.0),
        Unit.RATIO,
        stable_needed=True,
    )
