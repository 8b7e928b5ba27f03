"""Rollouts tracked and undone by paved's adapter, checked against what kubectl says."""

from __future__ import annotations

import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from components.registry import free_port
from kube_support import deployment_manifest, service_manifest
from paved.adapters.kube import RollbackImpossibleError, RolloutPhase
from paved.adapters.kube.interface import deployment

pytestmark = pytest.mark.integration

ROLLOUT_TIMEOUT = 60.0


def kubectl_revisions(kube_cluster, namespace: str, name: str) -> list[int]:
    """The REVISION column of `kubectl rollout history`."""
    result = kube_cluster.kubectl("rollout", "history", f"deployment/{name}", "-n", namespace)
    assert result.returncode == 0, result.stderr
    return [int(n) for n in re.findall(r"^(\d+)\s", result.stdout, re.MULTILINE)]


def kubectl_live_revision(kube_cluster, namespace: str, name: str) -> int:
    result = kube_cluster.kubectl(
        "get",
        f"deployment/{name}",
        "-n",
        namespace,
        "-o",
        r"jsonpath={.metadata.annotations.deployment\.kubernetes\.io/revision}",
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout)


def test_an_image_change_is_tracked_to_completion_as_kubectl_sees_it(kube, kube_cluster, namespace):
    kube.apply(deployment_manifest(namespace, "web", "registry.test/web:1.0"))
    kube.apply(service_manifest(namespace, "web", {"app": "web"}))
    first = kube.wait_for_rollout(namespace, "web", timeout_seconds=ROLLOUT_TIMEOUT)
    assert first.phase is RolloutPhase.COMPLETE
    assert (first.revision, first.available, first.images) == (1, 3, ("registry.test/web:1.0",))

    applied = kube.apply(deployment_manifest(namespace, "web", "registry.test/web:1.1"))
    assert applied["metadata"]["generation"] == 2
    status = kube.rollout_status(namespace, "web")
    assert not status.phase.finished  # the controller has work to do: new pods are not ready yet

    done = kube.wait_for_rollout(namespace, "web", timeout_seconds=ROLLOUT_TIMEOUT)
    assert done.phase is RolloutPhase.COMPLETE
    assert done.observed_generation == done.generation == 2
    assert (done.desired, done.updated, done.ready, done.available, done.replicas) == (3,) * 5
    assert done.revision == 2
    assert done.images == ("registry.test/web:1.1",)

    kubectl = kube_cluster.kubectl(
        "rollout", "status", "deployment/web", "-n", namespace, "--timeout=5s"
    )
    assert kubectl.returncode == 0, kubectl.stderr
    assert "successfully rolled out" in kubectl.stdout
    history = kube.history(namespace, "web")
    assert (
        [r.number for r in history] == kubectl_revisions(kube_cluster, namespace, "web") == [1, 2]
    )
    assert [r.images for r in history] == [("registry.test/web:1.0",), ("registry.test/web:1.1",)]
    assert [r.replicas for r in history] == [0, 3]

    managers = {
        (m["manager"], m["operation"]) for m in applied["metadata"].get("managedFields", [])
    }
    assert ("paved", "Apply") in managers


def test_a_version_that_never_becomes_ready_exceeds_its_deadline_and_undo_restores_it(
    kube, kube_cluster, namespace
):
    kube.apply(deployment_manifest(namespace, "api", "registry.test/api:1", deadline_seconds=5))
    assert kube.wait_for_rollout(namespace, "api", timeout_seconds=ROLLOUT_TIMEOUT).phase is (
        RolloutPhase.COMPLETE
    )
    kube.annotate(deployment(namespace, "api"), {"paved.dev/rollout": "step=1"})
    kube.apply(
        deployment_manifest(
            namespace, "api", "registry.test/api:2", ready=False, deadline_seconds=5
        )
    )
    started = time.monotonic()
    failed = kube.wait_for_rollout(namespace, "api", timeout_seconds=ROLLOUT_TIMEOUT)
    waited = time.monotonic() - started
    assert failed.phase is RolloutPhase.DEADLINE_EXCEEDED, failed
    assert failed.progressing_reason == "ProgressDeadlineExceeded"
    assert waited >= 4.0  # the controller's deadline, not ours
    assert failed.available == 3  # maxUnavailable 0: the old pods kept serving
    assert failed.updated == 1
    assert failed.ready == 3
    kubectl = kube_cluster.kubectl(
        "rollout", "status", "deployment/api", "-n", namespace, "--timeout=5s"
    )
    assert kubectl.returncode != 0
    assert "exceeded its progress deadline" in kubectl.stderr

    target = kube.undo(namespace, "api")
    assert (target.number, target.images) == (1, ("registry.test/api:1",))
    restored = kube.wait_for_rollout(namespace, "api", timeout_seconds=ROLLOUT_TIMEOUT)
    assert restored.phase is RolloutPhase.COMPLETE
    assert restored.images == ("registry.test/api:1",)
    # The controller gives the restored ReplicaSet the next revision number, as kubectl shows.
    assert restored.revision == kubectl_live_revision(kube_cluster, namespace, "api") == 3
    assert kubectl_revisions(kube_cluster, namespace, "api") == [2, 3]
    assert [r.number for r in kube.history(namespace, "api")] == [2, 3]
    live = kube.get(deployment(namespace, "api"))
    assert "pod-template-hash" not in live["spec"]["template"]["metadata"]["labels"]
    assert kube.annotations(deployment(namespace, "api"))["paved.dev/rollout"] == "step=1"


def test_undo_without_an_earlier_revision_says_so(kube, namespace):
    kube.apply(deployment_manifest(namespace, "solo", "registry.test/solo:1", replicas=1))
    kube.wait_for_rollout(namespace, "solo", timeout_seconds=ROLLOUT_TIMEOUT)
    with pytest.raises(RollbackImpossibleError, match="no earlier revision") as caught:
        kube.undo(namespace, "solo")
    assert caught.value.exit_code == 2
    with pytest.raises(RollbackImpossibleError, match=r"has no revision 7 \(valid: 1\)"):
        kube.undo(namespace, "solo", to_revision=7)


class _Health(BaseHTTPRequestHandler):
    healthy = threading.Event()

    def do_GET(self):
        self.send_response(200 if self.healthy.is_set() else 503)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_readiness_follows_a_real_http_probe(kube, namespace):
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        manifest = deployment_manifest(namespace, "probed", "registry.test/p:1", probe_port=port)
        kube.apply(manifest)
        waiting = kube.wait_for_rollout(namespace, "probed", timeout_seconds=3)
        assert waiting.phase is RolloutPhase.WAITING_AVAILABLE
        assert waiting.ready == 0
        _Health.healthy.set()
        done = kube.wait_for_rollout(namespace, "probed", timeout_seconds=ROLLOUT_TIMEOUT)
        assert done.phase is RolloutPhase.COMPLETE
        assert done.ready == 3
    finally:
        server.shutdown()
        server.server_close()
