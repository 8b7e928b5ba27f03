"""Smoke checks from a runner outside the cluster: through the API server's service proxy.

The pods' containers run on the test Docker engine at the pod IPs the real
kube-controller-manager writes into the Services' Endpoints, so the real kube-apiserver proxies
each check to the real container. Nothing here resolves `<svc>.<ns>.svc`.
"""

from __future__ import annotations

import json
import time

import pytest
from components.kube_nodes import NODE_SELECTOR
from components.kube_pod_containers import CONTAINER_KNOB
from kube_support import kubeconfig_for, kubectl_json, service_account_token, service_manifest
from paved.adapters.deploy.interface import Track
from paved.adapters.deploy.kube_objects import KubeRouter
from paved.adapters.deploy.kubernetes import KubernetesSettings, KubernetesTarget
from paved.adapters.http.interface import LoadProfile
from paved.adapters.http.stdlib import StdlibHttpClient, ThreadedLoadGenerator
from paved.adapters.kube.interface import AccessDeniedError
from paved.adapters.kube.official import connect
from paved.adapters.smoke.interface import judge
from paved.deploystrategy.analysis import ReadinessAndSmoke
from paved.deploystrategy.clock import Clock
from paved.deploystrategy.core import Rollout
from paved.deploystrategy.options import DeployOptions, Strategy, canary_steps, parse_smoke_check
from paved.deploystrategy.outcome import DeployResult
from paved.rollbackguard import catalog
from paved.rollbackguard.live import SmokeAnswers

pytestmark = pytest.mark.integration
CLOCK = Clock(now=time.time, monotonic=time.monotonic, sleep=time.sleep)
APP = "shop"
# /health answers 500 while every other path (the readinessProbe's /metrics) answers 200.
UNHEALTHY_SERVER = """
import http.server, json
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        status = 500 if self.path.startswith("/health") else 200
        body = json.dumps({"status": "unhealthy" if status == 500 else "ok"}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
http.server.ThreadingHTTPServer(("0.0.0.0", 8080), Handler).serve_forever()
"""


@pytest.fixture(scope="session")
def unhealthy_image(engine, local_registry, service_images, tmp_path_factory) -> str:
    """A version that is ready (its /metrics answers) and whose /health answers 500."""
    folder = tmp_path_factory.mktemp("unhealthy")
    (folder / "server.py").write_text(UNHEALTHY_SERVER, encoding="utf-8")
    base = service_images.v1
    (folder / "Dockerfile").write_text(
        f'FROM {base}\nCOPY server.py /srv/server.py\nCMD ["python3", "/srv/server.py"]\n',
        encoding="utf-8",
    )
    tag = f"{local_registry.host}/shop:unhealthy"
    for argv in (("build", "--quiet", "--tag", tag, str(folder)), ("push", tag)):
        done = engine.docker(*argv, timeout=300)
        assert done.returncode == 0, done.stderr
    return tag


def team_deployment(namespace: str) -> dict:
    """The team's Deployment: its pods run for real (the harness's knob), ready on /metrics."""
    container = {
        "name": "app",
        "image": "registry.test/shop:team",
        "ports": [{"containerPort": 8080}],
        "readinessProbe": {"httpGet": {"port": 8080, "path": "/metrics"}, "periodSeconds": 1},
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": APP, "namespace": namespace},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": APP}},
            "template": {
                "metadata": {"labels": {"app": APP}, "annotations": {CONTAINER_KNOB: "docker"}},
                # Where kind's scheduler runs, this puts the pods on the emulated Node.
                "spec": {"nodeSelector": dict(NODE_SELECTOR), "containers": [container]},
            },
        },
    }


@pytest.fixture
def running(kube_pods_run, kube, namespace) -> KubernetesTarget:
    del kube_pods_run  # pods of the knob run their containers from here on
    settings = KubernetesSettings(
        namespace=namespace,
        deployment=team_deployment(namespace),
        service=service_manifest(namespace, APP, {"app": APP}),
        router=KubeRouter.REPLICA_RATIO,
        poll_seconds=0.1,
    )
    return KubernetesTarget(kube, settings, StdlibHttpClient())


def deploy(target, image, strategy, checks, *, weights=(100,), replicas=None):
    options = DeployOptions(
        APP,
        image,
        strategy,
        canary_steps(weights, 1.0),
        replicas=replicas,
        smoke_checks=checks,
        ready_timeout_seconds=60.0,
        holder="it",
    )
    analysis = ReadinessAndSmoke(target, checks, CLOCK, interval=0.5)
    return Rollout(options, target, analysis, CLOCK).run()


def body(response) -> dict:
    assert response.status == 200, (response.status, response.error, response.body[:200])
    return json.loads(response.body)


def test_pod_ips_are_the_containers_and_the_proxy_reaches_them(
    running, service_images, kube_cluster, namespace
):
    outcome = deploy(running, service_images.v1, Strategy.DIRECT, (), replicas=2)
    assert outcome.result is DeployResult.SUCCEEDED, outcome.reason
    pods = kubectl_json(kube_cluster, "pods", "-n", namespace)["items"]
    pod_ips = sorted(p["status"]["podIP"] for p in pods)
    endpoints = kubectl_json(kube_cluster, "endpoints/shop-stable", "-n", namespace)
    listed = sorted(a["ip"] for s in endpoints["subsets"] for a in s["addresses"])
    assert listed == pod_ips
    assert not any(ip.startswith("10.244.") for ip in pod_ips)  # not the emulator's fake pool
    stable = running.endpoint(APP, Track.STABLE)
    assert (
        stable.base
        == f"{running.cluster.host}/api/v1/namespaces/{namespace}/services/shop-stable:80/proxy"
    )
    assert body(stable.get("/health"))["version"] == "1.0.0"


