"""The chapter's rollback-controller demo, done for real on a local Docker-host sandbox.

Starts a private dockerd, a registry and HAProxy on loopback (the components the tests use),
builds the example service, deploys 1.0.0 on three instances, then:

1. a healthy 2.0.0 as a canary with 20 % of the traffic: rollback-guard watches it (the
   target's ready instances, HAProxy's own 5xx counters) and passes it; it is promoted;
2. a 4.0.0 that degrades (FAULT_ERROR_RATE=0.3 on /api/data) as the next canary: the guard
   sees the errors, triggers the rollback through the target, and the load generator shows
   the recovery (no failed request once traffic is back on stable).

Every check is printed ("Check #1: 3/3 ready - Healthy ..."). Needs root (dockerd), haproxy
and the offline base image (built once, cached). About a minute once the base image exists.

    python examples/guard_demo.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent
ROOT = EXAMPLES.parent
sys.path[:0] = [str(ROOT / "lib"), str(ROOT / "tests")]
from components import base_image, docker_engine, registry  # noqa: E402
from components.docker_host_app import DockerHost, app_on_docker_host, deploy  # noqa: E402
from components.errors import ComponentError  # noqa: E402
from components.service_versions import build_versions  # noqa: E402
from paved.adapters.http.interface import LoadProfile, LoadRun  # noqa: E402
from paved.adapters.http.stdlib import ThreadedLoadGenerator  # noqa: E402
from paved.deploystrategy.options import Strategy, canary_steps  # noqa: E402
from paved.rollbackguard import catalog  # noqa: E402
from paved.rollbackguard.analysis import AnalysisSpec  # noqa: E402
from paved.rollbackguard.clock import Clock  # noqa: E402
from paved.rollbackguard.guard import GuardResult, GuardSettings, guard  # noqa: E402
from paved.rollbackguard.live import ByCheck, ReadyInstances, RouterCounters  # noqa: E402
from paved.rollbackguard.policy import AnalysisPolicy  # noqa: E402
from paved.rollbackguard.record import Look, Outcome, Verdict  # noqa: E402

CLOCK = Clock(time.time, time.monotonic, time.sleep)
POLICY = AnalysisPolicy(interval_seconds=1, window_seconds=5, looks=6, min_requests=10)
CHECKS = (catalog.ready_ratio(), catalog.router_counters_error_rate())
GATE = canary_steps((20, 100), 0.5, frozenset({20}))


def show(look: Look) -> None:
    """One check as the chapter's controller printed it, with the real figures."""
    by_name = {r.check: r for r in look.readings}
    ready, errors = by_name["ready-ratio"], by_name["router-counters"]
    ready_text = "?" if ready.candidate is None else f"{ready.candidate:.0%} ready"
    if errors.candidate is None:
        error_text = f"waiting for requests ({errors.requests or 0:.0f} so far)"
    else:
        error_text = f"error rate {errors.candidate:.1%} of {errors.requests:.0f} requests"
    status = {
        Outcome.PASS: "Healthy",
        Outcome.FAIL: "CRITICAL - Triggering rollback",
        Outcome.NO_DATA: "Waiting for data",
        Outcome.ERROR: "Backend error",
    }[look.outcome]
    print(f"Check #{look.index}: {ready_text}, {error_text} - {status}", flush=True)


def watch(host: DockerHost) -> GuardResult:
    target = host.target()
    sources = {
        "ready-ratio": ReadyInstances(target, host.app),
        "router-counters": RouterCounters(
            target.router, host.app, lambda track: target.track_servers(host.app, track)
        ),
    }
    spec = AnalysisSpec(host.app, CHECKS, POLICY)
    settings = GuardSettings("guard-demo")
    return guard(target, host.app, spec, ByCheck(sources), CLOCK, settings=settings, on_look=show)


def load(host: DockerHost) -> tuple[float, LoadRun]:
    profile = LoadProfile(f"{host.url}/api/data", 50, 10_000, 120, concurrency=5)
    return time.monotonic(), ThreadedLoadGenerator().start(profile)


def canary(host: DockerHost, image: str, version: str, env=()) -> None:
    print(f"\n== {version} as a canary with 20 % of the traffic ==", flush=True)
    outcome = deploy(host, image, version, steps=GATE, env=env, replicas=3)
    if outcome.final_weight != GATE[0].weight:
        msg = f"the canary of {version} did not stop at 20 %: {outcome.reason}"
        raise ComponentError(msg)


def demo(host: DockerHost, images) -> int:
    print("== 1.0.0 on three instances behind HAProxy ==", flush=True)
    deploy(host, images.v1, "1.0.0", strategy=Strategy.DIRECT, replicas=3)
    canary(host, images.v2, "2.0.0")
    _, run = load(host)
    healthy = watch(host)
    run.stop()
    print(f"Verdict: {healthy.record.verdict.value} - {healthy.candidate_image} is healthy")
    if healthy.record.verdict is not Verdict.PASS:
        return 1
    deploy(host, images.v2, "2.0.0", steps=GATE, replicas=3, holder="approve", approve_gates=True)
    print("2.0.0 promoted: all traffic on it", flush=True)
    # 4.0.0 answers 500 to every /api/data by its image; here it degrades to 30 %.
    canary(host, images.failing, "4.0.0", env=(("FAULT_ERROR_RATE", "0.3"),))
    started, run = load(host)
    bad = watch(host)
    done = time.monotonic() - started
    time.sleep(3)
    report = run.stop()
    rollback = bad.rollback
    if rollback is None:
        print(f"Verdict: {bad.record.verdict.value} - no rollback")
        return 1
    print(f"Rollback complete: all traffic back on stable in {rollback.traffic_seconds:.2f} s")
    after = [t for t in report.failure_times if t > done]
    view = host.target().observe(host.app)
    print(
        f"Recovery: {report.failures} failed of {report.requests} requests while the canary "
        f"served, {len(after)} after the rollback; candidate "
        f"{'removed' if view.candidate is None else 'still running'}, "
        f"{view.stable.ready_replicas if view.stable else 0}/3 stable instances ready",
        flush=True,
    )
    return 0 if not after and view.candidate is None else 1


def main() -> int:
    try:
        with (
            docker_engine.running_engine() as engine,
            registry.running_registry() as local,
            tempfile.TemporaryDirectory(prefix="pvd-guard-demo-") as work,
        ):
            base_image.ensure_base_image(engine)
            images = build_versions(engine, local, ROOT / "examples" / "python-service", Path(work))
            with app_on_docker_host(engine, "demo") as host:
                return demo(host, images)
    except ComponentError as exc:
        print(f"guard demo: {exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
