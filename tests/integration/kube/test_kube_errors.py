"""What a user meets when the cluster says no: each answer becomes one paved error."""

from __future__ import annotations

import json

import pytest
from components.registry import free_port
from kube_support import (
    deployment_manifest,
    kubeconfig_for,
    service_account_token,
    service_manifest,
)
from paved.adapters.kube import AccessDeniedError, MissingApiError
from paved.adapters.kube.interface import ObjectRef, deployment
from paved.adapters.kube.official import KubernetesClient, connect
from paved.errors import EnvironmentProblemError, ExitCode

pytestmark = pytest.mark.integration


def test_a_kind_the_cluster_does_not_serve_names_what_to_install(kube, namespace):
    route = ObjectRef("gateway.networking.k8s.io/v1alpha9", "HTTPRoute", namespace, "web")
    with pytest.raises(MissingApiError, match="install the Gateway API CRDs") as caught:
        kube.get(route)
    assert caught.value.exit_code == ExitCode.ENVIRONMENT
    mesh = ObjectRef("networking.istio.io/v1beta1", "Sidecar", namespace, "default")
    with pytest.raises(MissingApiError, match=r"does not serve Sidecar .*install Istio"):
        kube.get(mesh)


def test_an_unreachable_api_server_is_an_environment_problem(kube_cluster, tmp_path):
    server = f"https://127.0.0.1:{free_port()}"
    path = kubeconfig_for(kube_cluster, tmp_path / "kc", token="not-a-token", server=server)  # noqa: S106
    dead = connect(path)
    with pytest.raises(EnvironmentProblemError, match="unreachable") as caught:
        dead.server_version()
    assert caught.value.exit_code == ExitCode.ENVIRONMENT


def test_a_token_without_the_permission_is_told_which_verb_and_resource(
    kube, kube_cluster, namespace, tmp_path
):
    kube.apply(deployment_manifest(namespace, "web", "registry.test/web:1", replicas=1))
    token = service_account_token(kube_cluster, namespace, "deployer")
    reader = connect(kubeconfig_for(kube_cluster, tmp_path / "kc", token=token))
    assert reader.rollout_status(namespace, "web").name == "web"  # get is granted
    with pytest.raises(AccessDeniedError) as caught:
        reader.scale(namespace, "web", 5)
    error = caught.value
    assert (error.verb, error.resource) == ("patch", "deployments.apps")
    assert f"may not patch deployments.apps in namespace {namespace}" in str(error)
    assert error.exit_code == ExitCode.ENVIRONMENT
    with pytest.raises(AccessDeniedError, match="may not patch services in namespace"):
        reader.apply(service_manifest(namespace, "web", {"app": "web"}))


class _RacedClient(KubernetesClient):
    """Someone else changes the object right after paved reads it, once."""

    def __init__(self, api, kube_cluster, namespace: str) -> None:
        super().__init__(api)
        self.kube_cluster, self.namespace, self.reads = kube_cluster, namespace, 0

    def _require(self, ref):
        live = super()._require(ref)
        self.reads += 1
        if self.reads == 1:
            changed = self.kube_cluster.kubectl(
                "annotate", "service/web", "-n", self.namespace, "someone-else=was-here"
            )
            assert changed.returncode == 0, changed.stderr
        return live


def test_a_conflict_is_retried_on_a_fresh_read(kube, kube_cluster, namespace):
    kube.apply(service_manifest(namespace, "web", {"app": "web", "color": "blue"}))
    raced = _RacedClient(kube._api, kube_cluster, namespace)  # noqa: SLF001 - same transport
    raced.set_service_selector(namespace, "web", {"app": "web", "color": "green"})
    assert raced.reads == 2  # the first write met a 409 and was redone
    live = kube.get(ObjectRef("v1", "Service", namespace, "web"))
    assert live["spec"]["selector"] == {"app": "web", "color": "green"}
    assert live["metadata"]["annotations"]["someone-else"] == "was-here"


def test_apply_takes_fields_from_other_managers_only_when_forced(
    kube, kube_cluster, namespace, tmp_path
):
    path = tmp_path / "web.json"
    manifest = deployment_manifest(namespace, "web", "registry.test/web:1", replicas=2)
    path.write_text(json.dumps(manifest), encoding="utf-8")
    applied = kube_cluster.kubectl("apply", "--server-side", "-f", str(path))
    assert applied.returncode == 0, applied.stderr
    manifest["spec"]["replicas"] = 4
    with pytest.raises(EnvironmentProblemError, match="conflict"):
        kube.apply(manifest, force=False)
    live = kube.apply(manifest)
    assert live["spec"]["replicas"] == 4
    owners = {m["manager"] for m in live["metadata"]["managedFields"] if m["operation"] == "Apply"}
    assert "paved" in owners
    assert kube.get(deployment(namespace, "web"))["spec"]["replicas"] == 4
