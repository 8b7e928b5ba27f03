"""Manifests the Kubernetes integration tests apply, written as a team would write them."""

from __future__ import annotations

import base64
import json
import time

import pytest
import yaml
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


def kubeconfig_for(kube_cluster, path, *, token: str, server: str | None = None) -> str:
    """The cluster's kubeconfig with another identity (and, if given, another server)."""
    document = yaml.safe_load(kube_cluster.kubeconfig.read_text(encoding="utf-8"))
    for user in document["users"]:
        user["user"] = {"token": token}
    if server is not None:
        for cluster in document["clusters"]:
            cluster["cluster"]["server"] = server
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return str(path)


def service_account_token(kube_cluster, namespace: str, name: str) -> str:
    """A token of a ServiceAccount that may only read Deployments in `namespace`."""
    manifests = f"""
apiVersion: v1
kind: ServiceAccount
metadata: {{name: {name}, namespace: {namespace}}}
---
apiVersion: v1
kind: Secret
type: kubernetes.io/service-account-token
metadata:
  name: {name}-token
  namespace: {namespace}
  annotations: {{kubernetes.io/service-account.name: {name}}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {{name: reader, namespace: {namespace}}}
rules:
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {{name: reader, namespace: {namespace}}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}}
subjects:
- {{kind: ServiceAccount, name: {name}, namespace: {namespace}}}
"""
    path = kube_cluster.kubeconfig.parent / f"{namespace}-rbac.yaml"
    path.write_text(manifests, encoding="utf-8")
    applied = kube_cluster.kubectl("apply", "-f", str(path))
    assert applied.returncode == 0, applied.stderr
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        token = kube_cluster.kubectl(
            "get", f"secret/{name}-token", "-n", namespace, "-o", "jsonpath={.data.token}"
        ).stdout
        if token:
            return base64.b64decode(token).decode()
        time.sleep(0.2)
    pytest.fail("the token controller never filled the ServiceAccount token")


def kubectl_json(kube_cluster, *args: str) -> dict:
    """`kubectl get ... -o json`, parsed (what a user sees, without paved's adapter)."""
    result = kube_cluster.kubectl("get", *args, "-o", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
