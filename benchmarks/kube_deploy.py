"""deploy-strategy on Kubernetes: rollback decision -> all traffic on stable, per router, and
the overhead of one canary step (set-weight), on the harness's source-built control plane.

Each run deploys v1, then a canary (or blue-green) of v2 whose analysis fails at the first
weight; the executor's `traffic_restored_seconds` (decision -> the router call returned) and
the set-weight step's duration are collected. Goal (issue 11): rollback under 2 s.

    python benchmarks/kube_deploy.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "lib")]

from components import kube_crds, kubernetes  # noqa: E402
from components.kube_nodes import NODE_SELECTOR, PodEmulator  # noqa: E402
from kubernetes import config  # noqa: E402
from paved.adapters.deploy.interface import AnalysisRequest, AnalysisResult, Verdict  # noqa: E402
from paved.adapters.deploy.kube_objects import KubeRouter  # noqa: E402
from paved.adapters.deploy.kubernetes import KubernetesSettings, KubernetesTarget  # noqa: E402
from paved.adapters.http.stdlib import StdlibHttpClient  # noqa: E402
from paved.adapters.kube.official import KubernetesClient, connect  # noqa: E402
from paved.deploystrategy.analysis import ReadinessAndSmoke  # noqa: E402
from paved.deploystrategy.clock import Clock  # noqa: E402
from paved.deploystrategy.core import Rollout  # noqa: E402
from paved.deploystrategy.options import DeployOptions, Strategy, canary_steps  # noqa: E402

if TYPE_CHECKING:
    from paved.deploystrategy.outcome import DeployOutcome

CLOCK = Clock(now=time.time, monotonic=time.monotonic, sleep=time.sleep)
APP = "bench"


class FailingAnalysis(ReadinessAndSmoke):
    """Says FAIL at once: the rollback decision."""

    def analyse(self, request: AnalysisRequest) -> AnalysisResult:  # noqa: ARG002
        return AnalysisResult(Verdict.FAIL, reason="benchmark")


def settings(namespace: str, router: KubeRouter) -> KubernetesSettings:
    labels = {"app": APP}
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": APP},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "nodeSelector": dict(NODE_SELECTOR),
                    "containers": [{"name": "app", "image": "bench:team"}],
                },
            },
        },
    }
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": APP},
        "spec": {"selector": labels, "ports": [{"port": 80, "targetPort": 8080}]},
    }
    return KubernetesSettings(namespace, deployment, service, router=router, poll_seconds=0.05)


def run(
    target: KubernetesTarget,
    image: str,
    strategy: Strategy,
    analysis: ReadinessAndSmoke | None = None,
    replicas: int | None = None,
) -> DeployOutcome:
    options = DeployOptions(
        APP,
        image,
        strategy,
        canary_steps((10, 100), 0.0),
        replicas=replicas,
        holder="bench",
        smoke_checks=(),  # the emulated pods serve nothing; the analysis decides
    )
    chosen = analysis or ReadinessAndSmoke(target, (), CLOCK, interval=0.1)
    return Rollout(options, target, chosen, CLOCK).run()


def measure(kube: KubernetesClient, router: KubeRouter) -> tuple[float, float | None]:
    namespace = f"b-{uuid.uuid4().hex[:8]}"
    kube.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
    target = KubernetesTarget(kube, settings(namespace, router), StdlibHttpClient())
    strategy = Strategy.BLUE_GREEN if router is KubeRouter.SERVICE else Strategy.CANARY
    run(target, "bench:1", strategy, replicas=3)
    failing = FailingAnalysis(target, (), CLOCK)
    outcome = run(target, "bench:2", strategy, failing)
    if outcome.traffic_restored_seconds is None:
        raise SystemExit(f"{router}: no rollback happened: {outcome.result} {outcome.reason}")
    # Blue-green is judged on its preview before any traffic moves: no set-weight step then.
    step = next((r.seconds for r in outcome.steps if r.step.kind.value == "set-weight"), None)
    return outcome.traffic_restored_seconds, step


def line(label: str, values: list[float]) -> str:
    return (
        f"{label:<38} median {statistics.median(values) * 1000:7.1f} ms"
        f"  (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f}, n={len(values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ["PAVED_KUBE"] = "source"
    with kubernetes.running_cluster() as cluster:
        api = config.new_client_from_config(config_file=str(cluster.kubeconfig))
        kube_crds.install(api, strip=True)
        emulator = PodEmulator(api)
        emulator.start()
        kube = connect(str(cluster.kubeconfig))
        try:
            for router in KubeRouter:
                results = [measure(kube, router) for _ in range(args.runs)]
                print(line(f"{router}: rollback -> stable", [r[0] for r in results]))
                steps = [r[1] for r in results if r[1] is not None]
                if steps:
                    print(line(f"{router}: one set-weight step", steps))
        finally:
            kube.close()
            emulator.stop()
            api.close()


if __name__ == "__main__":
    main()
