"""Rollback speed: first bad request served -> all traffic on stable, through the standalone
guard (`paved rollback-guard --target docker`) acting on the real Docker-host target, side by
side for two sources of the canary's error rate:

  counters    HAProxy's own per-server counters (`show stat` through the runtime API);
  prometheus  Debian's Prometheus scraping the candidate's and a stable container's /metrics
              every second (the seed's CanaryHighErrorRate query).

Each bad run deploys 1.0.0 on two instances and a canary of 2.0.0 with FAULT_ERROR_RATE=0.2
(deploy-strategy's executor, stopped at a gate with 20 % of the traffic), then starts load
through HAProxy (RATE rps) and the guard at the same moment (error rate <= 5 % over a 5 s
window, at least --min-requests canary requests, failure limit 0, a look every --interval s).
The first bad request is the first 5xx the load client sees. The figure splits into:

  detection   first bad request -> the end of the look that saw the breach (bounded by the
              look interval, the requests the window needs, and for Prometheus its scrape
              spacing plus rate()'s second sample);
  decision    -> the verdict (the deciding look is the last; no confirmation looks);
  traffic     -> all traffic on stable (HAProxy's runtime API: weights and server states).

Then: false rollbacks of a healthy canary (--healthy-runs guard runs against one healthy
canary under load, per source), and promotions (PASS verdicts) while the backend is down (a
Prometheus URL nothing listens on) or silent (Prometheus up, the canary never scraped; the
counters with no traffic): the goal of both is 0.

    python benchmarks/rollback_speed.py [--runs 5] [--healthy-runs 20] [--silent-runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))
sys.path.insert(0, str(ROOT / "tests"))

from components import base_image, docker_engine, registry  # noqa: E402
from components.docker_host_app import DockerHost, app_on_docker_host, paused_canary  # noqa: E402
from components.prometheus import LocalPrometheus, Target, running_prometheus  # noqa: E402
from components.registry import free_port  # noqa: E402
from components.service_versions import ServiceImages, build_versions  # noqa: E402
from paved.adapters.deploy.interface import Track  # noqa: E402
from paved.adapters.http.interface import LoadProfile, LoadRun  # noqa: E402
from paved.adapters.http.stdlib import ThreadedLoadGenerator  # noqa: E402
from paved.adapters.prometheus.http_api import HttpApiPrometheus  # noqa: E402
from paved.rollbackguard import catalog  # noqa: E402
from paved.rollbackguard.analysis import AnalysisSpec  # noqa: E402
from paved.rollbackguard.clock import Clock  # noqa: E402
from paved.rollbackguard.guard import GuardResult, GuardSettings, guard  # noqa: E402
from paved.rollbackguard.live import ByCheck, RouterCounters  # noqa: E402
from paved.rollbackguard.policy import AnalysisPolicy  # noqa: E402
from paved.rollbackguard.record import Outcome, Verdict  # noqa: E402
from paved.rollbackguard.source import (  # noqa: E402
    ObservationSource,
    PrometheusObservations,
    TrackSelectors,
)

RATE = 60.0
CLOCK = Clock(time.time, time.monotonic, time.sleep)
FAULTY = (("FAULT_ERROR_RATE", "0.2"),)
SOURCES = ("counters", "prometheus")


@dataclass(frozen=True)
class Speed:
    """One bad-canary run, seconds from the first bad request."""

    detection: float
    decision: float
    traffic: float

    @property
    def total(self) -> float:
        return self.detection + self.decision + self.traffic


@dataclass
class Bench:
    engine: docker_engine.DockerEngine
    images: ServiceImages
    prometheus: LocalPrometheus
    args: argparse.Namespace

    def policy(self, looks: int) -> AnalysisPolicy:
        return AnalysisPolicy(
            interval_seconds=self.args.interval,
            window_seconds=5,
            looks=looks,
            min_requests=self.args.min_requests,
            no_data_limit=looks,
            consecutive_error_limit=looks,
        )

    def source(self, kind: str, host: DockerHost, url: str | None = None) -> ObservationSource:
        target = host.target()
        if kind == "counters":
            servers = partial(target.track_servers, host.app)
            return ByCheck({"router-counters": RouterCounters(target.router, host.app, servers)})
        app = f"{host.app}-{uuid.uuid4().hex[:6]}"
        if url is None:
            for track, name in ((Track.CANDIDATE, "canary"), (Track.STABLE, "stable")):
                endpoint = target.endpoint(host.app, track) or ""
                self.prometheus.add_target(Target(endpoint.removeprefix("http://"), app, name))
            self.prometheus.wait_scraped(app, 2)
        selectors = TrackSelectors(f'app="{app}",track="canary"', f'app="{app}",track="stable"')
        prometheus = PrometheusObservations(
            HttpApiPrometheus(url or self.prometheus.url), selectors
        )
        return ByCheck({"error-rate": prometheus})

    def spec(self, kind: str, looks: int) -> AnalysisSpec:
        check = catalog.router_counters_error_rate() if kind == "counters" else catalog.error_rate()
        return AnalysisSpec("shop", (check,), self.policy(looks))

    def run_guard(
        self, kind: str, host: DockerHost, looks: int, source: ObservationSource
    ) -> GuardResult:
        settings = GuardSettings(f"bench-{uuid.uuid4().hex[:6]}")
        return guard(
            host.target(), host.app, self.spec(kind, looks), source, CLOCK, settings=settings
        )

    def load(self, host: DockerHost, seconds: float) -> LoadRun:
        profile = LoadProfile(
            f"{host.url}/api/data", RATE, int(RATE * seconds), seconds, concurrency=6
        )
        return ThreadedLoadGenerator().start(profile)


def bad_run(bench: Bench, kind: str) -> Speed:
    with app_on_docker_host(bench.engine, "speed") as host:
        images = bench.images
        paused_canary(host, images.v1, images.v2, "2.0.0", env=FAULTY)
        source = bench.source(kind, host)
        started = time.time()
        run = bench.load(host, 60)
        result = bench.run_guard(kind, host, 30, source)
        report = run.stop()
    record, rollback = result.record, result.rollback
    if record.verdict is not Verdict.FAIL or rollback is None or not report.failure_times:
        msg = f"{kind}: the bad canary was not rolled back ({record.verdict}, {report})"
        raise RuntimeError(msg)
    first_bad = started + min(report.failure_times)
    deciding = next(look for look in record.looks if look.outcome is Outcome.FAIL)
    seen = record.started_at + deciding.at_seconds
    decided = record.started_at + record.seconds
    return Speed(seen - first_bad, decided - seen, rollback.traffic_seconds)


def healthy_runs(bench: Bench, kind: str, runs: int) -> tuple[int, int]:
    """(false rollbacks, runs) against one healthy canary under load."""
    false = 0
    with app_on_docker_host(bench.engine, "calm") as host:
        paused_canary(host, bench.images.v1, bench.images.v2, "2.0.0")
        load = bench.load(host, 600)
        try:
            for _ in range(runs):
                result = bench.run_guard(kind, host, 3, bench.source(kind, host))
                if result.rolled_back:
                    false += 1
                    paused_canary(host, bench.images.v1, bench.images.v2, "2.0.0")
        finally:
            load.stop()
    return false, runs


def silent_runs(bench: Bench, runs: int) -> dict[str, tuple[int, int]]:
    """PASS verdicts (promotions) with the backend down or silent, per case: (passes, runs)."""
    cases: dict[str, tuple[int, int]] = {}
    with app_on_docker_host(bench.engine, "mute") as host:
        paused_canary(host, bench.images.v1, bench.images.v2, "2.0.0")
        down = f"http://127.0.0.1:{free_port()}"
        plans = {
            "prometheus down": lambda: bench.source("prometheus", host, down),
            # Prometheus answers, but nothing of this canary was ever scraped.
            "prometheus silent": lambda: bench.source("prometheus", host, bench.prometheus.url),
            "counters, no traffic": lambda: bench.source("counters", host),
        }
        for name, make in plans.items():
            kind = "counters" if name.startswith("counters") else "prometheus"
            passes = sum(
                bench.run_guard(kind, host, 3, make()).record.verdict is Verdict.PASS
                for _ in range(runs)
            )
            cases[name] = (passes, runs)
    return cases


def _figure(values: list[float]) -> str:
    return f"{statistics.median(values):6.2f} s ({min(values):.2f}-{max(values):.2f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--healthy-runs", type=int, default=20)
    parser.add_argument("--silent-runs", type=int, default=3)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--min-requests", type=int, default=10)
    args = parser.parse_args()
    with (
        docker_engine.running_engine() as engine,
        registry.running_registry() as local,
        running_prometheus() as prometheus,
        tempfile.TemporaryDirectory(prefix="pvd-speed-") as work,
    ):
        base_image.ensure_base_image(engine)
        images = build_versions(engine, local, ROOT / "examples" / "python-service", Path(work))
        bench = Bench(engine, images, prometheus, args)
        print(
            f"rollback speed: {RATE:g} rps through HAProxy, canary at 20 % with 20 % errors, "
            f"a look every {args.interval:g} s, >= {args.min_requests} requests in a 5 s "
            f"window, Prometheus scrape 1 s; medians (min-max) over {args.runs} runs"
        )
        speeds = {kind: [bad_run(bench, kind) for _ in range(args.runs)] for kind in SOURCES}
        print(f"{'':12}{'counters':>26}{'prometheus':>26}")
        for part in ("detection", "decision", "traffic", "total"):
            cells = [_figure([getattr(s, part) for s in speeds[kind]]) for kind in SOURCES]
            print(f"{part:12}" + "".join(f"{c:>26}" for c in cells))
        for kind in SOURCES:
            false, runs = healthy_runs(bench, kind, args.healthy_runs)
            print(f"false rollbacks of a healthy canary, {kind}: {false} of {runs}")
        for name, (passes, runs) in silent_runs(bench, args.silent_runs).items():
            print(f"promotions with {name}: {passes} of {runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
