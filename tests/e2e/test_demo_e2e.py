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

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def test_the_pipeline_promotes_v2_rolls_v3_back_and_reports_dora_and_a_timeline():
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py")],
        capture_output=True, text=True, timeout=1500, check=False, cwd=ROOT,
    )  # fmt: skip
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-6000:]
    outcome = log[log.rindex("paved demo: what the pipeline did") :]
    assert re.search(
        r"^v1 \(commit \w{7}\): staging succeeded; production succeeded", outcome, re.MULTILINE
    )
    assert re.search(
        r"^v2 \(commit \w{7}\): .*production succeeded; guard pass", outcome, re.MULTILINE
    )
    v3 = re.search(r"^v3 \(commit \w{7}\): (.*)$", outcome, re.MULTILINE)
    assert v3 is not None, outcome
    assert "guard fail" in v3[1]
    assert "rollback job succeeded" in v3[1]
    assert re.search(r"^production serves v2 \(commit \w{7}\)$", outcome, re.MULTILINE), outcome
    # v1 and v2 shipped; v3 shipped and was rolled back: a failed change, then restored.
    assert re.search(
        r"DORA \(records.*?\): 2 deployments .*change failure rate 33\.33%", outcome
    ), outcome
    timeline = outcome[outcome.index("paved demo timeline") :]
    for job in ("Build and test", "Security scan", "Container image", "Deploy to staging",
                "Deploy to production", "DORA metrics"):  # fmt: skip
        assert len(re.findall(rf"  v\d {job}: succeeded", timeline)) == 3, (job, timeline)
    assert re.search(r"  v2 Guard production: verdict pass", timeline), timeline
    assert re.search(r"  v3 Guard production: verdict fail", timeline), timeline
    assert re.search(r"  v3 Roll back production: succeeded, status succeeded", timeline)
    assert "Roll back production" not in timeline.split("push 3:")[0]
