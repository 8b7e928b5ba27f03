"""`PAVED_DEMO_TARGET=kubernetes make demo` as a user runs it: the same three pushes through
the team's composed pipeline (examples/consumer-kubernetes) under act, its deploy, guard and
rollback jobs against paved's Kubernetes harness: v1 first deployed to the namespaces staging
and production, v2 through staging blue-green and a replica-ratio canary the guard passes, v3
(20 % errors) failed by the guard on the pods' own metrics and rolled back by the pipeline's
rollback job; the DORA summary and the timeline; and an unknown PAVED_DEMO_TARGET is refused."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from demo_outcome import checked_outcome

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def demo(target: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py")],
        capture_output=True, text=True, timeout=timeout, check=False, cwd=ROOT,
        env={**os.environ, "PAVED_DEMO_TARGET": target},
    )  # fmt: skip


def test_the_kubernetes_pipeline_promotes_v2_and_its_rollback_job_rolls_v3_back():
    done = demo("kubernetes")
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-6000:]
    assert "consumer/.github/workflows/main.yaml under act (offline), three pushes" in log
    timeline = checked_outcome(log)
    for job in ("Deploy to staging", "Deploy to production", "DORA metrics"):
        assert len(re.findall(rf"  v\d {job}: succeeded", timeline)) == 3, (job, timeline)
    # The load reached production through the API server's service proxy (the runner is
    # outside the cluster: no cluster DNS; the deploy jobs' smoke checks go the same way).
    assert re.search(
        r"load through the API server's service proxy to production: \d+ requests \(\d+ x 200",
        log,
    )


def test_an_unknown_demo_target_is_exit_2_with_the_valid_ones():
    done = demo("nomad", timeout=60)
    assert done.returncode == 2
    assert "PAVED_DEMO_TARGET='nomad' is not a target (valid: docker, kubernetes" in done.stderr
