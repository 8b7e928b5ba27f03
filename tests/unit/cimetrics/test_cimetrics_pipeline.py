"""Pipeline metric definitions on histories small enough to check by hand."""

from __future__ import annotations

from cimetrics_history import job, run
from paved.cimetrics.pipeline import flaky_jobs, job_stats, run_stats, time_to_green
from paved.cimetrics.stats import distribution, percentile


def test_success_rate_leaves_cancelled_and_skipped_out_and_shows_them_apart():
    runs = [
        run(1, 0, 100),
        run(2, 10, 200),
        run(3, 20, 300, "failure"),
        run(4, 30, 50, "cancelled"),
        run(5, 40, 0, "skipped"),
        run(6, 50, 0, None, status="in_progress"),
    ]
    stats = run_stats(runs)
    # 6 runs, 5 completed; decided = completed - cancelled - skipped = 3; 2 of them succeeded.
    assert (stats.total, stats.completed, stats.decided, stats.success) == (6, 5, 3, 2)
    assert round(stats.success_rate, 2) == 66.67
    assert stats.cancelled_rate == 20.0  # 1 of 5 completed
    assert stats.skipped_rate == 20.0
    assert stats.by_conclusion == {"cancelled": 1, "failure": 1, "skipped": 1, "success": 2}
    # Durations of decided runs only: 100, 200, 300.
    assert (stats.duration.p50, stats.duration.max, stats.duration.mean) == (200, 300, 200)


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 11)]  # 1..10
    # rank = ceil(p/100 * 10): p50 -> 5th, p90 -> 9th, p95 -> ceil(9.5) = 10th.
    assert (percentile(values, 50), percentile(values, 90), percentile(values, 95)) == (5, 9, 10)
    assert distribution([]).p50 is None


def test_rerun_rate_counts_runs_with_more_than_one_attempt():
    stats = run_stats([run(1, 0, 60, attempt=2), run(2, 5, 60), run(3, 9, 60), run(4, 12, 60)])
    assert (stats.reruns, stats.rerun_rate) == (1, 25.0)


def test_queue_time_is_started_minus_created_for_every_attempt():
    jobs = [
        job(1, 10, "test", 0, queued=4, seconds=60),
        job(2, 10, "test", 5, queued=10, seconds=80, conclusion="failure"),
        job(3, 10, "test", 9, queued=30, seconds=70, attempt=2),
        job(4, 10, "lint", 0, queued=2, seconds=20),
    ]
    [test, lint] = job_stats(jobs, {10: "ci.yml"})
    assert (test.name, test.executions) == ("test", 3)
    assert round(test.success_rate, 2) == 66.67
    # queue 4, 10, 30 -> p50 = 10, max 30; durations 60, 80, 70 -> p50 70.
    assert (test.queue.p50, test.queue.max, test.duration.p50) == (10, 30, 70)
    assert (lint.queue.p50, lint.executions) == (2, 1)


def test_a_job_that_failed_then_passed_on_the_same_commit_is_flaky():
    runs = {
        1: run(1, 0, 60, "failure", sha="aaa"),
        2: run(2, 10, 60, sha="aaa"),  # a new run of the same commit
        3: run(3, 20, 60, sha="bbb", attempt=2),  # failed, then re-run
        4: run(4, 30, 60, "failure", sha="ccc"),
    }
    jobs = [
        job(1, 1, "test", 0, 1, 30, "failure"),
        job(2, 2, "test", 10, 1, 30),
        job(3, 3, "e2e", 20, 1, 30, "failure"),
        job(4, 3, "e2e", 25, 1, 30, attempt=2),
        job(5, 4, "test", 30, 1, 30, "failure"),  # failed, never passed: not flaky
        job(6, 3, "test", 20, 1, 30),  # passed first time: not flaky
    ]
    flaky = flaky_jobs(jobs, runs)
    assert [(f.name, f.commits) for f in flaky] == [("e2e", ("bbb",)), ("test", ("aaa",))]


def test_time_to_green_runs_from_the_first_failure_to_the_next_success():
    runs = [
        run(1, 0, 60),
        run(2, 10, 60, "failure"),  # red from 10 min + 60 s = 11 min
        run(3, 20, 60, "failure"),  # still red
        run(4, 30, 120),  # green at 32 min: 21 min red
        run(5, 40, 60, "cancelled"),  # neither
        run(6, 50, 60, "failure", branch="feature"),  # another branch
        run(7, 60, 60, "failure", workflow="nightly.yml"),  # red now
    ]
    ttg = time_to_green(runs, "main")
    assert (ttg.red_periods, ttg.duration.p50) == (1, 21 * 60)
    assert ttg.red_now == ("nightly.yml",)