def test_a_canary_whose_health_answers_500_is_rolled_back_by_the_smoke_check_through_the_proxy(
    running, service_images, unhealthy_image
):
    checks = (parse_smoke_check("/health json.status=healthy"),)
    first = deploy(running, service_images.v1, Strategy.DIRECT, checks, replicas=2)
    assert first.result is DeployResult.SUCCEEDED, first.reason
    stable = running.endpoint(APP, Track.STABLE)
    load = ThreadedLoadGenerator(stable.client).start(
        LoadProfile(stable.url("/health"), 10, 100_000, 120, concurrency=2)
    )
    outcome = deploy(running, unhealthy_image, Strategy.CANARY, checks, weights=(50, 100))
    report = load.stop()
    assert outcome.result is DeployResult.ROLLED_BACK
    smoke = next(s for s in outcome.steps if s.step.kind.value == "smoke")
    assert smoke.detail == "/health: expected status 200, got status 500"
    assert smoke.smoke[0].url.startswith(f"{running.cluster.host}/api/v1/namespaces/")
    assert "/services/shop-canary:80/proxy/health" in smoke.smoke[0].url
    # The stable track answered every request through the proxy while the canary came and went.
    assert report.requests > 0
    assert (report.failures, report.statuses) == (0, {200: report.requests}), report
    assert outcome.left.candidate is None
    assert body(stable.get("/health"))["version"] == "1.0.0"


def test_a_healthy_canary_passes_its_smoke_checks_through_the_proxy_and_is_promoted(
    running, service_images
):
    first = deploy(running, service_images.v1, Strategy.DIRECT, (), replicas=2)
    assert first.result is DeployResult.SUCCEEDED, first.reason
    checks = (parse_smoke_check("/health json.status=healthy json.version=2.0.0"),)
    outcome = deploy(running, service_images.v2, Strategy.CANARY, checks, weights=(50, 100))
    assert outcome.result is DeployResult.SUCCEEDED, outcome.reason
    smoke = next(s for s in outcome.steps if s.step.kind.value == "smoke")
    assert [r.ok for r in smoke.smoke] == [True]
    analysed = [s for s in outcome.steps if s.step.kind.value == "analyse"]
    assert analysed
    assert all(s.analysis.passed for s in analysed)
    assert body(running.endpoint(APP, Track.STABLE).get("/health"))["version"] == "2.0.0"


def test_a_track_with_no_ready_endpoints_says_so(running, service_images):
    first = deploy(running, service_images.v1, Strategy.DIRECT, (), replicas=1)
    assert first.result is DeployResult.SUCCEEDED, first.reason
    # Serves on 8081 while the probe asks 8080: it runs, and is never ready.
    running.apply(APP, Track.CANDIDATE, service_images.never_ready, 1, 2)
    response = running.endpoint(APP, Track.CANDIDATE).get("/health")
    assert response.status is None
    assert response.error.startswith("the track's Service shop-canary has no ready endpoints (")
    verdict = judge(parse_smoke_check("/health"), response)
    assert verdict.got.startswith("the track's Service shop-canary has no ready endpoints")


def test_a_token_without_services_proxy_is_told_the_verb_and_resource(
    running, service_images, kube_cluster, namespace, tmp_path
):
    first = deploy(running, service_images.v1, Strategy.DIRECT, (), replicas=1)
    assert first.result is DeployResult.SUCCEEDED, first.reason
    token = service_account_token(kube_cluster, namespace, "reader")
    lacking = connect(kubeconfig_for(kube_cluster, tmp_path / "reader", token=token))
    target = KubernetesTarget(lacking, running.settings, StdlibHttpClient())
    with pytest.raises(AccessDeniedError) as caught:
        target.endpoint(APP, Track.STABLE).get("/health")
    assert f"may not get services/proxy in namespace {namespace}" in str(caught.value)
    assert caught.value.exit_code == 3
    lacking.close()


def test_rollback_guards_smoke_source_reaches_both_tracks_without_the_manifests(
    running, service_images, namespace
):
    first = deploy(running, service_images.v1, Strategy.DIRECT, (), replicas=1)
    assert first.result is DeployResult.SUCCEEDED, first.reason
    running.apply(APP, Track.CANDIDATE, service_images.v2, 1, 2)
    assert running.wait_ready(APP, Track.CANDIDATE, 60).ok
    # rollback-guard knows no manifests: the port comes from the live track Services.
    guard_view = KubernetesTarget(
        running.cluster,
        KubernetesSettings(namespace, {}, {}, KubeRouter.REPLICA_RATIO),
        StdlibHttpClient(),
    )
    checks = (parse_smoke_check("/health json.version=2.0.0"),)
    observation = SmokeAnswers(guard_view, APP, checks).observe(catalog.smoke(), 10, 0.0)
    assert (observation.candidate, observation.stable) == (1.0, 0.0)
