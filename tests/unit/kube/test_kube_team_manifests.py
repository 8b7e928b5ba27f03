"""A team's manifests read for the Kubernetes target: one clear error per bad input."""

from __future__ import annotations

import pytest
from paved.adapters.deploy.kube_manifests import load
from paved.adapters.deploy.kube_objects import KubeRouter
from paved.adapters.deploy.kubernetes import KubernetesSettings
from paved.errors import ConfigError, ExitCode, UsageError

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: shop}
spec:
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec: {containers: [{name: app, image: shop:1}]}
"""
SERVICE = """apiVersion: v1
kind: Service
metadata: {name: shop}
spec: {selector: {app: shop}, ports: [{port: 80}]}
"""
CONFIG = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "shop-config"}}'


def test_a_folder_gives_the_deployment_the_service_and_the_rest(tmp_path):
    (tmp_path / "10-app.yaml").write_text(DEPLOYMENT + "---\n" + SERVICE)
    (tmp_path / "20-config.json").write_text(CONFIG)
    (tmp_path / "notes.txt").write_text("not a manifest")
    team = load(tmp_path)
    assert team.deployment["metadata"]["name"] == "shop"
    assert team.service["spec"]["ports"] == [{"port": 80}]
    assert [o["kind"] for o in team.others] == ["ConfigMap"]
    settings = KubernetesSettings.from_manifests(tmp_path, "prod", KubeRouter.ISTIO)
    assert (settings.namespace, settings.router, len(settings.others)) == ("prod", "istio", 1)


def test_a_document_without_a_kind_names_file_line_and_document(tmp_path):
    path = tmp_path / "app.yaml"
    path.write_text(DEPLOYMENT + "---\n" + "apiVersion: v1\nmetadata: {name: x}\n")
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}:10: document 2: kind is missing (valid: ")
    assert caught.value.exit_code == ExitCode.USAGE


def test_broken_yaml_names_line_and_column(tmp_path):
    path = tmp_path / "app.yaml"
    path.write_text("apiVersion: v1\nkind: [Service\n")
    with pytest.raises(ConfigError, match=r"app\.yaml:3:1: not valid YAML"):
        load(path)


def test_no_deployment_or_two_services(tmp_path):
    (tmp_path / "svc.yaml").write_text(SERVICE)
    with pytest.raises(UsageError, match=r"has 0 Deployment objects \(none\) .valid: exactly one"):
        load(tmp_path)
    (tmp_path / "app.yaml").write_text(DEPLOYMENT + "---\n" + SERVICE.replace("shop}", "other}", 1))
    with pytest.raises(UsageError, match=r"has 2 Service objects \(other, shop\)"):
        load(tmp_path)
    with pytest.raises(UsageError, match="does not exist"):
        load(tmp_path / "missing")
