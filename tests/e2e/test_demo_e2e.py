"""`make demo` as a user runs it, so it cannot rot: three pushes through the team's composed
pipeline under act; v1 first deployed, v2 promoted through staging and a production canary
the guard passes, v3 (20 % errors) failed by the guard and rolled back by the pipeline's own
rollback job; the DORA summary of the deploy records; the timeline of every job."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from demo_outcome import checked_outcome

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def test_the_pipeline_promotes_v2_rolls_v3_back_and_reports_dora_and_a_timeline():
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py")],
        capture_output=True, text=True, timeout=1500, check=False, cwd=ROOT,
    )  # fmt: skip
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-6000:]
    timeline = checked_outcome(log)
    for job in ("Build and test", "Security scan", "Container image", "Deploy to staging",
                "Deploy to production", "DORA metrics"):  # fmt: skip
        assert len(re.findall(rf"  v\d {job}: succeeded", timeline)) == 3, (job, timeline)
