"""`PAVED_DEMO_TARGET=kubernetes make demo`: the same three pushes through a composed pipeline
under act, deploying to paved's Kubernetes harness instead of the Docker host.

The pipeline is examples/consumer-kubernetes/.github/workflows/main.yaml (`paved compose` made
it from the pipeline-config.yaml beside it): the same build, scan and image as examples/consumer,
then its deploy, guard and rollback jobs with `target: kubernetes` and the team's manifests in
kubernetes/: staging blue-green (the Service's selector switched) in the namespace `staging`,
a production canary by replica ratio in `production`, rollback-guard's SLO check on the
production pods' metrics, the rollback job when it fails. The deploy jobs run on a self-hosted
runner outside the cluster, as act's host mode makes them: the cluster's credentials are the
runner's KUBECONFIG (act's --env), the API server is on 127.0.0.1, there is no cluster DNS, so
the smoke checks go through the API server's service proxy (`smoke-via: auto`).

The control plane is the tests' (tests/components/kubernetes.py: etcd, kube-apiserver and
kube-controller-manager 1.20.2 built from Debian's source once per machine, cached under
~/.cache/paved/kubernetes/); the pod emulator runs each pod's container on the demo's Docker
engine at the pod IP the Endpoints list, labelled with the pod's namespace and labels, so
Prometheus finds production's pods by Docker service discovery (Debian's Prometheus has no
Kubernetes discovery). Load goes through the API server's service proxy to the production
Service the whole time. Exits 0 when v2 is live and v3 was rolled back by the pipeline's
rollback job, 1 otherwise, 3 when a component cannot start.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

EXAMPLES = Path(__file__).resolve().parent
ROOT = EXAMPLES.parent
sys.path[:0] = [str(EXAMPLES), str(ROOT / "tests"), str(ROOT / "lib")]
import act_local  # noqa: E402
import demo_delivery  # noqa: E402
import demo_pipeline  # noqa: E402
from components import base_image, docker_engine, kube_build, prometheus, registry  # noqa: E402
from components import kubernetes as control_plane  # noqa: E402
from components.errors import ComponentError  # noqa: E402
from components.kube_nodes import emulated_node  # noqa: E402
from components.kube_pod_containers import NAMESPACE_LABEL  # noqa: E402
from demo_delivery import Timeline  # noqa: E402
from paved.adapters.http.interface import LoadProfile  # noqa: E402
from paved.adapters.http.stdlib import ThreadedLoadGenerator  # noqa: E402
from paved.adapters.kube.official import KubernetesClient, connect  # noqa: E402

if TYPE_CHECKING:
    from paved.adapters.http.interface import LoadRun

APP = "python-service"
NAMESPACES = ("staging", "production")
PRODUCTION = "production"
SERVICE_PORT = 80


@dataclass(frozen=True)
class Cluster:
    """The cluster the pipeline deploys to, as the platform describes it to the pipeline."""

    kube: KubernetesClient
    kubeconfig: Path
    engine: str
    prometheus_url: str
    registry: str
    record: Path
    consumer: Path = EXAMPLES / "consumer-kubernetes"
    load_via: str = "through the API server's service proxy"

    def variables(self) -> dict[str, str]:
        """The repository variables a platform team sets once (README: make demo)."""
        return demo_pipeline.shared_variables(ROOT, self.registry, self.prometheus_url, self.record)

    def runner_env(self) -> dict[str, str]:
        """A self-hosted runner's environment: the cluster's credentials, and the engine the
        image is built on."""
        return {"KUBECONFIG": str(self.kubeconfig), "DOCKER_HOST": self.engine}

    def start_load(self) -> LoadRun:
        """40 requests a second through the API server's proxy to the production Service."""
        production = self.kube.service_proxy(PRODUCTION, APP, SERVICE_PORT)
        profile = LoadProfile(production.url("/api/data"), demo_delivery.LOAD_RATE, 10**7, 3600)
        return ThreadedLoadGenerator(production.client).start(profile)

    def live_version(self) -> str:
        """What production's users get now (the version field of /health, through the proxy)."""
        answer = self.kube.service_proxy(PRODUCTION, APP, SERVICE_PORT).get("/health")
        if answer.status != 200:
            return f"nothing ({answer.status or answer.error})"
        return str(json.loads(answer.body).get("version", "?"))


_LABEL = "__meta_docker_container_label_"
PODS = f"""\
      - source_labels: [__meta_docker_network_ip]
        regex: "(.+)"
        replacement: "$1:8080"
        target_label: __address__
      - source_labels: [{_LABEL}io_kubernetes_pod_namespace]
        target_label: namespace
      - source_labels: [{_LABEL}test_paved_dev_pod_label_app]
        target_label: app
      - source_labels: [{_LABEL}test_paved_dev_pod_label_track]
        target_label: track
"""
"""Production's pods, scraped at the pod IP, each series labelled with the pod's namespace
and its app and track labels (the pod emulator puts them on the container)."""


def main() -> int:
    """Start the components (building the control plane once if needed), run, report."""
    act = act_local.act_binary()
    if act is None:
        print("act is not installed: run `make setup`", file=sys.stderr)
        return 3
    os.environ["PAVED_KUBE"] = "source"  # pods run on this demo's engine, which kind cannot reach
    if not kube_build.is_built():
        print(
            "paved demo: building kube-apiserver and kube-controller-manager "
            f"{kube_build.VERSION} from Debian's source package, once per machine (about 6-10 "
            "minutes on two cores; cached under ~/.cache/paved/kubernetes/)",
            flush=True,
        )
    timeline = Timeline()
    try:
        kube_build.server_binaries()
        with (
            docker_engine.running_engine() as engine,
            registry.running_registry() as local_registry,
            prometheus.running_prometheus(
                demo_delivery.docker_discovery(engine.host, f"{NAMESPACE_LABEL}={PRODUCTION}", PODS)
            ) as metrics,
            control_plane.running_cluster() as running,
            emulated_node(running.kubeconfig, engine),
            tempfile.TemporaryDirectory(prefix="paved-demo-") as temp,
        ):
            base_image.ensure_base_image(engine)
            kube = connect(str(running.kubeconfig))
            try:
                for namespace in NAMESPACES:  # the platform team's, before any team deploys
                    kube.apply(
                        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
                    )
                timeline.mark(
                    "engine, registry, Prometheus, Kubernetes API server and controllers started"
                )
                work = Path(temp)
                cluster = Cluster(
                    kube, running.kubeconfig, engine.host, metrics.url, local_registry.host,
                    work / "deploys.jsonl",
                )  # fmt: skip
                code = demo_pipeline.deliver(act, ROOT, work, cluster, timeline)
            finally:
                kube.close()
    except ComponentError as exc:
        print(f"paved demo: {exc}", file=sys.stderr)
        return 3
    print(timeline.text(), flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
