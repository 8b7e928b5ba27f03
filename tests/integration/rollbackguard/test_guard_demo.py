"""`paved rollback-guard --demo` (examples/guard_demo.py) runs end to end on its own sandbox
and shows the chapter's story: checks printed, a healthy canary passed, a degrading one
rolled back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]


def test_the_demo_passes_a_healthy_canary_and_rolls_back_a_degrading_one():
    done = subprocess.run(
        [sys.executable, "-m", "paved.cli", "rollback-guard", "--demo"],
        capture_output=True, text=True, timeout=900, check=False, cwd=ROOT,
    )  # fmt: skip
    out = done.stdout + done.stderr  # the demo's lines come through paved's log
    assert done.returncode == 0, out
    assert "Check #1: " in out
    assert "- Healthy" in out
    assert "Verdict: pass" in out
    assert "CRITICAL - Triggering rollback" in out
    assert "Rollback complete: all traffic back on stable" in out
    assert ", 0 after the rollback; candidate removed, 3/3 stable instances ready" in out
    assert "rollback-guard demo: the bad canary was rolled back" in out
