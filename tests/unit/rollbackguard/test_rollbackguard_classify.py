"""One reading: absolute and relative thresholds, minimum requests, NaN, missing stable."""

import math

import pytest
from paved.errors import UsageError
from paved.rollbackguard import catalog
from paved.rollbackguard.classify import Observation, classify, look_outcome
from paved.rollbackguard.metric import Comparison, MetricCheck, Threshold, Unit, promql_duration
from paved.rollbackguard.policy import AnalysisPolicy
from paved.rollbackguard.record import Outcome, Reading, Reason

POLICY = AnalysisPolicy(min_requests=50)


def test_error_rate_at_the_limit_passes_and_above_fails():
    check = catalog.error_rate()
    at = classify(check, Observation(0.05, 0.0, 100), POLICY)
    above = classify(check, Observation(0.0501, 0.0, 100), POLICY)
    assert (at.outcome, at.reason, at.bound) == (Outcome.PASS, Reason.WITHIN, 0.05)
    assert (above.outcome, above.reason) == (Outcome.FAIL, Reason.BREACHED)


def test_p95_is_judged_against_stable_over_the_same_window():
    check = catalog.p95_latency()
    slower = classify(check, Observation(0.130, 0.100, 500), POLICY)
    fine = classify(check, Observation(0.120, 0.100, 500), POLICY)
    assert slower.outcome is Outcome.FAIL
    assert slower.bound == pytest.approx(0.125)
    assert fine.outcome is Outcome.PASS


def test_a_relative_bound_has_a_floor_so_bucket_noise_is_not_a_regression():
    check = catalog.p95_latency()
    reading = classify(check, Observation(0.009, 0.004, 500), POLICY)
    assert reading.bound == catalog.P95_FLOOR_SECONDS
    assert reading.outcome is Outcome.PASS


def test_relative_threshold_without_stable_value_is_no_data_never_a_pass():
    reading = classify(catalog.p95_latency(), Observation(0.01, None, 500), POLICY)
    assert (reading.outcome, reading.reason) == (Outcome.NO_DATA, Reason.NO_STABLE)


@pytest.mark.parametrize("requests", [None, 0, 49, math.nan])
def test_too_few_requests_is_no_data_even_with_a_perfect_value(requests):
    reading = classify(catalog.error_rate(), Observation(0.0, 0.0, requests), POLICY)
    assert (reading.outcome, reading.reason) == (Outcome.NO_DATA, Reason.TOO_FEW_REQUESTS)


@pytest.mark.parametrize("value", [None, math.nan])
def test_no_series_or_nan_is_no_data(value):
    reading = classify(catalog.error_rate(), Observation(value, None, 500), POLICY)
    assert (reading.outcome, reading.reason) == (Outcome.NO_DATA, Reason.NO_SERIES)


def test_availability_is_a_lower_bound_and_memory_needs_no_request_count():
    assert classify(catalog.availability(), Observation(0.9989, None, 1e4), POLICY).outcome is (
        Outcome.FAIL
    )
    assert classify(catalog.availability(), Observation(0.999, None, 1e4), POLICY).outcome is (
        Outcome.PASS
    )
    big = classify(catalog.memory(), Observation(101 * 2**20), POLICY)
    assert big.outcome is Outcome.FAIL


def test_a_look_is_as_bad_as_its_worst_reading_and_empty_is_no_data():
    def reading(outcome):
        return Reading("m", outcome, Reason.WITHIN)

    assert look_outcome((reading(Outcome.PASS), reading(Outcome.NO_DATA))) is Outcome.NO_DATA
    assert look_outcome((reading(Outcome.ERROR), reading(Outcome.NO_DATA))) is Outcome.ERROR
    assert look_outcome((reading(Outcome.ERROR), reading(Outcome.FAIL))) is Outcome.FAIL
    assert look_outcome(()) is Outcome.NO_DATA


def test_templates_fill_selector_and_window():
    query = catalog.error_rate().render(catalog.error_rate().query, 'job="canary"', 10)
    assert 'http_requests_total{job="canary",status=~"5.."}[10s]' in query
    assert promql_duration(0.5) == "500ms"


@pytest.mark.parametrize("seconds", [0, -1, math.inf, math.nan])
def test_a_window_that_is_not_a_duration_is_a_usage_error(seconds):
    with pytest.raises(UsageError, match="window"):
        promql_duration(seconds)


def test_a_query_without_selector_is_refused():
    with pytest.raises(UsageError, match="selector"):
        MetricCheck("x", "up", Threshold(Comparison.AT_MOST, 1), Unit.COUNT)


def test_a_broken_template_is_one_usage_error():
    check = MetricCheck(
        "x", "up{{{selector}}}[{wind}]", Threshold(Comparison.AT_MOST, 1), Unit.COUNT
    )
    with pytest.raises(UsageError, match="not a valid template"):
        check.render(check.query, 'job="a"', 1)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"interval_seconds": 0},
        {"window_seconds": math.nan},
        {"failure_limit": -1},
        {"looks": 0},
        {"looks": 2, "required_passes": 3},
    ],
)
def test_policies_that_cannot_work_are_usage_errors(kwargs):
    with pytest.raises(UsageError):
        AnalysisPolicy(**kwargs)


def test_looks_fit_a_window():
    policy = AnalysisPolicy(interval_seconds=2.0)
    assert [policy.looks_for(s) for s in (0, 1.9, 2, 10)] == [1, 1, 1, 5]


def test_an_unknown_inconclusive_policy_is_a_usage_error():
    with pytest.raises(UsageError, match="on-inconclusive"):
        AnalysisPolicy(on_inconclusive="promote")
