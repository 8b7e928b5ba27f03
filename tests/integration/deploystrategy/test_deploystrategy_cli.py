"""`paved deploy-strategy` as a process: dry run, exit codes, the lease, a killed job re-run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from components.docker_host_app import killed_at_weight
from components.errors import ComponentError
from paved.adapters.deploy.interface import RolloutStatus
from paved.adapters.http.interface import LoadProfile
from paved.adapters.http.stdlib import ThreadedLoadGenerator

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]


def argv(host, image, *flags, outcome=None, record=None):
    return [
        sys.executable, "-m", "paved.cli", "deploy-strategy",
        f"--app={host.app}", f"--image={image}", *host.cli_flags(),
        "--ready-timeout=30", *flags,
        *([f"--json={outcome}"] if outcome else []),
        *([f"--record={record}"] if record else []),
    ]  # fmt: skip


def paved(*args, timeout=300):
    return subprocess.run(
        list(args), capture_output=True, text=True, timeout=timeout, check=False, cwd=ROOT
    )


def test_a_dry_run_prints_the_plan_and_starts_nothing(docker_host, service_images, engine):
    done = paved(*argv(docker_host, service_images.v1, "--dry-run"))
    assert done.returncode == 0, done.stderr
    assert "(direct), dry run:" in done.stdout
    assert "   1. run " in done.stdout
    listed = engine.docker(
        "ps", "--all", "--quiet", f"--filter=label=paved.dev/app={docker_host.app}"
    )
    assert listed.stdout.split() == []


def test_an_unreachable_engine_or_router_is_exit_3_saying_what_to_start(
    docker_host, service_images, tmp_path
):
    done = paved(*argv(docker_host, service_images.v1), "--docker-host=unix:///tmp/pvd-none.sock")
    assert done.returncode == 3
    assert "the Docker engine at unix:///tmp/pvd-none.sock is not reachable" in done.stderr
    assert "start the engine" in done.stderr
    done = paved(*argv(docker_host, service_images.v1), f"--haproxy-socket={tmp_path / 'no.sock'}")
    assert done.returncode == 3
    assert "HAProxy's runtime API at" in done.stderr
    assert "stats socket <path> level admin" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_killed_rollout_blocks_others_and_its_rerun_converges_without_a_failed_request(
    docker_host, service_images, tmp_path
):
    record = tmp_path / "deploys.jsonl"
    first = paved(*argv(docker_host, service_images.v1, "--replicas=2", record=record))
    assert first.returncode == 0, first.stderr
    load = ThreadedLoadGenerator().start(
        LoadProfile(f"{docker_host.url}/api/data", 80, 50_000, 240, concurrency=8)
    )
    canary = ["--strategy=canary", "--step-seconds=5", "--holder=job-1", "--lease-ttl=600"]
    try:
        stopped = killed_at_weight(
            docker_host, argv(docker_host, service_images.v2, *canary), tmp_path / "job-1.log",
            cwd=ROOT,
        )  # fmt: skip
    except ComponentError as exc:
        pytest.fail(str(exc))
    assert stopped.status is RolloutStatus.IN_PROGRESS

    other = paved(*argv(docker_host, service_images.v1, "--holder=job-2"))
    assert other.returncode == 1
    assert f"another deploy of {docker_host.app} is in flight (lease held by job-1" in other.stderr

    outcome_file = tmp_path / "outcome.json"
    rerun = paved(
        *argv(docker_host, service_images.v2, *canary, outcome=outcome_file, record=record)
    )
    report = load.stop()
    outcome = json.loads(outcome_file.read_text(encoding="utf-8"))
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert outcome["status"] == "succeeded"
    # The same job re-run (same holder, same plan) continues at the step it was killed in.
    assert outcome["resumed_from_step"] == stopped.step_index + 1
    assert outcome["deployment_id"] == f"{docker_host.app}-2"
    assert outcome["previous_image"] == service_images.v1
    assert outcome["final_weight"] == 100
    assert outcome["left"]["stable"]["image"] == service_images.v2
    assert outcome["left"]["candidate"] is None
    assert report.failures == 0, report
    lines = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    assert [(r["revision"], r["status"]) for r in lines] == [(1, "succeeded"), (2, "succeeded")]
