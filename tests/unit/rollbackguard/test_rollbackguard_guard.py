"""The standalone guard: judge the live rollout, roll it back through the target on FAIL."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from paved.adapters.deploy.interface import (
    Lease,
    RolloutState,
    RolloutStatus,
    Track,
    TrafficSplit,
)
from paved.adapters.http.interface import HttpClient, HttpResponse
from paved.adapters.router.interface import AdminState, Router, ServerCounters, ServerSlot
from paved.adapters.smoke.interface import parse_smoke_check
from paved.errors import UsageError
from paved.rollbackguard import catalog
from paved.rollbackguard.analysis import AnalysisSpec, run_analysis
from paved.rollbackguard.guard import GuardSettings, guard
from paved.rollbackguard.live import ByCheck, ReadyInstances, RouterCounters, SmokeAnswers
from paved.rollbackguard.policy import AnalysisPolicy
from paved.rollbackguard.record import Outcome, Verdict
from rollbackguard_support import FakeTime, ScriptedSource, ok

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "deploystrategy"))
from deploystrategy_support import FakeClock, FakeTarget, _Track

POLICY = AnalysisPolicy(interval_seconds=1, window_seconds=10, looks=3, min_requests=10)
SETTINGS = GuardSettings("guard-test")


def canary_target(*, never_ready: frozenset[str] = frozenset()) -> FakeTarget:
    target = FakeTarget(FakeClock(), never_ready=never_ready)
    target.serve("shop:1")
    target.tracks[Track.CANDIDATE] = _Track("shop:2", 1, 2)
    target.split = TrafficSplit(20)
    target.state = RolloutState(
        "shop", 2, "canary", "shop:2", "shop:1", 2, "d", 1, 20,
        RolloutStatus.IN_PROGRESS, promoted=False, started_at=1.0, updated_at=1.0,
    )  # fmt: skip
    return target


def spec(*checks) -> AnalysisSpec:
    return AnalysisSpec("shop", checks or (catalog.error_rate(),), POLICY)


def test_a_failing_canary_is_rolled_back_traffic_first_then_removed_then_recorded():
    target = canary_target()
    source = ScriptedSource({"error-rate": [ok(0.2, stable=0.0)]})
    result = guard(target, "shop", spec(), source, FakeTime().clock(), settings=SETTINGS)
    assert result.record.verdict is Verdict.FAIL
    assert result.rolled_back
    assert result.rollback is not None
    assert result.rollback.candidate_removed
    assert target.calls[-2:] == ["set-traffic 0", f"remove {Track.CANDIDATE}"]
    assert target.split == TrafficSplit.stable_only()
    assert Track.CANDIDATE not in target.tracks
    assert target.state is not None
    assert (target.state.status, target.state.weight) == (RolloutStatus.ROLLED_BACK, 0)
    assert target.lease is None  # given back


@pytest.mark.parametrize(
    ("observation", "verdict"),
    [(ok(0.0, stable=0.0), Verdict.PASS), (ok(0.0, requests=0), Verdict.HOLD)],
    ids=["healthy", "no-data"],
)
def test_a_healthy_or_silent_canary_is_left_where_it_is(observation, verdict):
    target = canary_target()
    source = ScriptedSource({"error-rate": [observation]})
    result = guard(target, "shop", spec(), source, FakeTime().clock(), settings=SETTINGS)
    assert result.record.verdict is verdict
    assert not result.rolled_back
    assert "set-traffic 0" not in target.calls
    assert target.split == TrafficSplit(20)
    assert target.state is not None
    assert target.state.status is RolloutStatus.IN_PROGRESS


def test_a_lease_held_by_a_deploy_still_moves_traffic_but_leaves_the_candidate():
    target = canary_target()
    target.lease = Lease("shop", "deploy-job", 0.0, 1e12)
    source = ScriptedSource({"error-rate": [ok(0.5, stable=0.0)]})
    result = guard(target, "shop", spec(), source, FakeTime().clock(), settings=SETTINGS)
    assert result.rollback is not None
    assert not result.rollback.candidate_removed
    assert "deploy-job" in result.rollback.detail
    assert target.split == TrafficSplit.stable_only()
    assert Track.CANDIDATE in target.tracks


def test_nothing_rolling_out_is_a_usage_error():
    target = FakeTarget(FakeClock())
    target.serve("shop:1")
    with pytest.raises(UsageError, match="no candidate"):
        guard(target, "shop", spec(), ScriptedSource({}), FakeTime().clock(), settings=SETTINGS)


def test_ready_ratio_under_the_seeds_80_percent_rolls_back():
    target = canary_target(never_ready=frozenset({"shop:2"}))
    source = ByCheck({"ready-ratio": ReadyInstances(target, "shop")})
    result = guard(
        target, "shop", spec(catalog.ready_ratio()), source, FakeTime().clock(), settings=SETTINGS
    )
    reading = result.record.looks[0].readings[0]
    assert (reading.candidate, reading.stable) == (0.0, 1.0)
    assert result.rolled_back


class CountingRouter(Router):
    """HAProxy's cumulative per-server counters, advanced by the test."""

    def __init__(self) -> None:
        self.counts = {"s1": [0, 0], "s2": [0, 0]}

    def serve(self, server: str, answers: int, errors: int) -> None:
        self.counts[server][0] += answers
        self.counts[server][1] += errors

    def counters(self, backend: str) -> tuple[ServerCounters, ...]:
        del backend
        return tuple(ServerCounters(name, *c) for name, c in self.counts.items())

    def servers(self, backend: str) -> tuple[ServerSlot, ...]:
        return tuple(
            ServerSlot(backend, n, "127.0.0.1", 1, 1, AdminState.READY, 0) for n in self.counts
        )

    def set_address(self, backend: str, server: str, address: str, port: int) -> None:
        raise NotImplementedError

    def set_weight(self, backend: str, server: str, weight: int) -> None:
        raise NotImplementedError

    def set_state(self, backend: str, server: str, state: AdminState) -> None:
        raise NotImplementedError


