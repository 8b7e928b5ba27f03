"""DORA from the records real `paved deploy-strategy` runs write on the Docker host, read by
`paved ci-metrics --deploy-source=records` with no API: two deploys and one rolled back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]


def _paved(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "paved.cli", *args],
        capture_output=True, text=True, timeout=300, check=False, cwd=ROOT, env=env,
    )  # fmt: skip


def test_ci_metrics_reads_the_deploys_deploy_strategy_recorded(
    docker_host, service_images, tmp_path
):
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    committed = subprocess.run(
        ["git", "-C", str(ROOT), "show", "-s", "--format=%ct", head],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    env = {**os.environ, "GITHUB_SHA": head}
    record = tmp_path / "deploys.jsonl"
    common = [
        "deploy-strategy", f"--app={docker_host.app}", *docker_host.cli_flags(),
        "--ready-timeout=30", f"--record={record}", "--smoke=/health\n/api/data",
    ]  # fmt: skip
    rollouts = [
        (service_images.v1, ["--strategy=direct"], 0),
        (service_images.v2, ["--strategy=blue-green", "--bake-seconds=1"], 0),
        # `failing` answers 500 on /api/data: its smoke check fails and 2.0.0 keeps serving.
        (service_images.failing, ["--strategy=canary", "--step-seconds=1"], 1),
    ]
    for image, flags, code in rollouts:
        done = _paved(*common, f"--image={image}", *flags, env=env)
        assert done.returncode == code, done.stdout + done.stderr
    lines = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    assert [line["status"] for line in lines] == ["succeeded", "succeeded", "rolled-back"]
    # The deploy knew the commit (git in its working directory): lead time needs no checkout.
    assert datetime.fromisoformat(lines[0]["committed_at"]).timestamp() == int(committed)

    outcome = tmp_path / "metrics.json"
    done = _paved(
        "ci-metrics", "--repository=example/shop", "--no-sync",
        f"--store={tmp_path / 'metrics.sqlite'}", "--deploy-source=records",
        f"--deploy-records={record}", f"--json={outcome}",
        env={k: v for k, v in env.items() if k != "GITHUB_TOKEN"},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    dora = json.loads(outcome.read_text(encoding="utf-8"))["dora"]
    assert dora["source"] == "records"
    assert (dora["deployment_attempts"], dora["deployments"], dora["failed_deployments"]) == (
        3, 2, 1,
    )  # fmt: skip
    assert dora["change_failure_rate_percent"] == pytest.approx(33.33, abs=0.01)
    # Both deploys ship HEAD; lead time is from its commit time (git) to the first deploy.
    first_end = lines[0]["finished_at"]
    assert dora["lead_time_seconds"]["count"] == 1
    expected = datetime.fromisoformat(first_end).timestamp() - int(committed)
    assert dora["lead_time_seconds"]["p50"] == pytest.approx(expected, abs=0.1)
    # The rollback restored 2.0.0 within its own span.
    assert dora["recovery_time_seconds"]["p50"] == pytest.approx(lines[2]["seconds"], abs=0.1)
    assert dora["failing_now"] is False
    assert "DORA (records" in done.stdout


def test_a_gated_canary_rolled_back_by_the_pipelines_rollback_job_is_a_failed_change(
    docker_host, service_images, tmp_path
):
    env = dict(os.environ)
    record = tmp_path / "deploys.jsonl"
    common = [
        "deploy-strategy", f"--app={docker_host.app}", *docker_host.cli_flags(),
        "--ready-timeout=30", f"--record={record}", "--holder=pipeline",
    ]  # fmt: skip
    gated = ["--strategy=canary", "--canary-steps=20,100", "--gate-after=20", "--step-seconds=1"]
    for image, flags in (
        (service_images.v1, ["--strategy=direct"]),
        (service_images.v2, gated),  # paused at the gate; the guard (not run here) fails it
        (service_images.v1, ["--strategy=direct"]),  # the rollback job: the image it replaced
    ):
        done = _paved(*common, f"--image={image}", *flags, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
    lines = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    assert [line["status"] for line in lines] == ["succeeded", "paused", "unchanged"], lines

    outcome = tmp_path / "metrics.json"
    done = _paved(
        "ci-metrics", "--repository=example/shop", "--no-sync",
        f"--store={tmp_path / 'metrics.sqlite'}", "--deploy-source=records",
        f"--deploy-records={record}", f"--json={outcome}", env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    dora = json.loads(outcome.read_text(encoding="utf-8"))["dora"]
    assert (dora["deployments"], dora["failed_deployments"]) == (1, 1), lines
    assert dora["failing_now"] is False
