"""Prometheus: the interface rollback-guard reads, and its HTTP API backend."""

from paved.adapters.prometheus.interface import (
    PrometheusClient,
    PrometheusQueryError,
    PrometheusUnavailableError,
    Sample,
)

__all__ = ["PrometheusClient", "PrometheusQueryError", "PrometheusUnavailableError", "Sample"]
