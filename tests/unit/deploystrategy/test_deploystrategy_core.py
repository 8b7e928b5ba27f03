"""The executor against a fake target: outcomes, rollbacks, resumption and the lease."""

from __future__ import annotations

import pytest
from deploystrategy_support import Crash, FakeClock, FakeHttp, FakeTarget, ScriptedAnalysis
from paved.adapters.deploy.interface import (
    AnalysisRequest,
    LeaseHeldError,
    RolloutStatus,
    Track,
    Verdict,
)
from paved.adapters.http.interface import HttpEndpoint
from paved.deploystrategy.analysis import ReadinessAndSmoke
from paved.deploystrategy.core import Rollout
from paved.deploystrategy.options import (
    DeployOptions,
    SmokeCheck,
    Strategy,
    canary_steps,
)
from paved.deploystrategy.outcome import DeployResult
from paved.model import StepStatus

HEALTH = (SmokeCheck("/health", 200, (("status", "healthy"),)),)


def setup(**target_args):
    clock = FakeClock()
    target = FakeTarget(clock, **target_args)
    target.serve("app:1", replicas=2)
    return clock, target


def rollout(clock, target, *, image="app:2", strategy=Strategy.CANARY, fail_at=(), **more):
    options = DeployOptions(
        "app",
        image,
        strategy,
        more.pop("steps", canary_steps((10, 50, 100), 30.0)),
        smoke_checks=more.pop("smoke", HEALTH),
        ready_timeout_seconds=60,
        holder=more.pop("holder", "run-1"),
        **more,
    )
    analysis = ScriptedAnalysis(clock, frozenset(fail_at))
    return Rollout(options, target, analysis, clock.clock()), analysis


def test_a_healthy_canary_ends_with_the_new_version_serving_everything():
    clock, target = setup()
    run, analysis = rollout(clock, target)
    outcome = run.run()
    assert outcome.result is DeployResult.SUCCEEDED
    assert outcome.final_weight == 100
    assert outcome.previous_image == "app:1"
    assert outcome.deployment_id == "app-1"
    assert [r.weight for r in analysis.requests] == [10, 50, 100]
    assert target.tracks[Track.STABLE].image == "app:2"
    assert Track.CANDIDATE not in target.tracks
    assert target.state.status is RolloutStatus.SUCCEEDED
    assert target.state.step_index == len(outcome.plan.steps)
    assert target.lease is None
    assert all(r.status is StepStatus.PASSED for r in outcome.steps)
    assert outcome.left.stable.image == "app:2"


def test_a_candidate_that_never_gets_ready_never_gets_traffic():
    clock, target = setup(never_ready=frozenset({"app:2"}))
    run, _ = rollout(clock, target, strategy=Strategy.BLUE_GREEN)
    outcome = run.run()
    assert outcome.result is DeployResult.ROLLED_BACK
    assert "step 2 (wait-ready) failed: 0/2 ready after 60.0 s" in outcome.reason
    assert not any(w > 0 for _, w in target.history)
    assert target.calls[-2:] == ["set-traffic 0", "remove candidate"]
    assert target.tracks[Track.STABLE].image == "app:1"
    assert outcome.final_weight == 0
    assert target.state.status is RolloutStatus.ROLLED_BACK
    assert outcome.left.candidate is None


def test_a_failed_analysis_puts_all_traffic_on_stable_before_removing_the_canary():
    clock, target = setup()
    run, _ = rollout(clock, target, fail_at={50})
    outcome = run.run()
    assert outcome.result is DeployResult.ROLLED_BACK
    assert target.history == [("app:1", 10), ("app:1", 50), ("app:1", 0)]
    assert target.calls.index("set-traffic 0") < target.calls.index("remove candidate")
    assert outcome.rollback.status is StepStatus.PASSED
    assert outcome.traffic_restored_seconds is not None
    assert outcome.steps[-1].detail == "fail: errors at 50 %"


def test_a_failing_smoke_check_stops_the_rollout_before_traffic():
    clock, target = setup()
    options = DeployOptions("app", "app:2", Strategy.CANARY, smoke_checks=HEALTH, holder="r")
    target.http = FakeHttp(target, broken=frozenset({"app:2"}))
    outcome = Rollout(options, target, ScriptedAnalysis(clock), clock.clock()).run()
    assert outcome.result is DeployResult.ROLLED_BACK
    assert outcome.steps[-1].step.kind.value == "smoke"
    assert outcome.steps[-1].detail == "/health: expected status 200, got status 500"
    assert target.history == [("app:1", 0)]


def test_a_target_that_fails_mid_way_is_rolled_back_and_the_error_kept():
    clock, target = setup(fail_call="scale candidate 2")
    outcome = rollout(clock, target)[0].run()
    assert outcome.result is DeployResult.ROLLED_BACK
    assert "the fake target is unreachable" in outcome.reason
    assert target.split.candidate_weight == 0


