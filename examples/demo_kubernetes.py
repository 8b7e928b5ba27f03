"""`PAVED_DEMO_TARGET=kubernetes make demo`: the same delivery path against paved's Kubernetes
harness instead of the Docker host.

The pipeline under act first (build and test, the offline security scan, the image pushed to a
private registry by digest), as the Docker demo runs it. Then the deploy half, as paved CLI
calls with `--target=kubernetes` from this driver, which stands where a runner outside the
cluster stands: the API server on 127.0.0.1, credentials from a kubeconfig, no cluster DNS.
v1 goes live in the namespaces `staging` and `production`; each next version goes to staging
blue-green (the Service's selector switched) and to production as a canary by replica ratio,
gated at 20 %. The smoke checks reach each track's Service through the API server's service
proxy. At the gate, load flows through that proxy to the production Service, Prometheus scrapes
the stable and the canary pods' containers, and rollback-guard judges the canary's error rate
against stable: v2 passes and is approved to 100 %, v3 (FAULT_ERROR_RATE=0.2) fails and
production is rolled back to the image it replaced. Then the DORA summary of the deploy
records, and the timeline.

The control plane is the tests' (tests/components/kubernetes.py: etcd, kube-apiserver and
kube-controller-manager 1.20.2 built from Debian's source once per machine, cached under
~/.cache/paved/kubernetes/) with the pod emulator running each pod's container on the demo's
Docker engine at the pod IP the Endpoints list. Exits 0 when v2 is live and v3 was rolled
back, 1 otherwise, 3 when a component cannot start.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

EXAMPLES = Path(__file__).resolve().parent
ROOT = EXAMPLES.parent
sys.path[:0] = [str(EXAMPLES), str(ROOT / "tests"), str(ROOT / "lib")]
import act_local  # noqa: E402
from components import base_image, docker_engine, kube_build, prometheus, registry  # noqa: E402
from components import kubernetes as control_plane  # noqa: E402
from components.errors import ComponentError  # noqa: E402
from components.kube_nodes import emulated_node  # noqa: E402
from components.prometheus import Target  # noqa: E402
from components.service_versions import _derive, _push  # noqa: E402
from demo_delivery import Timeline  # noqa: E402
from kubernetes import client  # noqa: E402
from paved.adapters.http.interface import LoadProfile  # noqa: E402
from paved.adapters.http.stdlib import ThreadedLoadGenerator  # noqa: E402
from paved.adapters.kube.official import KubernetesClient, connect  # noqa: E402

if TYPE_CHECKING:
    from components.docker_engine import DockerEngine
    from components.prometheus import LocalPrometheus

APP = "python-service"
STAGING = "staging"
PRODUCTION = "production"
MANIFESTS = EXAMPLES / "kubernetes" / "python-service.yaml"
PRODUCTION_REPLICAS = "4"
"""Four pods, so the canary's one pod is 25 % of production's (replica ratio at 20 %)."""
OSV_DATABASE = ROOT / "tests" / "data" / "osv-pypi"
IMAGE_NAME = "acme/python-service"
SERVICE_PORT = 80
CONTAINER_PORT = 8080
LOAD_RATE = 40.0
"""Requests per second through the API server's proxy while the guard looks."""


