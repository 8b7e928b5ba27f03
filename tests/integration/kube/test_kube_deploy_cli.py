"""`paved deploy-strategy --target=kubernetes` as a process, against the real API server:
the team's manifest file, the CLI's flags, the exit codes and the JSON outcome."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from kube_support import (
    deployment_manifest,
    kubeconfig_for,
    kubectl_json,
    service_account_token,
    service_manifest,
)

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]
APP = "shop"
# These emulated pods run no container (a comment line is an empty list of checks).
NO_SMOKE = "--smoke=# no smoke checks: the harness's pods serve nothing"


@pytest.fixture
def manifests(tmp_path, namespace) -> Path:
    """The team's manifests as one file: a Deployment of 3 and its Service."""
    path = tmp_path / "k8s" / "shop.yaml"
    path.parent.mkdir()
    documents = [
        deployment_manifest(namespace, APP, "registry.test/shop:team", replicas=3),
        service_manifest(namespace, APP, {"app": APP}),
    ]
    path.write_text(yaml.safe_dump_all(documents), encoding="utf-8")
    return path.parent


def paved(kubeconfig, namespace, manifests, image, *flags, outcome=None):
    argv = [
        sys.executable, "-m", "paved.cli", "deploy-strategy",
        f"--app={APP}", f"--image={image}", "--target=kubernetes",
        f"--manifests={manifests}", f"--namespace={namespace}", f"--kubeconfig={kubeconfig}",
        NO_SMOKE, "--step-seconds=0", "--bake-seconds=0", "--ready-timeout=20",
        f"--record={manifests.parent / 'deploys.jsonl'}",
        *([f"--json={outcome}"] if outcome else []), *flags,
    ]  # fmt: skip
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False, cwd=ROOT)


def deployments(kube_cluster, namespace) -> dict[str, tuple[int, str]]:
    """name -> (spec.replicas, image), as kubectl lists them."""
    listing = kube_cluster.kubectl("get", "deployments", "-n", namespace, "-o", "json")
    assert listing.returncode == 0, listing.stderr
    return {
        d["metadata"]["name"]: (
            d["spec"]["replicas"],
            d["spec"]["template"]["spec"]["containers"][0]["image"],
        )
        for d in json.loads(listing.stdout)["items"]
    }


def test_a_dry_run_prints_what_the_api_server_would_apply_and_stores_nothing(
    kube_cluster, namespace, manifests
):
    done = paved(kube_cluster.kubeconfig, namespace, manifests, "registry.test/shop:1", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "(direct), dry run:" in done.stdout
    assert "run registry.test/shop:1 x3 as stable" in done.stdout
    assert "accepted in a dry run (dryRun=All)" in done.stdout
    assert f"--- Deployment/{APP}" in done.stdout
    assert '"image": "registry.test/shop:1"' in done.stdout
    assert '"terminationGracePeriodSeconds": 30' in done.stdout  # a default the server filled in
    assert deployments(kube_cluster, namespace) == {}
    services = kubectl_json(kube_cluster, "services", "-n", namespace)["items"]
    assert services == []


def test_blue_green_through_the_cli_switches_the_service_and_keeps_the_old_color(
    kube_cluster, namespace, manifests, tmp_path
):
    config = kube_cluster.kubeconfig
    first = paved(config, namespace, manifests, "registry.test/shop:1", "--strategy=blue-green")
    assert first.returncode == 0, first.stderr
    # A first deploy starts the manifest's spec.replicas, not 1.
    assert deployments(kube_cluster, namespace) == {"shop-blue": (3, "registry.test/shop:1")}
    out = tmp_path / "bg.json"
    second = paved(
        config, namespace, manifests, "registry.test/shop:2", "--strategy=blue-green", outcome=out
    )
    assert second.returncode == 0, second.stderr
    outcome = json.loads(out.read_text(encoding="utf-8"))
    assert (outcome["status"], outcome["target"], outcome["final_weight"]) == (
        "succeeded",
        "kubernetes",
        100,
    )
    assert deployments(kube_cluster, namespace) == {
        "shop-blue": (0, "registry.test/shop:1"),
        "shop-green": (3, "registry.test/shop:2"),
    }
    live = kubectl_json(kube_cluster, "service/shop", "-n", namespace)["spec"]["selector"]
    assert live == {"app": APP, "color": "green"}


def test_a_gateway_api_canary_through_the_cli_goes_10_50_100_and_promotes(
    kube_cluster, namespace, manifests, tmp_path
):
    config = kube_cluster.kubeconfig
    flags = ("--strategy=canary", "--router=gateway-api", "--canary-steps=10,50,100")
    assert paved(config, namespace, manifests, "registry.test/shop:1", *flags).returncode == 0
    out = tmp_path / "canary.json"
    done = paved(config, namespace, manifests, "registry.test/shop:2", *flags, outcome=out)
    assert done.returncode == 0, done.stderr
    outcome = json.loads(out.read_text(encoding="utf-8"))
    weights = [s["weight"] for s in outcome["steps"] if s["kind"] == "set-weight"]
    assert weights[:3] == [10, 50, 100]
    assert outcome["status"] == "succeeded"
    assert deployments(kube_cluster, namespace) == {"shop": (3, "registry.test/shop:2")}
    route = kubectl_json(kube_cluster, "httproute/shop", "-n", namespace)
    backends = {
        ref["name"]: ref["weight"] for rule in route["spec"]["rules"] for ref in rule["backendRefs"]
    }
    assert backends == {"shop-stable": 100, "shop-canary": 0}


def test_a_never_ready_canary_is_rolled_back_with_stable_serving_throughout(
    kube_cluster, namespace, manifests, tmp_path
):
    config = kube_cluster.kubeconfig
    flags = ("--strategy=canary", "--router=gateway-api")
    assert paved(config, namespace, manifests, "registry.test/shop:1", *flags).returncode == 0
    out = tmp_path / "bad.json"
    bad = paved(
        config,
        namespace,
        manifests,
        "registry.test/shop:never-ready-2",
        *flags,
        "--ready-timeout=4",
        outcome=out,
    )
    assert bad.returncode == 1, bad.stderr
    outcome = json.loads(out.read_text(encoding="utf-8"))
    assert outcome["status"] == "rolled-back"
    assert "0/1 ready" in outcome["reason"]
    assert outcome["final_weight"] == 0
    # The stable Deployment never left v1 and kept all its ready pods; the canary is gone.
    assert deployments(kube_cluster, namespace) == {"shop": (3, "registry.test/shop:1")}
    status = kubectl_json(kube_cluster, "deployment/shop", "-n", namespace)["status"]
    assert status["readyReplicas"] == 3
    route = kubectl_json(kube_cluster, "httproute/shop", "-n", namespace)
    backends = {
        ref["name"]: ref["weight"] for rule in route["spec"]["rules"] for ref in rule["backendRefs"]
    }
    assert backends["shop-canary"] == 0


def test_a_token_without_rights_is_exit_3_naming_the_verb_and_resource(
    kube_cluster, namespace, manifests, tmp_path
):
    token = service_account_token(kube_cluster, namespace, "deployer")
    config = kubeconfig_for(kube_cluster, tmp_path / "kc", token=token)
    done = paved(config, namespace, manifests, "registry.test/shop:1")
    assert done.returncode == 3, done.stderr
    assert "the Kubernetes token may not" in done.stderr
    assert f"in namespace {namespace}" in done.stderr
    assert "grant the verb" in done.stderr
    assert "Traceback" not in done.stderr
