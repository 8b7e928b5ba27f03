"""Bad input to `paved deploy-strategy`: exit 2, one line naming the flag and what is valid.

Options are checked before any target is contacted, so these need no server."""

from __future__ import annotations

import pytest
from paved.adapters.deploy.interface import Track
from paved.adapters.http.stdlib import StdlibHttpClient
from paved.cli import build_parser, run
from paved.cli.deploy_strategy import target_from


class Errors:
    """A front end that keeps the error."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def show(self, rendered: object) -> None:
        pytest.fail(f"expected an error, got {rendered}")

    def fail(self, capability: str, error: object) -> None:
        self.errors.append(f"{capability}: {error}")


BASE = ["deploy-strategy", "--app=shop", "--image=127.0.0.1:5000/shop@sha256:" + "a" * 64]


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (["--canary-steps=10,5,100"], "canary-steps: weights must increase, but 5 follows 10"),
        (["--canary-steps=10,50"], "canary-steps: the last weight is 50, not 100"),
        (["--canary-steps=10,150"], "canary-steps: weight 150 is outside 1..100"),
        (["--step-weight=60", "--max-weight=40"], "the step 60 is larger than the maximum 40"),
        (["--step-weight=0"], "--step-weight: 0 is out of range (valid: a whole number from 1"),
        (["--strategy=rainbow"], "(valid: direct, blue-green, canary)"),
        (["--target=nomad"], "(valid: docker, kubernetes)"),
        (["--target=kubernetes"], "manifests: target kubernetes needs the team's manifests"),
        (
            ["--target=kubernetes", "--manifests=/nonexistent/k8s"],
            "/nonexistent/k8s does not exist",
        ),
        (["--router=istio"], "router: the router istio is a Kubernetes router"),
        (["--router=nginx"], "--router: 'nginx' is not a choice (valid: haproxy, service"),
        (
            ["--target=kubernetes", "--manifests=.", "--router=haproxy"],
            "haproxy routes the Docker host's containers",
        ),
        (
            ["--target=kubernetes", "--manifests=.", "--namespace=Prod_1"],
            "namespace: 'Prod_1' is not a namespace name",
        ),
        (["--smoke=health"], "smoke: 'health' does not start with a path"),
        (["--gate-after=100"], "gate-after: no canary step has weight 100 (valid: 10, 50)"),
        (["--gate-after=half"], "gate-after: 'half' is not a list of weights"),
        (["--env=NOPE"], "env: 'NOPE' is not KEY=VALUE"),
        (["--ready-path=health"], "ready-path: 'health' is not a path"),
        (["--smoke-via=proxy"], "smoke-via: the service proxy is the Kubernetes API server's"),
        (["--smoke-via=dns"], "--smoke-via: 'dns' is not a choice (valid: auto, proxy, direct"),
        (["--app=Shop_1"], "app: 'Shop_1' is not a valid app name"),
        (["--image=has space"], "image: 'has space' is not an image reference"),
    ],
)
def test_bad_input_is_exit_2_with_what_is_valid(flags, says):
    front = Errors()
    assert run([*BASE, *flags], front) == 2
    [error] = front.errors
    assert says in error
    assert "valid" in error or "(see" in error or "is not" in error


def test_missing_app_or_image_names_the_flag():
    front = Errors()
    assert run(["deploy-strategy", "--image=x:1"], front) == 2
    assert "--app" in front.errors[0]


def test_a_manifest_that_is_not_a_kubernetes_object_names_file_document_and_field(tmp_path):
    manifests = tmp_path / "k8s"
    manifests.mkdir()
    (manifests / "app.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: shop}\n---\n"
        "apiVersion: v1\nmetadata: {name: shop}\nspec: {}\n",
        encoding="utf-8",
    )
    front = Errors()
    flags = ["--target=kubernetes", f"--manifests={manifests}"]
    assert run([*BASE, *flags], front) == 2
    [error] = front.errors
    assert f"{manifests / 'app.yaml'}:5" in error
    assert "document 2: kind is missing" in error


KUBECONFIG = """apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
"""


@pytest.mark.parametrize(
    ("flag", "in_cluster", "proxy"),
    [
        ("--smoke-via=auto", False, True),
        ("--smoke-via=auto", True, False),
        ("--smoke-via=proxy", True, True),
        ("--smoke-via=direct", False, False),
    ],
)
def test_smoke_via_auto_means_the_proxy_unless_paved_runs_in_a_pod(
    tmp_path, monkeypatch, flag, in_cluster, proxy
):
    manifests = tmp_path / "shop.yaml"
    manifests.write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: shop}\n"
        "spec: {template: {spec: {containers: [{name: app, image: x}]}}}\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: shop}\nspec: {ports: [{port: 80}]}\n",
        encoding="utf-8",
    )
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(KUBECONFIG, encoding="utf-8")
    if in_cluster:
        monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1")
    else:
        monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    flags = ["--target=kubernetes", f"--manifests={manifests}", f"--kubeconfig={kubeconfig}", flag]
    args = build_parser("deploy-strategy").parse_args([*BASE, *flags])
    target = target_from(args, "shop", StdlibHttpClient())
    assert target.settings.smoke_through_proxy is proxy
    endpoint = target.endpoint("shop", Track.CANDIDATE)
    if proxy:
        assert endpoint.base == (
            "https://127.0.0.1:1/api/v1/namespaces/default/services/shop-canary:80/proxy"
        )
    else:
        assert endpoint.base == "http://shop-canary.default.svc:80"