def test_a_rerun_after_a_crash_resumes_where_it_stopped():
    clock, target = setup(crash_at_weight=50)
    run, _ = rollout(clock, target)
    with pytest.raises(Crash):
        run.run()
    assert target.state.status is RolloutStatus.IN_PROGRESS
    assert target.state.weight == 10
    stopped_at = target.state.step_index
    # The crashed job never released its lease; the same job re-run is the same holder.
    assert target.lease is not None
    run, analysis = rollout(clock, target)
    outcome = run.run()
    assert outcome.result is DeployResult.SUCCEEDED
    assert outcome.resumed_from == stopped_at
    assert [r.weight for r in analysis.requests] == [50, 100]
    assert target.calls.count("apply candidate app:2") == 1
    assert outcome.revision == 1


def test_a_second_deploy_is_refused_while_the_lease_holds_then_takes_an_expired_one():
    clock, target = setup(crash_at_weight=10)
    with pytest.raises(Crash):
        rollout(clock, target, holder="run-1")[0].run()
    with pytest.raises(LeaseHeldError) as refused:
        rollout(clock, target, holder="run-2", image="app:3")[0].run()
    assert "another deploy of app is in flight (lease held by run-1" in str(refused.value)
    assert refused.value.exit_code == 1
    clock.sleep(901)
    outcome = rollout(clock, target, holder="run-2", image="app:3")[0].run()
    # The abandoned rollout of app:2 is rolled back first; app:3 then goes out from app:1.
    assert outcome.superseded is not None
    assert outcome.previous_image == "app:1"
    assert outcome.result is DeployResult.SUCCEEDED
    assert outcome.revision == 2
    assert target.tracks[Track.STABLE].image == "app:3"


def test_deploying_what_is_live_changes_nothing():
    clock, target = setup()
    rollout(clock, target)[0].run()
    calls = len(target.calls)
    outcome = rollout(clock, target)[0].run()
    assert outcome.result is DeployResult.UNCHANGED
    assert target.calls[calls:] == ["check"]


def test_a_gate_pauses_and_an_approved_rerun_continues():
    clock, target = setup()
    gated = canary_steps((10, 100), 0.0, frozenset({10}))
    outcome = rollout(clock, target, steps=gated)[0].run()
    assert outcome.result is DeployResult.PAUSED
    assert outcome.final_weight == 10
    assert target.lease is None
    outcome = rollout(clock, target, steps=gated)[0].run()
    assert outcome.result is DeployResult.PAUSED
    outcome = rollout(clock, target, steps=gated, approve_gates=True)[0].run()
    assert outcome.result is DeployResult.SUCCEEDED
    assert target.tracks[Track.STABLE].image == "app:2"


def test_direct_rolls_back_in_place_when_the_new_image_is_not_ready():
    clock, target = setup(never_ready=frozenset({"app:2"}))
    outcome = rollout(clock, target, strategy=Strategy.DIRECT)[0].run()
    assert outcome.result is DeployResult.ROLLED_BACK
    assert target.calls[-2:] == ["apply stable app:1", "wait-ready stable"]
    assert target.tracks[Track.STABLE].image == "app:1"


def test_the_default_analysis_fails_on_a_smoke_check_within_the_window():
    clock, target = setup()
    target.tracks[Track.CANDIDATE] = target.tracks[Track.STABLE].__class__("app:2", 1, 1)
    http = FakeHttp(target, broken=frozenset({"app:2"}))
    candidate = HttpEndpoint("http://candidate.test", http)
    analysis = ReadinessAndSmoke(target, HEALTH, clock.clock())
    result = analysis.analyse(AnalysisRequest("app", 10, 5, candidate, None))
    assert result.verdict is Verdict.FAIL
    assert result.reason == "smoke /health: got status 500"
    http.broken = frozenset()
    start = clock.t
    result = analysis.analyse(AnalysisRequest("app", 10, 5, candidate, None))
    assert result.verdict is Verdict.PASS
    assert clock.t - start == 5
    assert len(http.urls) == 1 + 6


def test_a_rollback_with_no_ready_stable_keeps_the_candidate_serving_and_says_so():
    clock, target = setup()

    class StableDiesAt50(ScriptedAnalysis):
        def analyse(self, request):
            if request.weight == 50:
                target.never_ready = frozenset({"app:1"})  # the old version went down
            return super().analyse(request)

    options = DeployOptions("app", "app:2", Strategy.CANARY, smoke_checks=HEALTH, holder="r")
    analysis = StableDiesAt50(clock, frozenset({50}))
    outcome = Rollout(options, target, analysis, clock.clock()).run()
    assert outcome.result is DeployResult.FAILED
    assert "stable has no ready instance; 50 % stays on the candidate" in outcome.reason
    assert Track.CANDIDATE in target.tracks
    assert outcome.final_weight == 50
    assert outcome.traffic_restored_seconds is None
    assert target.state.status is RolloutStatus.FAILED
