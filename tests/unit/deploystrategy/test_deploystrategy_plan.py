"""Plans: the ordered steps each strategy runs, from the options and what is live."""

from __future__ import annotations

from paved.adapters.deploy.interface import Track, TrafficSplit
from paved.deploystrategy.options import DeployOptions, Strategy, canary_steps
from paved.deploystrategy.plan import (
    Analyse,
    Apply,
    Baseline,
    Finalize,
    Pause,
    Promote,
    Scale,
    SetWeight,
    Smoke,
    WaitReady,
    baseline_of,
    build_plan,
)

LIVE = Baseline(previous_image="app:1", replicas=3)


def kinds(plan):
    return [step.kind.value for step in plan.steps]


def test_canary_10_50_100_scales_up_before_it_takes_all_traffic():
    options = DeployOptions(
        "app", "app:2", Strategy.CANARY, canary_steps((10, 50, 100), 30.0), ready_timeout_seconds=60
    )
    plan = build_plan(options, LIVE)
    assert plan.steps == (
        Apply(Track.CANDIDATE, "app:2", 1),
        WaitReady(Track.CANDIDATE, 60),
        Smoke(Track.CANDIDATE),
        SetWeight(TrafficSplit(10)),
        Analyse(10, 30.0),
        SetWeight(TrafficSplit(50)),
        Analyse(50, 30.0),
        Scale(Track.CANDIDATE, 3),
        WaitReady(Track.CANDIDATE, 60),
        SetWeight(TrafficSplit(100)),
        Analyse(100, 30.0),
        Promote("app:2", 60),
        Finalize(),
    )
    assert plan.promote_index == 11
    assert plan.rollback.strategy is Strategy.CANARY


def test_blue_green_brings_up_a_full_copy_then_bakes_with_all_traffic():
    options = DeployOptions("app", "app:2", Strategy.BLUE_GREEN, bake_seconds=120)
    plan = build_plan(options, LIVE)
    assert kinds(plan) == [
        "apply",
        "wait-ready",
        "smoke",
        "set-weight",
        "analyse",
        "promote",
        "finalize",
    ]
    assert plan.steps[0] == Apply(Track.CANDIDATE, "app:2", 3)
    assert plan.steps[4] == Analyse(100, 120)


def test_a_first_deploy_is_direct_whatever_was_asked():
    options = DeployOptions("app", "app:1", Strategy.CANARY)
    baseline = baseline_of(options, None, 0)
    plan = build_plan(options, baseline)
    assert plan.strategy is Strategy.DIRECT
    assert kinds(plan) == ["apply", "wait-ready", "smoke", "finalize"]
    assert plan.steps[0] == Apply(Track.STABLE, "app:1", 1)


def test_replicas_follow_the_live_version_unless_given():
    assert baseline_of(DeployOptions("app", "app:2"), "app:1", 4).replicas == 4
    assert baseline_of(DeployOptions("app", "app:2", replicas=2), "app:1", 4).replicas == 2


def test_a_gate_is_a_pause_after_its_step():
    options = DeployOptions(
        "app", "app:2", Strategy.CANARY, canary_steps((20, 100), 0.0, frozenset({20}))
    )
    plan = build_plan(options, Baseline("app:1", 1))
    assert plan.steps[3:6] == (SetWeight(TrafficSplit(20)), Analyse(20, 0.0), Pause(0, gate=True))
    # One replica live: the canary already has full capacity, no scale step.
    assert "scale" not in kinds(plan)


def test_the_digest_changes_with_the_plan_only():
    options = DeployOptions("app", "app:2", Strategy.CANARY)
    assert build_plan(options, LIVE).digest == build_plan(options, LIVE).digest
    assert build_plan(options, LIVE).digest != build_plan(options, Baseline("app:1", 2)).digest
    other = DeployOptions("app", "app:2", Strategy.CANARY, canary_steps((25, 100), 0.0))
    assert build_plan(options, LIVE).digest != build_plan(other, LIVE).digest
