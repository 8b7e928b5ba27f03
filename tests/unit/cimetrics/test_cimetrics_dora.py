"""DORA definitions on small histories, and the benchmark tables as data."""

from __future__ import annotations

from datetime import timedelta

from cimetrics_history import T0, at, job, run
from paved.adapters.github.interface import DeploymentRecord, DeploymentStatusRecord
from paved.cimetrics.dora import dora_metrics, environment_events, workflow_events
from paved.cimetrics.dora_benchmarks import Metric, judge

HOUR = 3600


def _history():
    # Commits a (0 min), b (60), c (120) land on main; deploy.yml ships b at 180 min (a and b
    # go out together), fails on c at 300, ships c at 360.
    return [
        run(1, 0, 60, sha="a"),
        run(2, 60, 60, sha="b"),
        run(3, 120, 60, sha="c"),
        run(10, 170, 10 * 60, workflow="deploy.yml", sha="b"),  # done at 180
        run(11, 290, 10 * 60, "failure", workflow="deploy.yml", sha="c"),  # done at 300
        run(12, 350, 10 * 60, workflow="deploy.yml", sha="c"),  # done at 360
        run(13, 400, 60, workflow="deploy.yml", sha="c", branch="feature"),  # not main
    ]


def test_workflow_deployments_lead_time_failure_rate_and_recovery():
    runs = _history()
    events = workflow_events(runs, [], workflows=["deploy.yml"], job_names=[], branch="main")
    end = T0 + timedelta(days=2)
    metrics = dora_metrics(
        events, runs, branch="main", start=T0, end=end, benchmark="2024", source="workflow"
    )
    # 3 attempts on main, 2 succeeded: 1 per day over 2 days; failure rate 1/3.
    assert (metrics.attempts, metrics.deployments, metrics.failed) == (3, 2, 1)
    assert metrics.per_day == 1.0
    assert round(metrics.change_failure_rate, 2) == 33.33
    # Lead times: a 180 min, b 120 min (first deployment); c 360 - 120 = 240 min.
    lead = metrics.lead_time
    assert (lead.count, lead.p50, lead.max) == (3, 180 * 60, 240 * 60)
    # Recovery: failed at 300, next success at 360: one hour.
    assert (metrics.recovery.count, metrics.recovery.p50) == (1, HOUR)
    assert metrics.tiers == {
        "deployment_frequency": "elite",  # 1 per day
        "lead_time_hours": "elite",  # 3 h
        "change_failure_rate_percent": "low",  # 33% (2024: elite 5, high 20, medium 10, low 40)
        "recovery_time_hours": "elite",  # 1 h (within "less than one hour" at its edge)
    }


def test_deploy_jobs_count_jobs_not_runs():
    runs = [run(1, 0, 60, sha="a"), run(2, 0, 600, workflow="release.yml", sha="a")]
    jobs = [job(1, 2, "deploy", 1, 1, 60), job(2, 2, "build", 1, 1, 30, "failure")]
    events = workflow_events(runs, jobs, workflows=[], job_names=["deploy"], branch="main")
    assert [(e.sha, e.ok) for e in events] == [("a", True)]


def test_environment_deployments_are_judged_by_their_first_final_status():
    deployments = [
        DeploymentRecord(1, "a", "main", "production", at(0)),
        DeploymentRecord(2, "b", "main", "production", at(60)),
        DeploymentRecord(3, "c", "main", "production", at(120)),
    ]
    statuses = [
        DeploymentStatusRecord(10, 1, "in_progress", at(1)),
        DeploymentStatusRecord(11, 1, "success", at(5)),
        DeploymentStatusRecord(12, 1, "inactive", at(65)),  # superseded later: still a success
        DeploymentStatusRecord(20, 2, "failure", at(62)),
        DeploymentStatusRecord(30, 3, "queued", at(121)),  # not finished: not counted
    ]
    events = environment_events(deployments, statuses)
    assert [(e.sha, e.ok, e.at) for e in events] == [("a", True, at(5)), ("b", False, at(62))]


def test_the_same_figure_can_land_in_different_levels_in_different_reports():
    # 12% change failure rate: 2023 levels are 5/10/15/64 -> medium; 2024 are 5/20/10/40 -> high.
    assert judge("2023", Metric.CHANGE_FAILURE_RATE, 12.0) == "medium"
    assert judge("2024", Metric.CHANGE_FAILURE_RATE, 12.0) == "high"
    # Once a week is high; once every two months is low in 2024 and below low in 2023.
    assert judge("2024", Metric.DEPLOYMENT_FREQUENCY, 1 / 7) == "high"
    assert judge("2024", Metric.DEPLOYMENT_FREQUENCY, 1 / 60) == "low"
    assert judge("2023", Metric.DEPLOYMENT_FREQUENCY, 1 / 60) == "below low"
    assert judge("2024", Metric.LEAD_TIME, None) is None


def test_paveds_deployment_is_the_record_and_githubs_per_job_one_of_the_commit_is_not_counted():
    deployments = [
        # The deploy job names the environment: GitHub makes its own deployment of the commit...
        DeploymentRecord(1, "a", "main", "production", at(0)),
        # ...and paved's deploy-strategy in that job makes the one that follows the rollout.
        DeploymentRecord(2, "a", "a", "production", at(1), tool="paved"),
        # Another commit deployed without paved still counts.
        DeploymentRecord(3, "b", "main", "production", at(60)),
    ]
    statuses = [
        DeploymentStatusRecord(10, 1, "success", at(30)),  # the job ended green
        DeploymentStatusRecord(20, 2, "failure", at(20)),  # the rollout was rolled back
        DeploymentStatusRecord(30, 3, "success", at(65)),
    ]
    events = environment_events(deployments, statuses)
    assert [(e.sha, e.ok, e.at) for e in events] == [("a", False, at(20)), ("b", True, at(65))]
