"""The harness itself: a real control plane whose pods get ready only when they should.

Checked with kubectl alone, so a fault in paved's adapter cannot hide a fault in the harness.
"""

from __future__ import annotations

import json
import time
import uuid

import pytest
from components.kube_nodes import NODE, NODE_SELECTOR, READY_KNOB

pytestmark = pytest.mark.integration


def apply(kube_cluster, tmp_path, *documents: dict) -> None:
    path = tmp_path / f"{uuid.uuid4().hex}.json"
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": list(documents)}))
    result = kube_cluster.kubectl("apply", "-f", str(path))
    assert result.returncode == 0, result.stderr


def pod(namespace: str, name: str, annotations: dict | None = None) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "annotations": annotations or {}},
        "spec": {
            "nodeSelector": dict(NODE_SELECTOR),
            "containers": [{"name": "app", "image": "registry.test/app:1"}],
        },
    }


def pod_view(kube_cluster, namespace: str, name: str) -> dict:
    result = kube_cluster.kubectl("get", f"pod/{name}", "-n", namespace, "-o", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def ready(view: dict) -> str | None:
    conditions = view.get("status", {}).get("conditions", [])
    return next((c["status"] for c in conditions if c["type"] == "Ready"), None)


@pytest.fixture
def harness_namespace(kube_cluster, tmp_path):
    name = f"h-{uuid.uuid4().hex[:10]}"
    apply(
        kube_cluster,
        tmp_path,
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}},
    )
    yield name
    kube_cluster.kubectl("delete", "namespace", name, "--wait=false")


def test_the_api_server_serves_the_crds_and_the_emulated_node(kube_cluster):
    version = json.loads(kube_cluster.kubectl("version", "-o", "json").stdout)["serverVersion"]
    if kube_cluster.provider == "source":
        assert version["gitVersion"] == "v1.20.2"
    for crd in (
        "httproutes.gateway.networking.k8s.io",
        "virtualservices.networking.istio.io",
        "destinationrules.networking.istio.io",
    ):
        result = kube_cluster.kubectl("wait", "--for=condition=Established", f"crd/{crd}")
        assert result.returncode == 0, result.stderr
    node = kube_cluster.kubectl("get", "node", NODE, "-o", "jsonpath={.status.conditions[0].type}")
    assert node.stdout == "Ready"


def test_pods_are_bound_and_become_ready_unless_the_knob_says_no(
    kube_cluster, harness_namespace, tmp_path
):
    apply(
        kube_cluster,
        tmp_path,
        pod(harness_namespace, "healthy"),
        pod(harness_namespace, "broken", {READY_KNOB: "false"}),
    )
    waited = kube_cluster.kubectl(
        "wait", "--for=condition=Ready", "pod/healthy", "-n", harness_namespace, "--timeout=30s"
    )
    assert waited.returncode == 0, waited.stderr
    healthy = pod_view(kube_cluster, harness_namespace, "healthy")
    assert healthy["spec"]["nodeName"] == NODE
    assert healthy["status"]["phase"] == "Running"
    assert healthy["status"]["containerStatuses"][0]["ready"] is True
    deadline = time.monotonic() + 30
    broken = pod_view(kube_cluster, harness_namespace, "broken")
    while broken["status"].get("phase") != "Running" and time.monotonic() < deadline:
        time.sleep(0.2)
        broken = pod_view(kube_cluster, harness_namespace, "broken")
    assert broken["status"]["phase"] == "Running"
    assert ready(broken) == "False"


def test_a_deleted_pod_does_not_stay_terminating(kube_cluster, harness_namespace, tmp_path):
    apply(kube_cluster, tmp_path, pod(harness_namespace, "short-lived"))
    kube_cluster.kubectl(
        "wait", "--for=condition=Ready", "pod/short-lived", "-n", harness_namespace, "--timeout=30s"
    )
    deleted = kube_cluster.kubectl(
        "delete", "pod/short-lived", "-n", harness_namespace, "--timeout=30s"
    )
    assert deleted.returncode == 0, deleted.stderr
    gone = kube_cluster.kubectl("get", "pod/short-lived", "-n", harness_namespace)
    assert "NotFound" in gone.stderr
