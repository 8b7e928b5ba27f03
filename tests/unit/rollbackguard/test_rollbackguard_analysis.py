"""The analysis loop: limits, no data, backend errors, flapping, the judge."""

import pytest
from paved.rollbackguard import catalog
from paved.rollbackguard.analysis import AnalysisSpec, run_analysis
from paved.rollbackguard.classify import Observation
from paved.rollbackguard.mannwhitney import MannWhitneyJudge
from paved.rollbackguard.policy import AnalysisPolicy, InconclusivePolicy
from paved.rollbackguard.record import Outcome, Reason, Verdict
from rollbackguard_support import DOWN, FakeTime, ScriptedSource, ok

NO_TRAFFIC = Observation(None, None, 0)


def spec(policy=None, checks=None, judges=()):
    return AnalysisSpec(
        "shop",
        checks if checks is not None else (catalog.error_rate(),),
        policy or AnalysisPolicy(looks=5, min_requests=50),
        judges,
    )


def run(script, **kwargs):
    time = FakeTime()
    source = ScriptedSource(script)
    return run_analysis(spec(**kwargs), source, time.clock()), time, source


def test_a_healthy_candidate_passes_after_every_look_one_interval_apart():
    record, time, _ = run({"error-rate": [ok(0.0)]})
    assert record.verdict is Verdict.PASS
    assert record.ending.reason is Reason.PASSED
    assert len(record.looks) == 5
    assert time.sleeps == [1.0] * 4
    assert [look.at_seconds for look in record.looks] == [0, 1, 2, 3, 4]


def test_a_breach_fails_at_once_with_failure_limit_zero():
    record, _, _ = run({"error-rate": [ok(0.0), ok(0.2)]})
    assert record.verdict is Verdict.FAIL
    assert (record.ending.reason, record.ending.check) == (Reason.FAILURE_LIMIT, "error-rate")
    assert len(record.looks) == 2
    assert record.looks[-1].readings[0].candidate == 0.2


def test_no_traffic_is_never_a_promotion():
    held, _, _ = run({"error-rate": [NO_TRAFFIC]})
    assert held.verdict is Verdict.HOLD
    assert held.ending.reason is Reason.NO_DATA_LIMIT
    failed, _, _ = run(
        {"error-rate": [NO_TRAFFIC]},
        policy=AnalysisPolicy(looks=5, on_inconclusive=InconclusivePolicy.FAIL),
    )
    assert failed.verdict is Verdict.FAIL


def test_no_traffic_within_the_limit_still_does_not_pass():
    record, _, _ = run(
        {"error-rate": [NO_TRAFFIC]}, policy=AnalysisPolicy(looks=3, no_data_limit=10)
    )
    assert record.verdict is Verdict.HOLD
    assert record.ending.reason is Reason.NOT_ENOUGH_PASSES
    assert all(look.outcome is Outcome.NO_DATA for look in record.looks)


def test_backend_down_holds_while_within_the_limit_then_ends_by_policy():
    policy = AnalysisPolicy(looks=20, consecutive_error_limit=3)
    held, _, _ = run({"error-rate": [ok(0.0), DOWN]}, policy=policy)
    assert [look.outcome for look in held.looks] == [Outcome.PASS] + [Outcome.ERROR] * 4
    assert held.verdict is Verdict.HOLD
    assert held.ending.reason is Reason.ERROR_LIMIT
    assert "did not answer" in held.looks[-1].readings[0].detail
    failing = AnalysisPolicy(looks=20, consecutive_error_limit=3, on_inconclusive="fail")
    failed, _, _ = run({"error-rate": [ok(0.0), DOWN]}, policy=failing)
    assert failed.verdict is Verdict.FAIL
    assert failed.ending.reason is Reason.ERROR_LIMIT


def test_ending_on_a_backend_error_is_not_a_pass_even_after_passes():
    record, _, _ = run({"error-rate": [ok(0.0), ok(0.0), ok(0.0), ok(0.0), DOWN]})
    assert record.looks[-1].outcome is Outcome.ERROR
    assert record.verdict is Verdict.HOLD
    assert record.ending.reason is Reason.NOT_ENOUGH_PASSES


def test_flapping_errors_reset_the_consecutive_count_and_recovery_passes():
    flapping = [DOWN, ok(0.0)] * 5
    policy = AnalysisPolicy(looks=10, consecutive_error_limit=1)
    record, _, _ = run({"error-rate": flapping}, policy=policy)
    assert max(look.tally.consecutive_errors for look in record.looks) == 1
    assert record.looks[-1].tally.errors == 5
    assert record.verdict is Verdict.PASS


