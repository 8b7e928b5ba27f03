"""Manifests the Kubernetes integration tests apply, written as a team would write them."""

from __future__ import annotations

from components.kube_nodes import NODE_SELECTOR, READY_KNOB


def deployment_manifest(
    namespace: str,
    name: str,
    image: str,
    *,
    replicas: int = 3,
    ready: bool = True,
    deadline_seconds: int = 600,
    probe_port: int | None = None,
    probe_path: str = "/healthz",
) -> dict:
    """A plain Deployment as a team writes it; `ready=False` sets the harness's fault knob."""
    template_meta: dict = {"labels": {"app": name}}
    if not ready:
        template_meta["annotations"] = {READY_KNOB: "false"}
    container: dict = {"name": "app", "image": image, "ports": [{"containerPort": 8080}]}
    if probe_port is not None:
        container["readinessProbe"] = {
            "httpGet": {"host": "127.0.0.1", "port": probe_port, "path": probe_path},
            "periodSeconds": 1,
        }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "replicas": replicas,
            "progressDeadlineSeconds": deadline_seconds,
            "selector": {"matchLabels": {"app": name}},
            "strategy": {"rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
            "template": {
                "metadata": template_meta,
                "spec": {"nodeSelector": dict(NODE_SELECTOR), "containers": [container]},
            },
        },
    }


def service_manifest(namespace: str, name: str, selector: dict[str, str]) -> dict:
    """A ClusterIP Service in front of the app."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"selector": selector, "ports": [{"port": 80, "targetPort": 8080}]},
    }
