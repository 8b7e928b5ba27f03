"""`PAVED_DEMO_TARGET=kubernetes make demo` as a user runs it: the pipeline under act, then v1
live in both namespaces, v2 through staging blue-green and a guarded replica-ratio canary to
100 %, v3 (20 % errors) failed by rollback-guard on the pods' own metrics and rolled back, the
DORA summary and the timeline; and an unknown PAVED_DEMO_TARGET is refused."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def demo(target: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py")],
        capture_output=True, text=True, timeout=timeout, check=False, cwd=ROOT,
        env={**os.environ, "PAVED_DEMO_TARGET": target},
    )  # fmt: skip


def test_the_kubernetes_demo_promotes_v2_and_rolls_v3_back():
    done = demo("kubernetes")
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-6000:]
    assert "v2 promoted (succeeded)" in log
    assert "v3 rolled back" in log
    assert "production serves 2.0.0" in log
    assert re.search(r"v2: staging, blue-green \(Service selector\): succeeded", log)
    assert re.search(r"v2: production canary to 20 % \(replica ratio\): paused at 2\d %", log)
    assert re.search(r"v2: rollback-guard on the canary \(Prometheus\): pass", log)
    assert re.search(r"v3: rollback-guard on the canary \(Prometheus\): fail", log)
    assert re.search(r"DORA \(records.*?\): \d+ deployments", log), log[-4000:]
    assert "paved demo timeline" in log
    # Smoke checks went through the API server's service proxy (no cluster DNS out here).
    assert "/api/v1/namespaces/production/services/python-service-canary:80/proxy" in log


def test_an_unknown_demo_target_is_exit_2_with_the_valid_ones():
    done = demo("nomad", timeout=60)
    assert done.returncode == 2
    assert "PAVED_DEMO_TARGET='nomad' is not a target (valid: docker, kubernetes" in done.stderr
