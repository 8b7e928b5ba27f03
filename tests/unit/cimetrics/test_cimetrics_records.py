"""DORA from paved's deploy records: what counts, lead time from commit times, restore time."""

from __future__ import annotations

from datetime import timedelta

from cimetrics_history import T0
from paved.adapters.deployrecords import DeployRecord
from paved.cimetrics.dora import dora_metrics
from paved.cimetrics.records import record_events

MINUTE = 60.0


def _record(
    status, start_min, seconds, sha="", committed_min=None, *, environment="production", **more
):
    start = T0.timestamp() + start_min * MINUTE
    return DeployRecord(
        **more,
        app="shop",
        environment=environment,
        status=status,
        started_at=start,
        finished_at=start + seconds,
        sha=sha,
        committed_at=None if committed_min is None else T0.timestamp() + committed_min * MINUTE,
    )


def _metrics(records):
    events, committed = record_events(records, "production")
    return dora_metrics(
        events,
        [],
        branch="main",
        start=T0,
        end=T0 + timedelta(days=1),
        benchmark="2024",
        source="records",
        committed=committed,
    )


def test_succeeded_is_a_deployment_a_rollback_a_failed_change_others_are_not_counted():
    metrics = _metrics([
        _record("succeeded", 10, 30, "a", 0),
        _record("unchanged", 20, 1, "a", 0),
        _record("paused", 30, 60, "b", 25),
        _record("rolled-back", 40, 90, "c", 35),
        _record("succeeded", 50, 30, "d", 45, environment="staging"),
    ])  # fmt: skip
    assert (metrics.attempts, metrics.deployments, metrics.failed) == (2, 1, 1)
    assert metrics.change_failure_rate == 50.0
    assert metrics.source == "records"


def test_lead_time_counts_from_the_commit_time_the_record_gives():
    # a committed at 0, shipped at 10 min + 30 s; b committed at 20, shipped at 60 min + 30 s.
    metrics = _metrics(
        [_record("succeeded", 10, 30, "a", 0), _record("succeeded", 60, 30, "b", 20)]
    )
    assert sorted([metrics.lead_time.min, metrics.lead_time.max]) == [630.0, 2430.0]


def test_a_record_without_a_commit_time_has_no_lead_time_but_still_counts():
    metrics = _metrics([_record("succeeded", 10, 30, "a"), _record("succeeded", 20, 30)])
    assert metrics.deployments == 2
    assert metrics.lead_time.count == 0


def test_a_rollback_restores_service_by_itself_so_its_span_is_the_time_to_restore():
    metrics = _metrics(
        [_record("succeeded", 10, 30, "a", 0), _record("rolled-back", 40, 95, "b", 35)]
    )
    assert metrics.recovery.p50 == 95.0
    assert metrics.failing_now is False


def test_a_failed_rollout_is_restored_by_the_next_successful_one():
    metrics = _metrics([
        _record("failed", 10, 30, "a", 0),
        _record("succeeded", 40, 60, "b", 35),
    ])  # fmt: skip
    # From the failed attempt's end (10:30) to the next deployment's end (41:00).
    assert metrics.recovery.p50 == 30.5 * MINUTE


def test_a_failed_rollout_that_is_the_last_attempt_is_failing_now():
    assert _metrics([_record("failed", 10, 30, "a", 0)]).failing_now is True


def test_a_paused_canary_rolled_back_by_a_deploy_of_what_it_replaced_is_a_failed_change():
    metrics = _metrics([
        _record("succeeded", 10, 30, "a", 0, image="v2", previous_image="v1"),
        _record("paused", 40, 20, "b", 35, image="v3", previous_image="v2"),
        _record("unchanged", 41, 10, "b", 35, image="v2", previous_image="v2"),
    ])  # fmt: skip
    assert (metrics.attempts, metrics.deployments, metrics.failed) == (2, 1, 1)
    # From the canary's start to when the rollback found v2 live (an unchanged record's start).
    assert metrics.recovery.p50 == 60.0


def test_a_paused_canary_that_was_approved_is_not_a_failure():
    metrics = _metrics([
        _record("paused", 40, 20, "b", 35, image="v3", previous_image="v2"),
        _record("succeeded", 41, 10, "b", 35, image="v3", previous_image="v2"),
        _record("unchanged", 42, 1, "b", 35, image="v2", previous_image="v3"),
    ])  # fmt: skip
    assert (metrics.attempts, metrics.deployments, metrics.failed) == (1, 1, 0)


def test_a_release_the_pipeline_rolled_back_after_it_shipped_is_a_failed_change():
    # v3 reached all traffic, the guard failed it, the rollback job deployed v2 again.
    metrics = _metrics([
        _record("succeeded", 10, 30, "a", 0, image="v2", previous_image="v1"),
        _record("succeeded", 40, 20, "b", 35, image="v3", previous_image="v2"),
        _record("succeeded", 41, 10, "b", 35, image="v2", previous_image="v3"),
    ])  # fmt: skip
    assert (metrics.attempts, metrics.deployments, metrics.failed) == (2, 1, 1)
    # From v3 live (its rollout's end, 40 min + 20 s) to v2 back (41 min + 10 s).
    assert metrics.recovery.p50 == 50.0


def test_only_the_very_next_deploy_of_the_replaced_image_rolls_a_release_back():
    # v3 is followed by v4, not by v2: shipped. v4 is followed by v3 again: rolled back.
    metrics = _metrics([
        _record("succeeded", 10, 30, "a", 0, image="v2", previous_image="v1"),
        _record("succeeded", 40, 20, "b", 35, image="v3", previous_image="v2"),
        _record("succeeded", 50, 20, "c", 45, image="v4", previous_image="v3"),
        _record("succeeded", 60, 20, "d", 55, image="v3", previous_image="v4"),
    ])  # fmt: skip
    assert (metrics.attempts, metrics.deployments, metrics.failed) == (3, 2, 1)
    assert metrics.recovery.p50 == 10 * MINUTE  # v4 live at 50:20, v3 back at 60:20
