"""The standalone guard on the real Docker host (dockerd + registry + HAProxy) under real
load: it judges the canary deploy-strategy left at a gate and rolls a bad one back itself."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from components.docker_host_app import paused_canary
from components.registry import free_port
from paved.adapters.deploy.interface import RolloutStatus
from paved.adapters.http.interface import LoadProfile
from paved.adapters.http.stdlib import ThreadedLoadGenerator

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]
FAULTY = (("FAULT_ERROR_RATE", "0.2"),)


def guard(host, tmp_path, *flags):
    """`paved rollback-guard` as a process against the host's target; (exit, outcome, ended)
    with `ended` the monotonic time it returned."""
    outcome = tmp_path / "outcome.json"
    done = subprocess.run(
        [
            sys.executable, "-m", "paved.cli", "rollback-guard", "--target=docker",
            f"--app={host.app}", f"--docker-host={host.docker_host}",
            f"--haproxy-socket={host.haproxy_socket}", "--interval=1", "--window=5",
            "--min-requests=10", "--looks=6", f"--record={tmp_path / 'decision.json'}",
            f"--json={outcome}", *flags,
        ],
        capture_output=True, text=True, timeout=180, check=False, cwd=ROOT,
    )  # fmt: skip
    ended = time.monotonic()
    assert outcome.exists(), done.stderr
    return done, json.loads(outcome.read_text()), ended


def under_load(host):
    profile = LoadProfile(
        f"{host.url}/api/data", rate_per_second=60, max_requests=20_000, max_seconds=120,
        concurrency=6,
    )  # fmt: skip
    return time.monotonic(), ThreadedLoadGenerator().start(profile)


def test_a_canary_with_20_percent_errors_is_rolled_back_by_the_guard(
    docker_host, service_images, tmp_path
):
    paused_canary(docker_host, service_images.v1, service_images.v2, "2.0.0", env=FAULTY)
    started, load = under_load(docker_host)
    done, outcome, ended = guard(docker_host, tmp_path, "--checks=router-counters, ready-ratio")
    time.sleep(3)  # the load generator keeps measuring after the rollback
    report = load.stop()
    assert done.returncode == 1, done.stderr
    assert outcome["verdict"] == "fail"
    assert outcome["decided_by"] == "router-counters"
    assert outcome["rolled_back"] is True
    assert outcome["rollout"]["candidate_removed"] is True
    view = docker_host.target().observe(docker_host.app)
    assert view.candidate is None
    assert view.traffic.candidate_weight == 0
    assert view.stable is not None
    assert view.stable.image == service_images.v1
    state = docker_host.target().read_state(docker_host.app)
    assert state is not None
    assert state.status is RolloutStatus.ROLLED_BACK
    # Measured by the load generator: errors while the canary served, none once it was off.
    assert report.failures > 0, report
    assert max(report.failure_times) < ended - started, report
    assert "rolled back: all traffic back on" in done.stderr + done.stdout


def test_a_healthy_canary_is_left_alone(docker_host, service_images, tmp_path):
    paused_canary(docker_host, service_images.v1, service_images.v2, "2.0.0")
    _, load = under_load(docker_host)
    done, outcome, _ = guard(
        docker_host, tmp_path, "--checks=router-counters, ready-ratio, smoke",
        "--smoke=/api/data json.version=2.0.0",
    )  # fmt: skip
    report = load.stop()
    assert done.returncode == 0, done.stderr
    assert {c["name"] for c in outcome["checks"]} == {"router-counters", "ready-ratio", "smoke"}
    assert outcome["verdict"] == "pass"
    assert outcome["rolled_back"] is False
    assert report.failures == 0, report
    view = docker_host.target().observe(docker_host.app)
    assert view.candidate is not None
    assert view.traffic.candidate_weight == 20


@pytest.mark.parametrize(
    "case", [("hold", "hold", False), ("fail", "fail", True)], ids=["hold", "fail"]
)
def test_prometheus_stopped_never_promotes(docker_host, service_images, tmp_path, case):
    policy, verdict, rolled_back = case
    paused_canary(docker_host, service_images.v1, service_images.v2, "2.0.0")
    _, load = under_load(docker_host)
    stopped = f"http://127.0.0.1:{free_port()}"  # nothing listens: a Prometheus that is down
    done, outcome, _ = guard(
        docker_host, tmp_path, "--checks=error-rate", f"--prometheus-url={stopped}",
        "--consecutive-error-limit=2", f"--on-inconclusive={policy}",
        '--candidate-selector=track="canary"',
    )  # fmt: skip
    load.stop()
    assert done.returncode == 3, done.stderr  # it never answered
    assert outcome["verdict"] == verdict
    assert outcome["rolled_back"] is rolled_back
    view = docker_host.target().observe(docker_host.app)
    assert view.traffic.candidate_weight == (0 if rolled_back else 20)
    assert view.stable is not None
    assert view.stable.image == service_images.v1  # never promoted
