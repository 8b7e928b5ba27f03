"""`paved ci-metrics` against the real recorded exchanges of PyGithub/PyGithub.

The window 2023-01-04..2023-02-18 holds four recorded runs of CI (ci.yml):
  3881497935 success  08:24:19 -> 08:28:20 = 241 s  (5 jobs recorded)
  3910280793 failure  10:02:50 -> 10:04:23 =  93 s
  3911660493 in_progress
  4205440316 success  16:03:37 -> 16:06:11 = 154 s  (5 jobs recorded)
and the window before holds 3770390952 (success). Expected numbers are worked out below.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.integration

REPO = "PyGithub/PyGithub"
WINDOW = ("--now=2023-02-18T00:00:00Z", "--days=45")


def test_json_summary_and_prometheus_match_the_hand_computed_figures(ci_metrics):
    run = ci_metrics(REPO, *WINDOW)

    assert run.exit_code == 0, run.stderr
    out = run.outcome
    assert out["schema"] == "paved/ci-metrics/v1"
    assert (out["repository"], out["collected_at"]) == (REPO, "2023-02-18T00:00:00Z")
    assert out["default_branch"] == "master"
    ci = out["workflows"]["ci.yml"]["current_metrics"]
    # 4 runs, 3 completed and decided, 2 successful: 66.67 %.
    assert (ci["total_runs"], ci["successful_runs"], ci["failed_runs"]) == (4, 2, 1)
    assert ci["success_rate_percent"] == 66.67
    # Durations 93, 154, 241: nearest-rank p50 = 154, p90 = p95 = max = 241, mean 162.67 s.
    assert ci["duration_seconds"]["p50"] == 154
    assert ci["duration_seconds"]["p95"] == 241
    assert ci["avg_duration_minutes"] == round(488 / 3 / 60, 2)
    assert ci["max_duration_minutes"] == round(241 / 60, 2)
    # Queue times of the ten recorded jobs: 7 9 9 6 9 and 8 9 8 6 5 -> sorted
    # 5 6 6 7 8 8 9 9 9 9: p50 = 5th = 8, p90 = 9th = 9, max 9.
    queue = out["pipeline"]["queue_seconds"]
    assert (queue["count"], queue["p50"], queue["p90"], queue["max"]) == (10, 8, 9, 9)
    assert out["queue_p50_seconds"] == 8
    trend = out["workflows"]["ci.yml"]["trend"]
    assert trend["previous_window"]["total_runs"] == 1
    assert [d["date"] for d in trend["daily"]] == ["2023-01-10", "2023-01-13", "2023-02-17"]
    assert out["sync_complete"] is True
    # The summary carries tables and Mermaid charts; Prometheus uses OTel cicd names (the
    # successful runs took 241 and 154 s: nearest-rank p50 of two is the first, 154).
    assert "| ci.yml | 4 | 66.67% |" in run.summary
    assert "```mermaid" in run.summary
    ci = {"vcs_repository_name": REPO, "cicd_pipeline_name": "ci.yml"}
    success = {**ci, "cicd_pipeline_result": "success"}
    assert (
        sample(run.prometheus, "cicd_pipeline_run_duration_seconds", quantile="0.5", **success)
        == 154
    )
    assert sample(run.prometheus, "cicd_pipeline_run_duration_seconds_count", **success) == 2
    assert sample(run.prometheus, "paved_cicd_pipeline_run_errors", **ci) == 1
    assert "# TYPE paved_cicd_pipeline_run_errors gauge" in run.prometheus
    assert promtool_problems(run.prometheus) == ""


def sample(text: str, name: str, **labels: str) -> float | None:
    """One sample's value, read back with Prometheus' own text parser."""
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return found.value
    return None


def promtool_problems(text: str) -> str:
    """What `promtool check metrics` (Debian's prometheus package) says of an exposition."""
    promtool = shutil.which("promtool")
    assert promtool, "promtool is missing: install the Debian package prometheus (make setup)"
    checked = subprocess.run(
        [promtool, "check", "metrics"], input=text, capture_output=True, text=True, check=False
    )
    return (checked.stdout + checked.stderr).strip()


def test_a_resync_of_an_unchanged_repository_costs_only_304s(ci_metrics, replay):
    first = ci_metrics(REPO, *WINDOW)
    replay.reset_stats()

    again = ci_metrics(REPO, *WINDOW)

    assert first.outcome["requests_used"] > 0
    assert again.exit_code == 0, again.stderr
    assert dict(replay.stats) == {"304": 2}  # the repository and the re-scan window
    assert (again.outcome["requests_used"], again.outcome["not_modified"]) == (0, 2)
    assert again.outcome["workflows"] == first.outcome["workflows"]


def test_the_recorded_repository_etag_answers_304(ci_metrics, replay):
    ci_metrics(REPO, *WINDOW)
    # The repository document is served verbatim from the recording, with its real ETag.
    recorded = next(e for e in replay.exchanges if e.path == "/repos/PyGithub/PyGithub")
    assert recorded.etag
    assert replay.paths["/repos/PyGithub/PyGithub"] == 1
