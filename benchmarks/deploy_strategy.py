"""deploy-strategy on the Docker host: rollback speed, failed requests, per-step overhead.

Real components on loopback: a private dockerd, a registry, Debian's HAProxy (runtime API),
the example service in its versions (tests/components/service_versions.py), and load from
paved's own load generator (80 requests/s, 8 threads) through HAProxy.

rollback:  a canary of the failing version (every /api/data 500) at 10 %; the analysis sees
           the 500 and decides; timed from that decision until HAProxy has every request on
           stable (the router calls returned; the very next request follows them). Goal < 1 s.
blue-green: a healthy 1.0.0 -> 2.0.0 switch (bake 2 s) under load: failed requests (goal 0).
canary:    a healthy 1.0.0 -> 2.0.0 canary 10 -> 50 -> 100 (analysis 1 s a step) under load:
           failed requests (goal 0), and the overhead of a canary step: the time of its
           set-weight step plus the state write and lease renewal around it, i.e. the step
           minus its analysis window.
Each scenario runs --runs times (default 3) on a fresh app; medians (min-max) are printed.

    python benchmarks/deploy_strategy.py [--runs 3]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "lib"), str(ROOT / "tests")]
from components import base_image, docker_engine, registry  # noqa: E402
from components.haproxy import running_haproxy  # noqa: E402
from components.service_versions import build_versions  # noqa: E402
from paved.adapters.deploy.containers import ContainerEngine  # noqa: E402
from paved.adapters.deploy.docker_host import DockerHostSettings, DockerHostTarget  # noqa: E402
from paved.adapters.http.interface import LoadProfile  # noqa: E402
from paved.adapters.http.stdlib import StdlibHttpClient, ThreadedLoadGenerator  # noqa: E402
from paved.adapters.router.haproxy import HaproxyRuntime  # noqa: E402
from paved.deploystrategy.analysis import ReadinessAndSmoke  # noqa: E402
from paved.deploystrategy.clock import Clock  # noqa: E402
from paved.deploystrategy.core import Rollout  # noqa: E402
from paved.deploystrategy.options import (  # noqa: E402
    DeployOptions,
    Strategy,
    canary_steps,
    parse_smoke_check,
)
from paved.deploystrategy.outcome import DeployOutcome, DeployResult  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Callable

    from paved.adapters.http.interface import LoadRun

CLOCK = Clock(now=time.time, monotonic=time.monotonic, sleep=time.sleep)
_apps = itertools.count(1)


def median(values: list[float], unit: str, scale: float = 1.0) -> str:
    """median (min-max) of `values`."""
    shown = [v * scale for v in values]
    return f"{statistics.median(shown):.1f} {unit} ({min(shown):.1f}-{max(shown):.1f})"


class Host:
    """One app's HAProxy backend and target on the engine."""

    def __init__(
        self, engine: docker_engine.DockerEngine, socket: Path, url: str, app: str
    ) -> None:
        self.engine = engine
        self.url = url
        self.app = app
        self.target = DockerHostTarget(
            ContainerEngine(engine.host),
            HaproxyRuntime(socket),
            StdlibHttpClient(),
            DockerHostSettings(backend=app, network="paved-bench"),
        )

    def deploy(
        self,
        image: str,
        strategy: Strategy,
        analysis_checks: str = "/health",
        **more: Any,  # noqa: ANN401 - DeployOptions fields
    ) -> DeployOutcome:
        checks = (parse_smoke_check("/health"),)
        analysis = ReadinessAndSmoke(
            self.target, (parse_smoke_check(analysis_checks),), CLOCK, interval=0.2
        )
        options = DeployOptions(
            self.app, image, strategy, smoke_checks=checks, holder="bench", **more
        )
        return Rollout(options, self.target, analysis, CLOCK).run()

    def clean(self) -> None:
        ids = self.engine.docker("ps", "-aq", f"--filter=label=paved.dev/app={self.app}")
        if ids.stdout.split():
            self.engine.docker("rm", "--force", *ids.stdout.split())


