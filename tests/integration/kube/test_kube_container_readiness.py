"""Pod readiness that follows a real container: the readinessProbe is checked against a
container the test Docker engine runs, so stopping the container makes the pods unready."""

from __future__ import annotations

import time
import uuid

import pytest
from components.registry import free_port
from kube_support import deployment_manifest
from paved.adapters.kube import RolloutPhase

pytestmark = pytest.mark.integration


def wait_until(read, predicate, seconds=30.0):
    deadline = time.monotonic() + seconds
    value = read()
    while not predicate(value) and time.monotonic() < deadline:
        time.sleep(0.2)
        value = read()
    return value


def test_pods_are_ready_only_while_their_container_answers(kube, namespace, engine, base):
    port = free_port()
    name = f"paved-probe-{uuid.uuid4().hex[:8]}"
    # A bridge network of its own and a port published on 127.0.0.1 (host networking would
    # leave the engine a network namespace mount to clean up).
    assert engine.docker("network", "create", name).returncode == 0
    started = engine.docker(
        "run", "-d", "--name", name, "--network", name, "-p", f"127.0.0.1:{port}:8000",
        base.name, "python3", "-m", "http.server", "8000",
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    try:
        manifest = deployment_manifest(namespace, "web", base.name, probe_port=port, probe_path="/")
        kube.apply(manifest)
        done = kube.wait_for_rollout(namespace, "web", timeout_seconds=60)
        assert (done.phase, done.ready) == (RolloutPhase.COMPLETE, 3)

        assert engine.docker("stop", "--time", "1", name).returncode == 0
        down = wait_until(lambda: kube.rollout_status(namespace, "web"), lambda s: s.ready == 0)
        assert (down.ready, down.available) == (0, 0)

        assert engine.docker("start", name).returncode == 0
        back = wait_until(lambda: kube.rollout_status(namespace, "web"), lambda s: s.ready == 3)
        assert (back.ready, back.available) == (3, 3)
    finally:
        engine.docker("rm", "-f", name)
        engine.docker("network", "rm", name)