def test_flapping_values_fail_on_the_total_not_the_consecutive_count():
    flapping = [ok(0.2), ok(0.0)] * 5
    record, _, _ = run({"error-rate": flapping}, policy=AnalysisPolicy(looks=10, failure_limit=2))
    assert record.verdict is Verdict.FAIL
    assert [look.outcome for look in record.looks] == [Outcome.FAIL, Outcome.PASS] * 2 + [
        Outcome.FAIL
    ]


def test_two_errors_in_a_row_exceed_a_limit_of_one():
    record, _, _ = run(
        {"error-rate": [ok(0.0), DOWN, ok(0.0), DOWN, DOWN]},
        policy=AnalysisPolicy(looks=10, consecutive_error_limit=1),
    )
    assert len(record.looks) == 5
    assert record.ending.reason is Reason.ERROR_LIMIT


def test_a_breach_outranks_missing_data_in_the_same_look():
    record, _, _ = run(
        {"error-rate": [ok(0.3)], "p95-latency": [NO_TRAFFIC]},
        checks=(catalog.error_rate(), catalog.p95_latency()),
    )
    assert record.verdict is Verdict.FAIL
    assert record.ending.check == "error-rate"


def test_every_metric_is_read_at_the_same_instant_per_look():
    record, _, source = run(
        {"error-rate": [ok(0.0)], "p95-latency": [ok(0.01, stable=0.01)]},
        checks=(catalog.error_rate(), catalog.p95_latency()),
    )
    assert record.verdict is Verdict.PASS
    assert set(source.windows) == {10.0}
    assert source.times[0] == source.times[1] == 1_000.0


def test_no_checks_is_no_data():
    record, _, _ = run({}, checks=())
    assert record.verdict is Verdict.HOLD


def test_the_judge_fails_a_candidate_worse_than_stable():
    slower = [ok(0.020 + i / 1000, stable=0.010 + i / 1000) for i in range(10)]
    policy = AnalysisPolicy(looks=10)
    checks = (catalog.p95_latency(factor=10),)
    plain, _, _ = run({"p95-latency": slower}, checks=checks, policy=policy)
    assert plain.verdict is Verdict.PASS
    judged, _, _ = run(
        {"p95-latency": slower},
        checks=checks,
        policy=policy,
        judges=(MannWhitneyJudge("p95-latency"),),
    )
    assert judged.verdict is Verdict.FAIL
    assert judged.ending.reason is Reason.JUDGE
    assert judged.judgements[0].result.small_sample


def test_the_judge_passes_equal_samples_and_holds_without_stable_samples():
    same = [ok(0.01 + i / 1000, stable=0.01 + i / 1000) for i in range(6)]
    checks = (catalog.error_rate(),)
    judges = (MannWhitneyJudge("error-rate"),)
    policy = AnalysisPolicy(looks=6)
    record, _, _ = run({"error-rate": same}, checks=checks, judges=judges, policy=policy)
    assert record.verdict is Verdict.PASS
    assert record.judgements[0].result.p_value == pytest.approx(1.0)
    no_stable = [ok(0.0)]
    held, _, _ = run({"error-rate": no_stable}, checks=checks, judges=judges, policy=policy)
    assert held.verdict is Verdict.HOLD


def _slo_run(availability, *, no_data_limit=4):
    from paved.rollbackguard.slo import slo_spec  # noqa: PLC0415 - only these tests

    time = FakeTime()
    source = ScriptedSource({"availability": availability, "latency": [ok(0.01)]})
    slo = slo_spec("shop", window_seconds=15, no_data_limit=no_data_limit, interval_seconds=2)
    return run_analysis(slo, source, time.clock()), time


def test_the_slo_check_waits_for_its_window_to_hold_data_then_judges_once():
    record, time = _slo_run([NO_TRAFFIC, NO_TRAFFIC, ok(1.0), ok(1.0)])
    assert record.verdict is Verdict.PASS
    assert [look.outcome for look in record.looks] == [Outcome.NO_DATA] * 2 + [Outcome.PASS]
    assert time.sleeps == [2.0, 2.0]
    failed, _ = _slo_run([NO_TRAFFIC, ok(0.8)])
    assert (failed.verdict, len(failed.looks)) == (Verdict.FAIL, 2)


def test_an_slo_nobody_can_measure_fails_after_the_no_data_limit():
    record, _ = _slo_run([NO_TRAFFIC], no_data_limit=2)
    assert record.verdict is Verdict.FAIL
    assert record.ending.reason is Reason.NO_DATA_LIMIT
    assert len(record.looks) == 3
    at_once, _ = _slo_run([NO_TRAFFIC], no_data_limit=0)
    assert (at_once.verdict, len(at_once.looks)) == (Verdict.FAIL, 1)
