"""`make demo` as a user runs it, so it cannot rot: the pipeline under act, then v1 live, v2
promoted through staging and a guarded canary, v3 (20 % errors) failed by rollback-guard and
rolled back, the DORA summary of its deploy records and the timeline."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def test_the_demo_promotes_v2_rolls_v3_back_and_reports_dora_and_a_timeline():
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py")],
        capture_output=True, text=True, timeout=1500, check=False, cwd=ROOT,
    )  # fmt: skip
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-6000:]
    assert "v2 promoted (succeeded)" in log
    assert "v3 rolled back" in log
    assert "production serves 2.0.0" in log
    assert re.search(r"DORA \(records.*?\): 2 deployments", log), log[-4000:]
    assert "paved demo timeline" in log
    assert re.search(r"v3: rollback-guard on the canary \(Prometheus\): fail", log)
    assert re.search(r"v2: rollback-guard on the canary \(Prometheus\): pass", log)