@dataclass(frozen=True)
class Cluster:
    """The cluster the demo deploys to, the engine its pods run on, Prometheus, the records."""

    kube: KubernetesClient
    pods: client.CoreV1Api
    """The harness's own view of the pods (their IPs and tracks, for Prometheus)."""
    kubeconfig: Path
    engine: DockerEngine
    prometheus: LocalPrometheus
    record: Path
    work: Path
    sha: str

    def paved(self, *args: str) -> subprocess.CompletedProcess[str]:
        """One paved CLI call, its output shown (it is the demo's log)."""
        env = {"GITHUB_SHA": self.sha, "PATH": "/usr/bin:/bin"}
        done = subprocess.run(
            [sys.executable, "-m", "paved.cli", *args],
            capture_output=True, text=True, check=False, cwd=self.work, env=env, timeout=900,
        )  # fmt: skip
        print(done.stdout.rstrip(), done.stderr.rstrip(), sep="\n", flush=True)
        return done

    def deploy(self, namespace: str, image: str, *flags: str) -> dict[str, object]:
        """`paved deploy-strategy --target=kubernetes` into `namespace`; its JSON outcome."""
        outcome = self.work / f"deploy-{time.monotonic_ns()}.json"
        self.paved(
            "deploy-strategy", f"--app={APP}", f"--image={image}", "--target=kubernetes",
            f"--manifests={MANIFESTS}", f"--namespace={namespace}",
            f"--kubeconfig={self.kubeconfig}", f"--environment={namespace}",
            f"--record={self.record}", "--ready-timeout=120", "--holder=paved-demo",
            "--smoke=/health json.status=healthy", f"--json={outcome}", *flags,
        )  # fmt: skip
        return json.loads(outcome.read_text(encoding="utf-8"))

    def scrape(self) -> None:
        """Point Prometheus at production's ready pods, labelled by their track."""
        pods = self.pods.list_namespaced_pod(PRODUCTION, label_selector=f"app={APP}")
        self.prometheus.remove_app(APP)
        count = 0
        for pod in pods.items:
            ready = any(
                c.type == "Ready" and c.status == "True" for c in pod.status.conditions or ()
            )
            if pod.metadata.deletion_timestamp is None and ready and pod.status.pod_ip:
                track = pod.metadata.labels.get("track", "stable")
                self.prometheus.add_target(
                    Target(f"{pod.status.pod_ip}:{CONTAINER_PORT}", APP, track)
                )
                count += 1
        self.prometheus.wait_scraped(APP, count)

    def guard(self) -> int:
        """rollback-guard on the canary at the gate, under load through the API server's
        service proxy to the production Service; its exit."""
        self.scrape()
        production = self.kube.service_proxy(PRODUCTION, APP, SERVICE_PORT)
        profile = LoadProfile(production.url("/api/data"), LOAD_RATE, 2000, 45.0, 4)
        load = ThreadedLoadGenerator(production.client).start(profile)
        try:
            return self.paved(
                "rollback-guard", f"--prometheus-url={self.prometheus.url}", f"--app={APP}",
                f'--candidate-selector=app="{APP}",track="canary"',
                f'--stable-selector=app="{APP}",track="stable"',
                "--checks=error-rate", "--interval=2", "--window=10", "--looks=6",
                "--min-requests=20", "--on-inconclusive=fail",
                f"--record={self.work / f'guard-{time.monotonic_ns()}.json'}",
            ).returncode  # fmt: skip
        finally:
            load.stop()
            self.prometheus.remove_app(APP)

    def live_version(self) -> str:
        """What production's users get now (the version field of /health, through the proxy)."""
        answer = self.kube.service_proxy(PRODUCTION, APP, SERVICE_PORT).get("/health")
        if answer.status != 200:
            return f"nothing ({answer.status or answer.error})"
        return str(json.loads(answer.body).get("version", "?"))


def ship(cluster: Cluster, timeline: Timeline, version: str, image: str) -> str:
    """One version through staging and a guarded production canary; what became of it."""
    with timeline.part(f"{version}: staging, blue-green (Service selector)") as said:
        staged = cluster.deploy(STAGING, image, "--strategy=blue-green", "--bake-seconds=2")
        said.append(str(staged["status"]))
    if staged["status"] not in {"succeeded", "unchanged"}:
        return f"{version} stopped in staging ({staged['status']})"
    canary = ("--strategy=canary", "--canary-steps=20,100", "--gate-after=20", "--step-seconds=1")
    with timeline.part(f"{version}: production canary to 20 % (replica ratio)") as said:
        gated = cluster.deploy(PRODUCTION, image, *canary)
        said.append(f"{gated['status']} at {gated['final_weight']} %")
    for url in _smoke_urls(gated):
        print(f"paved demo: a smoke check went to {url}", flush=True)
    if gated["status"] != "paused":
        return f"{version} in production: {gated['status']}"
    with timeline.part(f"{version}: rollback-guard on the canary (Prometheus)") as said:
        verdict = cluster.guard()
        said.append("pass" if verdict == 0 else f"fail (exit {verdict})")
    if verdict == 0:
        with timeline.part(f"{version}: approved, canary to 100 %") as said:
            done = cluster.deploy(PRODUCTION, image, *canary, "--approve")
            said.append(str(done["status"]))
        return f"{version} promoted ({done['status']})"
    with timeline.part(f"{version}: rolled back to the image it replaced") as said:
        previous = str(gated["previous_image"])
        back = cluster.deploy(PRODUCTION, previous, "--strategy=direct")
        said.append(f"{back['status']}, {previous.rpartition('@')[2][:19]} serves 100 %")
    return f"{version} rolled back"


def _smoke_urls(outcome: dict[str, object]) -> list[str]:
    """Where the rollout's smoke checks went (the API server's service proxy, from here)."""
    steps = outcome.get("steps")
    return [
        str(check["url"])
        for step in (steps if isinstance(steps, list) else [])
        for check in step.get("smoke") or []
    ]


