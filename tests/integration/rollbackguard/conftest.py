"""A stable and a canary instance of the example service as real processes, scraped by the
session's Prometheus, with bounded load from paved's own load generator."""

from __future__ import annotations

import sys
import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from paved.adapters.http.interface import LoadProfile
from paved.adapters.http.stdlib import ThreadedLoadGenerator
from paved.adapters.prometheus.http_api import HttpApiPrometheus
from paved.rollbackguard import catalog
from paved.rollbackguard.clock import Clock
from paved.rollbackguard.source import PrometheusObservations, TrackSelectors

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from components.example_service import running_service
from components.prometheus import Target

RATE = 25.0
"""Requests per second to each instance (the machine is small and shared)."""


@dataclass
class Release:
    """Stable and canary of one app, scraped and (optionally) loaded."""

    app: str
    stable_url: str
    canary_url: str
    source: PrometheusObservations

    @property
    def clock(self) -> Clock:
        return Clock(time.time, time.monotonic, time.sleep)

    def wait_requests(self, count: int, timeout: float = 20.0) -> None:
        """Wait until Prometheus counts `count` canary requests over the last 10 s."""
        check = catalog.error_rate()
        query = check.render(check.requests or "", self.source.selectors.candidate, 10)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            samples = self.source.client.instant(query)
            if samples and samples[0].value >= count:
                return
            time.sleep(0.2)
        pytest.fail(f"Prometheus did not count {count} canary requests within {timeout:.0f} s")


@contextmanager
def release(
    prometheus,
    python,
    tmp_path,
    canary_faults=None,
    *,
    stable_faults=None,
    canary_traffic=True,
    seconds=60.0,
):
    """Run stable and canary, wait until both are scraped, load them for up to `seconds`."""
    app = f"shop-{uuid.uuid4().hex[:8]}"
    load = ThreadedLoadGenerator()
    with ExitStack() as stack:
        stable = stack.enter_context(running_service(python, tmp_path, "stable", stable_faults))
        canary = stack.enter_context(running_service(python, tmp_path, "canary", canary_faults))
        prometheus.add_target(Target(stable.address, app, "stable"))
        prometheus.add_target(Target(canary.address, app, "canary"))
        stack.callback(prometheus.remove_app, app)
        prometheus.wait_scraped(app, 2)
        urls = [stable.url] + ([canary.url] if canary_traffic else [])
        for url in urls:
            run = load.start(
                LoadProfile(f"{url}/api/data", RATE, int(RATE * seconds), seconds, concurrency=4)
            )
            stack.callback(run.stop)
        selectors = TrackSelectors(f'app="{app}",track="canary"', f'app="{app}",track="stable"')
        source = PrometheusObservations(HttpApiPrometheus(prometheus.url), selectors)
        yield Release(app, stable.url, canary.url, source)


@pytest.fixture
def make_release(prometheus_running, service_python, tmp_path):
    """release(...) bound to the session's Prometheus and service venv."""

    def make(*args, **kwargs):
        return release(prometheus_running, service_python, tmp_path, *args, **kwargs)

    return make