def test_router_counters_are_differences_inside_the_window_and_the_first_look_is_no_data():
    router = CountingRouter()
    router.serve("s2", 500, 500)  # before the guard started: never counted
    source = RouterCounters(router, "shop", lambda t: ("s1",) if t is Track.STABLE else ("s2",))
    check = catalog.router_counters_error_rate()
    first = source.observe(check, 10, 100.0)
    assert first.candidate is None
    router.serve("s1", 80, 0)
    router.serve("s2", 20, 4)
    second = source.observe(check, 10, 101.0)
    assert (second.candidate, second.stable, second.requests) == (0.2, 0.0, 20.0)
    router.serve("s2", 20, 0)
    # 100.0 falls out of a 1.5 s window: only the last 20 answers count.
    third = source.observe(check, 1.5, 102.0)
    assert (third.candidate, third.requests) == (0.0, 20.0)


def test_router_counters_with_too_few_answers_are_no_data():
    router = CountingRouter()
    source = RouterCounters(router, "shop", lambda _track: ("s2",))
    check = catalog.router_counters_error_rate()
    spec_ = AnalysisSpec("shop", (check,), POLICY)
    record = run_analysis(spec_, ByCheck({check.name: source}), FakeTime().clock())
    assert all(look.outcome is Outcome.NO_DATA for look in record.looks)
    assert record.verdict is Verdict.HOLD


class VersionHttp(HttpClient):
    """The candidate's host answers version 2.0.0, every other 1.0.0."""

    def get(self, url: str, *, timeout_seconds: float = 5.0) -> HttpResponse:
        del timeout_seconds
        version = "2.0.0" if "candidate" in url else "1.0.0"
        return HttpResponse(url, 200, f'{{"version":"{version}"}}'.encode(), 0.01)


def test_smoke_answers_are_the_share_of_checks_each_track_passes():
    target = canary_target()
    checks = (parse_smoke_check("/api/data json.version=2.0.0"), parse_smoke_check("/health"))
    target.http = VersionHttp()
    source = SmokeAnswers(target, "shop", checks)
    observation = source.observe(catalog.smoke(), 10, 0.0)
    assert (observation.candidate, observation.stable) == (1.0, 0.5)
