"""Prometheus' HTTP API (`GET /api/v1/query`) through the standard library."""

from __future__ import annotations

import http.client
import json
import math
import urllib.error
import urllib.parse
import urllib.request

from paved.adapters.prometheus.interface import (
    PrometheusClient,
    PrometheusQueryError,
    PrometheusUnavailableError,
    Sample,
)
from paved.errors import UsageError

_MAX_BODY = 16 << 20
_HINT = "start Prometheus, or point --prometheus-url at one that answers"
# 400: bad_data (a parse error); 422: execution error (e.g. many-to-many matching).
_REJECTED = frozenset({400, 422})


class AnswerShapeError(Exception):
    """The answer is JSON but not the shape the query API documents."""


def _parse_value(pair: object) -> tuple[float, float]:
    if not (isinstance(pair, list) and len(pair) == 2):  # noqa: PLR2004 - [time, "value"]
        raise AnswerShapeError("a sample is not [time, value]")
    timestamp, text = pair
    if not isinstance(timestamp, (int, float)) or not isinstance(text, str):
        raise AnswerShapeError("a sample is not [number, string]")
    return float(text), float(timestamp)


def parse_result(document: object) -> tuple[Sample, ...]:
    """The samples of a successful query response (vector or scalar); AnswerShapeError otherwise."""
    if not isinstance(document, dict) or document.get("status") != "success":
        raise AnswerShapeError("the answer is not a successful query result")
    data = document.get("data")
    if not isinstance(data, dict):
        raise AnswerShapeError("the answer has no data")
    kind = data.get("resultType")
    result = data.get("result")
    if kind == "scalar":
        value, timestamp = _parse_value(result)
        return (Sample(value, timestamp),)
    if kind != "vector" or not isinstance(result, list):
        raise AnswerShapeError(f"a query result of type {kind!r} is not an instant vector")
    samples = []
    for item in result:
        if not isinstance(item, dict) or not isinstance(item.get("metric"), dict):
            raise AnswerShapeError("a vector element has no metric labels")
        value, timestamp = _parse_value(item.get("value"))
        labels = {str(k): str(v) for k, v in item["metric"].items()}
        samples.append(Sample(value, timestamp, labels))
    return tuple(samples)


def _error_text(body: bytes) -> str:
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return body[:200].decode("utf-8", "replace")
    if isinstance(document, dict):
        return f"{document.get('errorType', 'error')}: {document.get('error', '')}"
    return "an unexpected answer"


class HttpApiPrometheus(PrometheusClient):
    """One GET per query; no retries (the analysis loop counts failures under its limit)."""

    def __init__(self, base_url: str, *, timeout_seconds: float = 5.0) -> None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise UsageError(
                f"{base_url!r} is not an http(s) URL",
                name="prometheus-url",
                valid="http://host:9090",
            )
        self.base_url = base_url.rstrip("/")
        self.timeout_seconds = timeout_seconds

    def instant(self, promql: str, *, at: float | None = None) -> tuple[Sample, ...]:
        params = {"query": promql, "timeout": f"{self.timeout_seconds:g}s"}
        if at is not None:
            if not math.isfinite(at):
                raise UsageError(f"{at} is not a time", name="at", valid="epoch seconds")
            params["time"] = f"{at:.3f}"
        url = f"{self.base_url}/api/v1/query?{urllib.parse.urlencode(params)}"
        status, content_type, body = self._get(url)
        if status in _REJECTED:
            raise PrometheusQueryError(
                f"Prometheus rejected the query ({_error_text(body)})",
                name="query",
                valid=f"PromQL that Prometheus accepts; the query was: {promql}",
            )
        if status != 200:  # noqa: PLR2004 - HTTP OK
            raise PrometheusUnavailableError(
                f"Prometheus at {self.base_url} answered HTTP {status} ({_error_text(body)})",
                hint=_HINT,
            )
        if content_type.split(";")[0].strip().lower() != "application/json":
            raise PrometheusUnavailableError(
                f"{self.base_url} answered {content_type or 'no content type'}, "
                "not the Prometheus API's application/json",
                hint="check that --prometheus-url is Prometheus itself",
            )
        try:
            return parse_result(json.loads(body))
        except (UnicodeDecodeError, json.JSONDecodeError, AnswerShapeError, ValueError) as exc:
            raise PrometheusUnavailableError(
                f"Prometheus at {self.base_url} gave an answer paved cannot read ({exc})",
                hint="check that --prometheus-url is Prometheus itself",
            ) from None

    def _get(self, url: str) -> tuple[int, str, bytes]:
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - scheme checked
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310
                return (
                    response.status,
                    response.headers.get("Content-Type", ""),
                    response.read(_MAX_BODY),
                )
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("Content-Type", ""), exc.read(_MAX_BODY)
        except urllib.error.URLError as exc:
            detail = str(exc.reason)
        except (OSError, ValueError, http.client.HTTPException) as exc:
            # Timeouts, resets, and answers cut short (IncompleteRead) mid-body.
            detail = str(exc) or type(exc).__name__
        raise PrometheusUnavailableError(
            f"Prometheus at {self.base_url} did not answer ({detail})", hint=_HINT
        )
