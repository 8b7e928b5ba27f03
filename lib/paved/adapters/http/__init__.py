"""HTTP probes and load, behind an interface (smoke checks, load during rollouts)."""

from paved.adapters.http.interface import (
    HttpClient,
    HttpEndpoint,
    HttpResponse,
    LatencyPercentiles,
    LoadGenerator,
    LoadProfile,
    LoadReport,
    LoadRun,
)

__all__ = [
    "HttpClient",
    "HttpEndpoint",
    "HttpResponse",
    "LatencyPercentiles",
    "LoadGenerator",
    "LoadProfile",
    "LoadReport",
    "LoadRun",
]