def scenario(engine: docker_engine.DockerEngine, run: Callable[[Host], None]) -> None:
    """Run `run(host)` on a fresh app with its own HAProxy; clean up after."""
    app = f"bench-{next(_apps)}"
    with running_haproxy((app,)) as haproxy:
        host = Host(engine, haproxy.socket, haproxy.url(app), app)
        try:
            run(host)
        finally:
            host.clean()


def load_on(host: Host) -> LoadRun:
    """Steady load through HAProxy until stopped."""
    return ThreadedLoadGenerator().start(
        LoadProfile(f"{host.url}/api/data", 80, 50_000, 300, concurrency=8)
    )


def expect(outcome: DeployOutcome, result: DeployResult) -> None:
    """Stop the benchmark when a scenario did not end as it must."""
    if outcome.result is not result:
        msg = f"expected {result.value}, got {outcome.result.value}: {outcome.reason}"
        raise SystemExit(msg)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with (
        docker_engine.running_engine() as engine,
        registry.running_registry() as local,
        tempfile.TemporaryDirectory() as work,
    ):
        base_image.ensure_base_image(engine)
        images = build_versions(engine, local, ROOT / "examples" / "python-service", Path(work))
        restored, rollback_failures, bg_failures, canary_failures = [], [], [], []
        step_overhead: list[float] = []
        requests = {"blue-green": 0, "canary": 0}

        def rollback(host: Host) -> None:
            host.deploy(images.v1, Strategy.DIRECT, replicas=2)
            load = load_on(host)
            outcome = host.deploy(
                images.failing,
                Strategy.CANARY,
                "/api/data status=200",
                canary_steps=canary_steps((10, 50, 100), 5.0),
            )
            report = load.stop()
            expect(outcome, DeployResult.ROLLED_BACK)
            restored.append(outcome.traffic_restored_seconds or 0.0)
            rollback_failures.append(report.failures)

        def blue_green(host: Host) -> None:
            host.deploy(images.v1, Strategy.DIRECT, replicas=2)
            load = load_on(host)
            outcome = host.deploy(images.v2, Strategy.BLUE_GREEN, bake_seconds=2.0)
            report = load.stop()
            expect(outcome, DeployResult.SUCCEEDED)
            bg_failures.append(report.failures)
            requests["blue-green"] += report.requests

        def canary(host: Host) -> None:
            host.deploy(images.v1, Strategy.DIRECT, replicas=2)
            load = load_on(host)
            outcome = host.deploy(
                images.v2, Strategy.CANARY, canary_steps=canary_steps((10, 50, 100), 1.0)
            )
            report = load.stop()
            expect(outcome, DeployResult.SUCCEEDED)
            canary_failures.append(report.failures)
            requests["canary"] += report.requests
            records = list(outcome.steps)
            for before, after in itertools.pairwise(records):
                if before.step.kind.value == "set-weight" and after.step.kind.value == "analyse":
                    # From the start of set-weight to the start of the analysis: the router
                    # change plus the state write and lease renewal between the two.
                    step_overhead.append(after.started - before.started)

        for _ in range(args.runs):
            scenario(engine, rollback)
            scenario(engine, blue_green)
            scenario(engine, canary)

    print(f"deploy-strategy on the Docker host, {args.runs} runs each, load 80 req/s")
    print(f"  rollback decision -> all traffic on stable: {median(restored, 'ms', 1000)}")
    print(
        f"  failed requests, faulty canary at 10 % until rollback: "
        f"{median([float(f) for f in rollback_failures], 'requests')}"
    )
    print(
        f"  failed requests, healthy blue-green switch: {sum(bg_failures)} of "
        f"{requests['blue-green']} (per run {bg_failures})"
    )
    print(
        f"  failed requests, healthy canary 10 -> 50 -> 100: {sum(canary_failures)} of "
        f"{requests['canary']} (per run {canary_failures})"
    )
    print(f"  overhead per canary step (excluding analysis): {median(step_overhead, 'ms', 1000)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
