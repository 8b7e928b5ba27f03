"""ci-metrics end to end: a consumer workflow runs the action under act against the replay
server."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from components.github_history import HistoryBuilder, JobSpec, RunSpec  # noqa: E402
from components.github_replay import ReplayServer  # noqa: E402

pytestmark = pytest.mark.e2e

CALLER = """\
name: metrics
on: push
permissions: {}
jobs:
  metrics:
    runs-on: ubuntu-latest
    permissions:
      actions: read
    steps:
      - id: metrics
        uses: pavedhq/paved/actions/ci-metrics@v1
        with:
          token: dummy-token-for-the-replay-server
          repository: acme/service
          api-url: ${{ vars.API_URL }}
          store: ${{ vars.OUT }}/metrics.sqlite
          days: "7"
          prometheus-file: ${{ vars.OUT }}/metrics.prom
      - env:
          TOTAL: ${{ steps.metrics.outputs.total-runs }}
          RATE: ${{ steps.metrics.outputs.success-rate-percent }}
          P50: ${{ steps.metrics.outputs.duration-p50-seconds }}
          QUEUE: ${{ steps.metrics.outputs.queue-p50-seconds }}
          COMPLETE: ${{ steps.metrics.outputs.sync-complete }}
          REQUESTS: ${{ steps.metrics.outputs.requests-used }}
          OUTCOME: ${{ steps.metrics.outputs.outcome-path }}
          OUT: ${{ vars.OUT }}
        run: |
          {
            echo "total=$TOTAL"; echo "rate=$RATE"; echo "p50=$P50"; echo "queue=$QUEUE"
            echo "complete=$COMPLETE"; echo "requests=$REQUESTS"; echo "outcome=$OUTCOME"
          } > "$OUT/outputs.txt"
"""


def test_the_action_reports_metrics_from_the_api_url_it_is_given(consumer, run_act, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    start = datetime.now(UTC) - timedelta(days=2)
    # Four runs: 60, 120, 180 s successes and a 240 s failure; jobs queued 4, 6, 8, 10 s.
    specs = [
        RunSpec(n + 1, start + timedelta(hours=n), 60.0 * (n + 1),
                "failure" if n == 3 else "success", jobs=(JobSpec("test", 30, queued=4 + 2 * n),))
        for n in range(4)
    ]  # fmt: skip
    with ReplayServer() as server:
        server.add(HistoryBuilder(server.exchanges).repository("acme/service", specs))
        consumer.write(".github/workflows/metrics.yml", CALLER)
        run = run_act(consumer, variables={"API_URL": server.url, "OUT": str(out)})

    assert run.returncode == 0, run.log[-4000:]
    outputs = dict(line.split("=", 1) for line in (out / "outputs.txt").read_text().splitlines())
    # 3 of 4 succeeded; durations 60..240: nearest-rank p50 of four is the 2nd, 120 s;
    # queue times 4, 6, 8, 10: p50 is 6 s.
    assert outputs["total"] == "4"
    assert outputs["rate"] == "75.0"
    assert outputs["p50"] == "120.0"
    assert outputs["queue"] == "6.0"
    assert outputs["complete"] == "true"
    assert int(outputs["requests"]) >= 1 + 1 + 4  # repository, runs page(s), four job lists
    assert outputs["outcome"].endswith(".json")  # under RUNNER_TEMP, which act removes
    assert "cicd_pipeline_run_duration_seconds" in (out / "metrics.prom").read_text()
    # The token was masked, and never appears on a command line.
    assert "dummy-token-for-the-replay-server" not in run.log