def main() -> int:
    """Start the components (building the control plane once if needed), run, report."""
    act = act_local.act_binary()
    if act is None:
        print("act is not installed: run `make setup`", file=sys.stderr)
        return 3
    os.environ["PAVED_KUBE"] = "source"  # pods run on this demo's engine, which kind cannot reach
    if not kube_build.is_built():
        print(
            "paved demo: building kube-apiserver and kube-controller-manager "
            f"{kube_build.VERSION} from Debian's source package, once per machine (about 6-10 "
            "minutes on two cores; cached under ~/.cache/paved/kubernetes/)",
            flush=True,
        )
    timeline = Timeline()
    try:
        kube_build.server_binaries()
        with (
            docker_engine.running_engine() as engine,
            registry.running_registry() as local_registry,
            prometheus.running_prometheus() as metrics,
            control_plane.running_cluster() as running,
            tempfile.TemporaryDirectory(prefix="paved-demo-") as temp,
            ExitStack() as stack,
        ):
            base_image.ensure_base_image(engine)
            emulator = stack.enter_context(emulated_node(running.kubeconfig, engine))
            kube = connect(str(running.kubeconfig))
            try:
                timeline.mark(
                    "engine, registry, Prometheus, Kubernetes API server and controllers started"
                )
                cluster = Cluster(
                    kube, client.CoreV1Api(emulator.api), running.kubeconfig, engine, metrics,
                    Path(temp) / "deploys.jsonl", Path(temp), "",
                )  # fmt: skip
                code = _run(act, cluster, local_registry, timeline)
            finally:
                kube.close()
    except ComponentError as exc:
        print(f"paved demo: {exc}", file=sys.stderr)
        return 3
    print(timeline.text(), flush=True)
    return code


def _run(act: str, cluster: Cluster, local_registry, timeline: Timeline) -> int:
    work, engine = cluster.work, cluster.engine
    with timeline.part("pipeline under act: build and test, scan, image pushed") as said:
        code, repo = _pipeline(act, work, engine.host, local_registry.host)
        said.append(f"act exit {code}")
    if code != 0:
        return code
    name = f"{local_registry.host}/{IMAGE_NAME}"
    with timeline.part("versions 2 and 3 (fault knob) derived from the pipeline's image") as said:
        v1 = f"{name}@{local_registry.manifest_digest(IMAGE_NAME, 'main')}"
        _derive(engine, work, v1, f"{name}:2.0.0", "ENV APP_VERSION=2.0.0")
        _derive(engine, work, v1, f"{name}:3.0.0", "ENV APP_VERSION=3.0.0 FAULT_ERROR_RATE=0.2")
        versions = {"2.0.0": _push(engine, local_registry, f"{name}:2.0.0")}
        versions["3.0.0"] = _push(engine, local_registry, f"{name}:3.0.0")
        said.append("pushed by digest")
    sha = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"],  # noqa: S607 - git from PATH, as act_local
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    for namespace in (STAGING, PRODUCTION):
        manifest = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
        cluster.kube.apply(manifest)
    return _deliver(replace(cluster, sha=sha), timeline, v1, versions)


def _deliver(cluster: Cluster, timeline: Timeline, v1: str, versions: dict[str, str]) -> int:
    with timeline.part("v1 live in staging and production (first deploys)") as said:
        staged = cluster.deploy(STAGING, v1, "--strategy=direct", "--replicas=1")
        live = cluster.deploy(
            PRODUCTION, v1, "--strategy=direct", f"--replicas={PRODUCTION_REPLICAS}"
        )
        said.append(f"{staged['status']}, {live['status']}")
    results = [ship(cluster, timeline, f"v{v[0]}", image) for v, image in versions.items()]
    serving = cluster.live_version()
    with timeline.part("DORA from the demo's deploy records (ci-metrics, no API)") as said:
        done = cluster.paved(
            "ci-metrics", "--repository=acme/python-service", "--no-sync",
            f"--store={cluster.work / 'metrics.sqlite'}", "--deploy-source=records",
            f"--deploy-records={cluster.record}", "--days=1",
        )  # fmt: skip
        said.append(f"exit {done.returncode}")
    print("\n" + "\n".join(results) + f"\nproduction serves {serving}", flush=True)
    ok = serving == "2.0.0" and results[-1] == "v3 rolled back" and done.returncode == 0
    return 0 if ok else 1


def _pipeline(act: str, work: Path, docker_host: str, registry_host: str) -> tuple[int, Path]:
    """The consumer's ci.yml under act: build and test, scan, the image pushed by digest."""
    paved = act_local.lean_checkout(ROOT, work / "paved")
    repo = work / "consumer"
    shutil.copytree(EXAMPLES / "consumer", repo)
    (repo / ".github" / "workflows" / "main.yaml").unlink()  # its deploys are this driver's
    shutil.copytree(
        EXAMPLES / "python-service",
        repo / "service",
        ignore=shutil.ignore_patterns(
            "__pycache__", ".pytest_cache", ".paved", ".coverage", "wheels"
        ),
    )
    act_local.commit_all(repo, "demo")
    variables = {
        "PAVED_REGISTRY": registry_host,
        "PAVED_IMAGE_NAME": IMAGE_NAME,
        "PAVED_OSV_DATABASE": str(OSV_DATABASE),
        "PAVED_OSV_MAX_AGE": "any",  # the vendored records end in 2024
    }
    print(f"paved demo: {repo}/.github/workflows/ci.yml under act (offline)", flush=True)
    command = act_local.act_command(act, paved, variables, {"DOCKER_HOST": docker_host})
    return subprocess.run(command, cwd=repo, check=False).returncode, repo


if __name__ == "__main__":
    sys.exit(main())
