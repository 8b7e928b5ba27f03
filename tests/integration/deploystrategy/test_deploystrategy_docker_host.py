"""Rollouts on the real Docker host (dockerd + registry + HAProxy) under real load."""

from __future__ import annotations

import time

import pytest
from components import docker_host_app
from paved.adapters.deploy.interface import RolloutStatus
from paved.adapters.http.interface import LoadProfile
from paved.adapters.http.stdlib import StdlibHttpClient, ThreadedLoadGenerator
from paved.deploystrategy.analysis import ReadinessAndSmoke
from paved.deploystrategy.clock import Clock
from paved.deploystrategy.core import Rollout
from paved.deploystrategy.options import (
    DeployOptions,
    Strategy,
    canary_steps,
    parse_smoke_check,
)
from paved.deploystrategy.outcome import DeployResult

pytestmark = pytest.mark.integration
CLOCK = Clock(now=time.time, monotonic=time.monotonic, sleep=time.sleep)


def deploy(host, image, strategy, version, **more):
    return docker_host_app.deploy(host, image, version, strategy=strategy, **more)


def under_load(host):
    profile = LoadProfile(
        f"{host.url}/api/data", rate_per_second=80, max_requests=20_000, max_seconds=180,
        concurrency=8,
    )  # fmt: skip
    return ThreadedLoadGenerator().start(profile)


def versions_served(host, count=40):
    http = StdlibHttpClient()
    seen = set()
    for _ in range(count):
        response = http.get(f"{host.url}/api/data")
        assert response.status == 200, response
        seen.add(response.body.decode().split('"version":"')[1].split('"')[0])
    return seen


def test_a_first_deploy_then_a_blue_green_switch_drop_no_request(docker_host, service_images):
    first = deploy(docker_host, service_images.v1, Strategy.BLUE_GREEN, "1.0.0", replicas=2)
    assert first.result is DeployResult.SUCCEEDED, first.reason
    assert first.plan.strategy is Strategy.DIRECT
    assert versions_served(docker_host) == {"1.0.0"}
    load = under_load(docker_host)
    time.sleep(1)
    outcome = deploy(docker_host, service_images.v2, Strategy.BLUE_GREEN, "2.0.0", bake_seconds=2)
    time.sleep(1)
    report = load.stop()
    assert outcome.result is DeployResult.SUCCEEDED, outcome.reason
    assert report.failures == 0, report
    assert report.requests > 200
    assert versions_served(docker_host) == {"2.0.0"}
    left = outcome.left
    assert left.stable.image == service_images.v2
    assert (left.stable.replicas, left.stable.ready_replicas) == (2, 2)
    assert left.candidate is None
    assert outcome.previous_image == service_images.v1
    assert docker_host.target().read_state(docker_host.app).status is RolloutStatus.SUCCEEDED


def test_a_canary_10_50_100_drops_no_request(docker_host, service_images):
    deploy(docker_host, service_images.v1, Strategy.DIRECT, "1.0.0", replicas=2)
    load = under_load(docker_host)
    outcome = deploy(docker_host, service_images.v2, Strategy.CANARY, "2.0.0")
    report = load.stop()
    assert outcome.result is DeployResult.SUCCEEDED, outcome.reason
    weights = [r.weight for r in outcome.steps if r.step.kind.value == "set-weight"]
    # One canary beside two stable instances: per-server weights 2:9 and 2:1 are exact.
    assert weights == [10, 50, 100]
    assert report.failures == 0, report
    assert versions_served(docker_host) == {"2.0.0"}
    assert outcome.left.stable.replicas == 2


def test_a_version_that_never_gets_ready_is_rolled_back_while_the_old_one_serves(
    docker_host, service_images
):
    deploy(docker_host, service_images.v1, Strategy.DIRECT, "1.0.0", replicas=2)
    load = under_load(docker_host)
    outcome = deploy(
        docker_host, service_images.never_ready, Strategy.CANARY, "3.0.0", ready_timeout=6
    )
    report = load.stop()
    assert outcome.result is DeployResult.ROLLED_BACK
    assert "wait-ready" in outcome.reason
    assert "0/1 ready" in outcome.reason
    assert report.failures == 0, report
    assert versions_served(docker_host) == {"1.0.0"}
    assert outcome.left.candidate is None
    assert outcome.left.stable.image == service_images.v1
    assert outcome.traffic_restored_seconds < 1.0


def test_a_canary_that_answers_500_is_rolled_back_at_10_percent(docker_host, service_images):
    deploy(docker_host, service_images.v1, Strategy.DIRECT, "1.0.0", replicas=2)
    target = docker_host.target()
    # /health stays 200 (never faulted); the analysis looks at what users get.
    analysis = ReadinessAndSmoke(
        target, (parse_smoke_check("/api/data status=200"),), CLOCK, interval=0.2
    )
    options = DeployOptions(
        docker_host.app,
        service_images.failing,
        Strategy.CANARY,
        canary_steps((10, 50, 100), 5.0),
        smoke_checks=(parse_smoke_check("/health json.version=4.0.0"),),
        ready_timeout_seconds=30,
        holder="it",
    )
    load = under_load(docker_host)
    outcome = Rollout(options, target, analysis, CLOCK).run()
    report = load.stop()
    assert outcome.result is DeployResult.ROLLED_BACK
    assert outcome.reason.startswith(
        "step 5 (analyse) failed: fail: smoke /api/data: got status 500"
    )
    assert max(r.weight for r in outcome.steps) == 10
    assert versions_served(docker_host) == {"1.0.0"}
    assert outcome.left.candidate is None
    # Users met the canary's 500s only while it had 10 %: one analysis look, a fraction of a second.
    assert 0 <= report.failures < report.requests * 0.1
    assert outcome.traffic_restored_seconds < 1.0


def test_a_gate_holds_the_canary_at_its_weight_until_an_approved_run(docker_host, service_images):
    deploy(docker_host, service_images.v1, Strategy.DIRECT, "1.0.0", replicas=2)
    gated = canary_steps((10, 100), 1.0, frozenset({10}))
    load = under_load(docker_host)
    paused = deploy(docker_host, service_images.v2, Strategy.CANARY, "2.0.0", steps=gated)
    assert paused.result is DeployResult.PAUSED
    assert paused.final_weight == 10
    assert docker_host.target().observe(docker_host.app).traffic.candidate_weight == 10
    # The approval job is another job: another holder, the same plan.
    approved = deploy(
        docker_host, service_images.v2, Strategy.CANARY, "2.0.0",
        steps=gated, holder="approve-job", approve_gates=True,
    )  # fmt: skip
    report = load.stop()
    assert approved.result is DeployResult.SUCCEEDED, approved.reason
    assert approved.resumed_from == paused.steps[-1].index
    assert approved.revision == paused.revision
    assert report.failures == 0, report
    assert versions_served(docker_host) == {"2.0.0"}
