"""`make demo`: the example service's whole delivery path, offline, on the Docker-host target,
run by the team's composed pipeline under act.

The pipeline is examples/consumer/.github/workflows/main.yaml, which `paved compose` made from
examples/consumer/pipeline-config.yaml: build and test, security scan (offline, against the
trimmed PyPA advisory database vendored in tests/data/osv-pypi), the image built from the
offline base and pushed by digest, staging blue-green, a production canary, the guard
(rollback-guard's SLO check on Prometheus), the rollback job when the guard fails, DORA
metrics from the deploy records. The demo pushes three commits and runs `act push` for each:

1. v1, the service as it is: first deploys to staging and production;
2. v2, a new /api/data message (and its test): blue-green in staging, canary in production,
   the guard passes, v2 is live;
3. v3, the fault knob on in the image (FAULT_ERROR_RATE=0.2): the canary reaches 100 %, the
   guard fails on the service's availability, the pipeline's rollback job puts v2 back.

A private Docker engine, a registry, HAProxy and Prometheus (which finds the app's containers
by Docker service discovery) are started on loopback and stopped afterwards; the platform's
repository variables (PAVED_DOCKER_HOST, ...) point the pipeline at them. Load runs through
HAProxy to production the whole time, so the guard judges real traffic.

Exits 0 when v2 is live and v3 was rolled back by the pipeline's rollback job, 1 otherwise,
3 when a component cannot start.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

EXAMPLES = Path(__file__).resolve().parent
ROOT = EXAMPLES.parent
sys.path[:0] = [str(EXAMPLES), str(ROOT / "tests")]
import act_local  # noqa: E402
import demo_delivery  # noqa: E402
import demo_pipeline  # noqa: E402
from components import base_image, docker_engine, haproxy, prometheus, registry  # noqa: E402
from components.errors import ComponentError  # noqa: E402
from demo_delivery import PRODUCTION, STAGING, Timeline  # noqa: E402
from paved.adapters.http.interface import LoadProfile  # noqa: E402
from paved.adapters.http.stdlib import ThreadedLoadGenerator  # noqa: E402

if TYPE_CHECKING:
    from paved.adapters.http.interface import LoadRun

TARGETS = ("docker", "kubernetes")
"""PAVED_DEMO_TARGET: the Docker host (the default) or paved's Kubernetes harness."""


def main() -> int:
    """Start the components, push the three versions through the pipeline, report."""
    target = os.environ.get("PAVED_DEMO_TARGET", "") or "docker"
    if target not in TARGETS:
        print(
            f"paved demo: PAVED_DEMO_TARGET={target!r} is not a target "
            f"(valid: {', '.join(TARGETS)}; empty means docker)",
            file=sys.stderr,
        )
        return 2
    if target == "kubernetes":
        import demo_kubernetes  # noqa: PLC0415 - only this target needs the kubernetes client

        return demo_kubernetes.main()
    act = act_local.act_binary()
    if act is None:
        print("act is not installed: run `make setup`", file=sys.stderr)
        return 3
    timeline = Timeline()
    try:
        with (
            docker_engine.running_engine() as engine,
            registry.running_registry() as local_registry,
            haproxy.running_haproxy((STAGING, PRODUCTION)) as router,
            prometheus.running_prometheus(
                demo_delivery.docker_discovery(
                    engine.host, "paved.dev/role=instance", demo_delivery.INSTANCES
                )
            ) as metrics,
            tempfile.TemporaryDirectory(prefix="paved-demo-") as temp,
        ):
            base_image.ensure_base_image(engine)
            timeline.mark("engine, registry, HAProxy, Prometheus started on loopback")
            work = Path(temp)
            host = DockerHost(
                engine.host, str(router.socket), router.url(PRODUCTION), metrics.url,
                local_registry.host, work / "deploys.jsonl",
            )  # fmt: skip
            code = demo_pipeline.deliver(act, ROOT, work, host, timeline)
    except ComponentError as exc:
        print(f"paved demo: {exc}", file=sys.stderr)
        return 3
    print(timeline.text(), flush=True)
    return code


@dataclass(frozen=True)
class DockerHost:
    """The Docker host the pipeline deploys to, as the platform's variables describe it."""

    engine: str
    haproxy_socket: str
    production_url: str
    prometheus_url: str
    registry: str
    record: Path
    consumer: Path = EXAMPLES / "consumer"
    load_via: str = "through HAProxy"

    def variables(self) -> dict[str, str]:
        """The repository variables a platform team sets once (README: make demo)."""
        return {
            **demo_pipeline.shared_variables(ROOT, self.registry, self.prometheus_url, self.record),
            "PAVED_DOCKER_HOST": self.engine,
            "PAVED_HAPROXY_SOCKET": self.haproxy_socket,
            "PAVED_DOCKER_NETWORK": demo_delivery.NETWORK,
        }

    def runner_env(self) -> dict[str, str]:
        """The image build uses the runner's own engine, as on the Docker host."""
        return {"DOCKER_HOST": self.engine}

    def start_load(self) -> LoadRun:
        """40 requests a second through HAProxy to production."""
        url = f"{self.production_url}/api/data"
        profile = LoadProfile(url, demo_delivery.LOAD_RATE, 10**7, 3600)
        return ThreadedLoadGenerator().start(profile)

    def live_version(self) -> str:
        """What production's users get now, through HAProxy."""
        return demo_delivery.live_version(self.production_url)


if __name__ == "__main__":
    sys.exit(main())
