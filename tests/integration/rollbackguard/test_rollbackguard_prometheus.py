"""The analysis against real processes: Debian's Prometheus scraping the example service's
stable and canary every second, with real traffic on loopback."""

from __future__ import annotations

from dataclasses import replace

from paved.adapters.deploy.interface import AnalysisRequest
from paved.adapters.deploy.interface import Verdict as DeployVerdict
from paved.report.rollbackguard import timeline
from paved.rollbackguard import catalog
from paved.rollbackguard.analysis import AnalysisSpec, run_analysis
from paved.rollbackguard.deploy_analysis import MetricAnalysis
from paved.rollbackguard.policy import AnalysisPolicy, InconclusivePolicy
from paved.rollbackguard.record import Outcome, Reason, Verdict
from paved.rollbackguard.slo import slo_spec

POLICY = AnalysisPolicy(
    interval_seconds=1.0,
    window_seconds=10.0,
    looks=10,
    failure_limit=0,
    consecutive_error_limit=3,
    no_data_limit=10,
    min_requests=50,
    required_passes=3,
)
CHECKS = (catalog.error_rate(), catalog.p95_latency())
# Both versions answer in about 60 ms; the slow canary in about 78 ms (30 % more). The
# histogram's default buckets (50, 75, 100 ms) put them in different buckets.
BASE_DELAY = {"FAULT_DELAY_SECONDS": "0.060"}
SLOW_DELAY = {"FAULT_DELAY_SECONDS": "0.078"}


def analyse(release, policy=POLICY, **kwargs):
    spec = AnalysisSpec(release.app, CHECKS, policy)
    record = run_analysis(spec, release.source, release.clock, **kwargs)
    print(timeline(record))
    return record


def test_a_canary_with_20_percent_errors_fails(make_release):
    with make_release({"FAULT_ERROR_RATE": "0.2"}) as release:
        record = analyse(release)
        slo = run_analysis(
            slo_spec(release.app, window_seconds=10.0), release.source, release.clock
        )
    assert record.verdict is Verdict.FAIL
    assert (record.ending.reason, record.ending.check) == (Reason.FAILURE_LIMIT, "error-rate")
    breach = record.last_look.readings[0]
    assert 0.1 < breach.candidate < 0.3
    assert breach.requests >= POLICY.min_requests
    assert breach.stable == 0.0
    assert slo.verdict is Verdict.FAIL
    assert slo.looks[0].readings[0].check == "availability"
    assert slo.looks[0].readings[0].outcome is Outcome.FAIL


def test_a_canary_30_percent_slower_at_p95_fails(make_release):
    with make_release(SLOW_DELAY, stable_faults=BASE_DELAY) as release:
        record = analyse(release)
    assert record.verdict is Verdict.FAIL
    assert record.ending.check == "p95-latency"
    breach = record.last_look.readings[1]
    assert breach.candidate > breach.bound > breach.stable


def test_a_healthy_canary_passes(make_release):
    with make_release(BASE_DELAY, stable_faults=BASE_DELAY) as release:
        record = analyse(release)
        slo = run_analysis(
            slo_spec(release.app, window_seconds=10.0), release.source, release.clock
        )
    assert record.verdict is Verdict.PASS, timeline(record)
    assert record.last_look.tally.passes >= POLICY.required_passes
    assert all(r.requests >= POLICY.min_requests for r in record.last_look.readings)
    assert slo.verdict is Verdict.PASS, timeline(slo)


def test_prometheus_stopped_mid_analysis_never_passes(make_release, prometheus_running):
    def stop_after_third(look):
        if look.index == 3:
            prometheus_running.stop()

    with make_release(BASE_DELAY, stable_faults=BASE_DELAY) as release:
        held = analyse(release, on_look=stop_after_third)
        prometheus_running.start()
        failing = replace(POLICY, on_inconclusive=InconclusivePolicy.FAIL)
        failed = analyse(release, failing, on_look=stop_after_third)
        prometheus_running.start()
    for record in (held, failed):
        assert [look.outcome for look in record.looks[3:]] == [Outcome.ERROR] * 4
        assert record.ending.reason is Reason.ERROR_LIMIT
        assert "did not answer" in record.last_look.readings[0].detail
    assert held.verdict is Verdict.HOLD
    assert failed.verdict is Verdict.FAIL


def test_a_canary_without_traffic_never_passes(make_release):
    with make_release(canary_traffic=False) as release:
        quick = replace(POLICY, looks=6, no_data_limit=4)
        record = analyse(release, quick)
        analysis = MetricAnalysis(
            AnalysisSpec(release.app, CHECKS, quick), release.source, release.clock
        )
        result = analysis.analyse(AnalysisRequest(release.app, 10, 3.0, None, None))
    assert record.verdict is Verdict.HOLD
    assert record.ending.reason is Reason.NO_DATA_LIMIT
    assert {r.reason for look in record.looks for r in look.readings} == {Reason.TOO_FEW_REQUESTS}
    assert result.verdict is DeployVerdict.INCONCLUSIVE
