"""`paved ci-metrics` against generated pages: the 1,000-result cap, 304s, secondary rate
limits, a re-run after the first sync, an interrupted sync, and deployments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from components.github_history import JobSpec, RunSpec

pytestmark = pytest.mark.integration

NOW = datetime(2024, 5, 10, 12, tzinfo=UTC)
NOW_FLAG = "--now=2024-05-10T12:00:00Z"


def _runs(count: int, first: datetime, every: timedelta, **extra) -> list[RunSpec]:
    return [RunSpec(1000 + n, first + n * every, 120, **extra) for n in range(count)]


def test_a_window_at_the_1000_result_cap_is_split_and_nothing_is_lost(ci_metrics, replay, history):
    # 2,500 runs in two days of history: the first window holds more than the cap.
    runs = _runs(2500, NOW - timedelta(days=6), timedelta(seconds=69))
    replay.add(history.repository("acme/busy", runs))

    run = ci_metrics("acme/busy", NOW_FLAG, "--days=7", "--no-jobs")

    assert run.exit_code == 0, run.stderr
    assert run.outcome["total_runs"] == 2500
    assert run.outcome["sync"]["windows_split"] >= 2
    assert run.outcome["success_rate_percent"] == 100


def test_secondary_rate_limits_are_retried_after_retry_after(ci_metrics, replay, history):
    replay.add(
        history.repository("acme/small", _runs(3, NOW - timedelta(days=1), timedelta(hours=1)))
    )
    replay.throttle(1, status=403, retry_after="1")
    replay.throttle(1, status=429, retry_after="0")

    run = ci_metrics("acme/small", NOW_FLAG, "--no-jobs")

    assert run.exit_code == 0, run.stderr
    assert run.outcome["sync"]["retries"] == 2
    assert run.outcome["sync"]["waited_seconds"] == 1.0
    assert run.outcome["total_runs"] == 3
    assert (replay.stats["throttled-403"], replay.stats["throttled-429"]) == (1, 1)


def test_a_run_re_run_after_the_first_sync_is_picked_up(ci_metrics, replay, history):
    start = NOW - timedelta(hours=10)
    specs = [
        RunSpec(1, start, 100, sha="s1", jobs=(JobSpec("test", 60),)),
        RunSpec(2, start + timedelta(hours=1), 100, sha="s2", jobs=(JobSpec("test", 60),)),
        RunSpec(3, start + timedelta(hours=2), 100, "failure", sha="s3",
                jobs=(JobSpec("test", 60, "failure"),)),
        RunSpec(4, start + timedelta(hours=3), 100, sha="s4", jobs=(JobSpec("test", 60),)),
    ]  # fmt: skip
    repo = replay.add(history.repository("acme/rerun", specs))
    before = ci_metrics("acme/rerun", NOW_FLAG)
    history.rerun(repo, 3, conclusion="success", after=timedelta(minutes=30),
                  jobs=(JobSpec("test", 50),))  # fmt: skip
    replay.reset_stats()

    after = ci_metrics("acme/rerun", NOW_FLAG)

    # Before: 3 of 4 succeeded. After the re-run all 4 have, one of them on a second attempt,
    # and "test" failed then passed on s3: one flaky job.
    assert before.outcome["success_rate_percent"] == 75
    assert (before.outcome["rerun_rate_percent"], before.outcome["flaky_jobs"]) == (0, 0)
    assert after.outcome["success_rate_percent"] == 100
    assert (after.outcome["rerun_rate_percent"], after.outcome["flaky_jobs"]) == (25, 1)
    assert after.outcome["pipeline"]["flaky_jobs"] == [
        {"workflow": "ci.yml", "job": "test", "commits": ["s3"]}
    ]
    assert after.outcome["sync"]["runs_jobs_fetched"] == 1  # only the re-run run's jobs


def test_an_interrupted_sync_resumes_without_loss_or_duplicates(
    ci_metrics, replay, history, tmp_path
):
    specs = [
        RunSpec(5000 + n, NOW - timedelta(days=5) + timedelta(minutes=17 * n), 60 + n,
                "failure" if n % 5 == 0 else "success", jobs=(JobSpec("build", 30, queued=n % 7),))
        for n in range(250)
    ]  # fmt: skip
    replay.add(history.repository("acme/flaky-network", specs))
    reference = ci_metrics("acme/flaky-network", NOW_FLAG, store=tmp_path / "reference.sqlite")
    replay.reset_stats()

    replay.fail_after(40)  # the repository, three runs pages, then jobs until it breaks
    broken = ci_metrics("acme/flaky-network", NOW_FLAG)
    replay.fail_after(None)
    replay.reset_stats()
    resumed = ci_metrics("acme/flaky-network", NOW_FLAG)

    assert broken.exit_code == 3
    assert "502" in broken.stderr
    assert resumed.exit_code == 0, resumed.stderr
    # Nothing lost, nothing counted twice: the same figures as a sync that never broke.
    assert resumed.outcome["total_runs"] == reference.outcome["total_runs"] == 250
    assert resumed.outcome["pipeline"] == reference.outcome["pipeline"]
    assert resumed.outcome["pipeline"]["jobs"][0]["executions"] == 250
    # History windows completed before the break are not listed again, pages saved before it
    # answer 304, and only jobs not yet saved are fetched.
    assert replay.stats["304"] >= 1
    assert resumed.outcome["requests_used"] < reference.outcome["requests_used"]


def test_a_budget_stops_the_sync_cleanly_and_the_next_run_finishes(ci_metrics, replay, history):
    specs = [RunSpec(7000 + n, NOW - timedelta(days=2, minutes=-n), 60, jobs=(JobSpec("b", 9),))
             for n in range(30)]  # fmt: skip
    replay.add(history.repository("acme/budget", specs))

    first = ci_metrics("acme/budget", NOW_FLAG, "--max-requests=10")
    second = ci_metrics("acme/budget", NOW_FLAG, "--max-requests=100")

    assert first.exit_code == 0, first.stderr
    assert (first.outcome["sync_complete"], first.outcome["requests_used"]) == (False, 10)
    assert "request budget of 10" in first.outcome["sync"]["stopped_because"]
    assert second.outcome["sync_complete"] is True
    assert second.outcome["pipeline"]["jobs"][0]["executions"] == 30


def test_dora_from_a_deploy_workflow(ci_metrics, replay, history):
    day = NOW - timedelta(days=3)
    specs = [
        RunSpec(1, day, 60, sha="a"),
        RunSpec(2, day + timedelta(hours=1), 60, sha="b"),
        RunSpec(3, day + timedelta(hours=2), 600, workflow="deploy.yml", sha="b"),
        RunSpec(4, day + timedelta(hours=4), 600, "failure", workflow="deploy.yml", sha="b"),
        RunSpec(5, day + timedelta(hours=6), 600, workflow="deploy.yml", sha="b"),
    ]
    replay.add(history.repository("acme/deploys", specs))

    run = ci_metrics("acme/deploys", NOW_FLAG, "--days=7", "--deploy-workflow=deploy.yml",
                     "--no-jobs")  # fmt: skip

    out = run.outcome
    assert run.exit_code == 0, run.stderr
    # Two successful deploys in 7 days; one of three attempts failed.
    assert (out["deployments"], out["deployments_per_day"]) == (2, round(2 / 7, 3))
    assert out["change_failure_rate_percent"] == 33.33
    # a (first seen at 0:00) and b (1:00) ship with the deploy that ends 2:10: 2h10 and 1h10;
    # nearest-rank p50 of [1h10, 2h10] is 1h10 = 1.17 h.
    assert out["lead_time_p50_hours"] == round(70 / 60, 2)
    # Failed at 4:10, recovered at 6:10: two hours.
    assert out["recovery_time_p50_hours"] == 2
    assert out["dora"]["tiers"]["recovery_time_hours"] == "high"
    assert 'paved_dora_deployments{vcs_repository_name="acme/deploys"} 2.0' in run.prometheus
    assert "# TYPE paved_dora_deployments gauge" in run.prometheus
    assert "### DORA (workflow; levels of the 2024 DORA report)" in run.summary
