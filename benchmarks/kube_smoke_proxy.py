"""One smoke check through the API server's service proxy, against the same check sent
straight to the pod's IP, on the harness's source-built control plane.

A Deployment of one pod whose container (python3 -m http.server on the offline base image)
runs on a private Docker engine at the pod IP the Endpoints list. Each check is what
deploy-strategy sends from a runner outside the cluster (`--smoke-via=proxy`, the default
there): a GET on the kubernetes client's pooled, authenticated connection to the API server,
which opens its own to the pod. The direct check opens a new connection per request.

    python benchmarks/kube_smoke_proxy.py [--checks 50]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "lib")]

from components import base_image, docker_engine, kubernetes  # noqa: E402
from components.kube_nodes import emulated_node  # noqa: E402
from components.kube_pod_containers import CONTAINER_KNOB  # noqa: E402
from kube_deploy import line  # noqa: E402 - the same median line
from paved.adapters.http.interface import HttpEndpoint  # noqa: E402
from paved.adapters.http.stdlib import StdlibHttpClient  # noqa: E402
from paved.adapters.kube.official import connect  # noqa: E402


def manifests(namespace: str, image: str) -> list[dict]:
    labels = {"app": "bench"}
    container = {
        "name": "app",
        "image": image,
        "command": ["python3", "-m", "http.server", "8080"],
        "ports": [{"containerPort": 8080}],
        "readinessProbe": {"httpGet": {"port": 8080, "path": "/"}, "periodSeconds": 1},
    }
    return [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}},
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "bench", "namespace": namespace},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": labels},
                "template": {
                    "metadata": {"labels": labels, "annotations": {CONTAINER_KNOB: "docker"}},
                    "spec": {"containers": [container]},
                },
            },
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "bench", "namespace": namespace},
            "spec": {"selector": labels, "ports": [{"port": 80, "targetPort": 8080}]},
        },
    ]


def timed(endpoint: HttpEndpoint, checks: int) -> list[float]:
    seconds = []
    for _ in range(checks):
        response = endpoint.get("/")
        if response.status != 200:
            raise SystemExit(f"{endpoint.base}: {response.status} {response.error}")
        seconds.append(response.seconds)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=50)
    args = parser.parse_args()
    os.environ["PAVED_KUBE"] = "source"
    with (
        docker_engine.running_engine() as engine,
        kubernetes.running_cluster() as cluster,
        emulated_node(cluster.kubeconfig, engine) as emulator,
    ):
        image = base_image.ensure_base_image(engine).name
        kube = connect(str(cluster.kubeconfig))
        try:
            namespace = f"b-{uuid.uuid4().hex[:8]}"
            for manifest in manifests(namespace, image):
                kube.apply(manifest)
            status = kube.wait_for_rollout(namespace, "bench", timeout_seconds=120)
            if status.ready != 1:
                raise SystemExit(f"the pod never became ready: {status.phase}")
            (pod_ip,) = emulator.attach_engine(engine).addresses()
            proxy = kube.service_proxy(namespace, "bench", 80)
            direct = HttpEndpoint(f"http://{pod_ip}:8080", StdlibHttpClient())
            time.sleep(1)
            timed(proxy, 5)  # warm the pooled connection
            print(line("smoke check through the proxy", timed(proxy, args.checks)))
            print(line("the same check to the pod IP", timed(direct, args.checks)))
        finally:
            kube.close()


if __name__ == "__main__":
    main()
