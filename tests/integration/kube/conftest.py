"""The kube adapter against a real API server (tests/components/kubernetes.py)."""

from __future__ import annotations

import uuid

import pytest
from paved.adapters.kube.interface import ObjectRef
from paved.adapters.kube.official import KubernetesClient, connect


@pytest.fixture(scope="session")
def kube(kube_cluster) -> KubernetesClient:
    """paved's adapter, connected through the cluster's kubeconfig file."""
    cluster = connect(str(kube_cluster.kubeconfig))
    yield cluster
    cluster.close()


@pytest.fixture
def namespace(kube) -> str:
    """A fresh namespace per test (unique names, as kr8s does), deleted afterwards."""
    name = f"t-{uuid.uuid4().hex[:10]}"
    kube.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    yield name
    kube.delete(ObjectRef("v1", "Namespace", None, name))
