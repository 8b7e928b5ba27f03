"""The ordered steps of a rollout, derived from the options and what is live; pure data."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from paved.adapters.deploy.interface import Track, TrafficSplit
from paved.deploystrategy.options import DeployOptions, Strategy

DEFAULT_REPLICAS = 1
"""Instances of a first deploy when the user does not say."""


class StepKind(StrEnum):
    """The kinds of step a plan is made of."""

    APPLY = "apply"
    SCALE = "scale"
    WAIT_READY = "wait-ready"
    SMOKE = "smoke"
    SET_WEIGHT = "set-weight"
    ANALYSE = "analyse"
    PAUSE = "pause"
    PROMOTE = "promote"
    FINALIZE = "finalize"
    ROLLBACK = "rollback"


@dataclass(frozen=True)
class Apply:
    """Run the image on a track (CANDIDATE beside the live one; STABLE in place)."""

    track: Track
    image: str
    replicas: int
    kind: StepKind = StepKind.APPLY


@dataclass(frozen=True)
class Scale:
    """Change a track's instance count."""

    track: Track
    replicas: int
    kind: StepKind = StepKind.SCALE


@dataclass(frozen=True)
class WaitReady:
    """Wait, bounded, until every instance of the track is ready."""

    track: Track
    timeout_seconds: float
    kind: StepKind = StepKind.WAIT_READY


@dataclass(frozen=True)
class Smoke:
    """Run the smoke checks against an endpoint that reaches only the track."""

    track: Track
    kind: StepKind = StepKind.SMOKE


@dataclass(frozen=True)
class SetWeight:
    """Move traffic to a split."""

    split: TrafficSplit
    kind: StepKind = StepKind.SET_WEIGHT


@dataclass(frozen=True)
class Analyse:
    """Ask the Analysis for a verdict at the current weight, over a window."""

    weight: int
    window_seconds: float
    kind: StepKind = StepKind.ANALYSE


@dataclass(frozen=True)
class Pause:
    """Wait a fixed time, or stop at a manual gate until an approved re-run."""

    seconds: float
    gate: bool = False
    kind: StepKind = StepKind.PAUSE


@dataclass(frozen=True)
class Promote:
    """The new version becomes STABLE with all traffic."""

    image: str
    timeout_seconds: float
    kind: StepKind = StepKind.PROMOTE


@dataclass(frozen=True)
class Finalize:
    """Retire the previous version (blue-green: old color to 0; canary: remove it)."""

    kind: StepKind = StepKind.FINALIZE


@dataclass(frozen=True)
class Rollback:
    """All traffic to stable first, then remove the candidate (direct: re-apply the previous
    image in place)."""

    strategy: Strategy
    previous_image: str | None
    replicas: int
    timeout_seconds: float
    kind: StepKind = StepKind.ROLLBACK


Step = Apply | Scale | WaitReady | Smoke | SetWeight | Analyse | Pause | Promote | Finalize


@dataclass(frozen=True)
class Baseline:
    """What was live when the rollout began; recorded in the state so a re-run rebuilds the
    same plan even after traffic has moved."""

    previous_image: str | None
    replicas: int


@dataclass(frozen=True)
class Plan:
    """A rollout's steps in order, and the rollback to run if one of them fails."""

    strategy: Strategy
    """The strategy as run (a first deploy is always direct: nothing to protect)."""
    image: str
    steps: tuple[Step, ...]
    rollback: Rollback
    baseline: Baseline

    @property
    def digest(self) -> str:
        """A fingerprint of the steps: a re-run resumes only an identical plan."""
        text = "|".join(repr(step) for step in (*self.steps, self.rollback))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def promote_index(self) -> int | None:
        """Index of the Promote step (None for direct)."""
        for index, step in enumerate(self.steps):
            if isinstance(step, Promote):
                return index
        return None


def baseline_of(options: DeployOptions, live_image: str | None, live_replicas: int) -> Baseline:
    """The baseline for a new rollout: the live image and the replica count to end with."""
    replicas = options.replicas or (live_replicas if live_image else 0) or DEFAULT_REPLICAS
    return Baseline(previous_image=live_image, replicas=replicas)


def build_plan(options: DeployOptions, baseline: Baseline) -> Plan:
    """The steps for `options`, given what was live when the rollout began."""
    strategy = options.strategy if baseline.previous_image else Strategy.DIRECT
    if strategy is Strategy.DIRECT:
        steps = _direct(options, baseline)
    elif strategy is Strategy.BLUE_GREEN:
        steps = _blue_green(options, baseline)
    else:
        steps = _canary(options, baseline)
    rollback = Rollback(
        strategy, baseline.previous_image, baseline.replicas, options.ready_timeout_seconds
    )
    return Plan(strategy, options.image, steps, rollback, baseline)


def _direct(options: DeployOptions, baseline: Baseline) -> tuple[Step, ...]:
    return (
        Apply(Track.STABLE, options.image, baseline.replicas),
        WaitReady(Track.STABLE, options.ready_timeout_seconds),
        Smoke(Track.STABLE),
        Finalize(),
    )


def _candidate_up(options: DeployOptions, replicas: int) -> tuple[Step, ...]:
    return (
        Apply(Track.CANDIDATE, options.image, replicas),
        WaitReady(Track.CANDIDATE, options.ready_timeout_seconds),
        Smoke(Track.CANDIDATE),
    )


def _blue_green(options: DeployOptions, baseline: Baseline) -> tuple[Step, ...]:
    return (
        *_candidate_up(options, baseline.replicas),
        SetWeight(TrafficSplit.candidate_only()),
        Analyse(100, options.bake_seconds),
        Promote(options.image, options.ready_timeout_seconds),
        Finalize(),
    )


def _canary(options: DeployOptions, baseline: Baseline) -> tuple[Step, ...]:
    canary_replicas = min(options.canary_replicas, baseline.replicas)
    steps: list[Step] = list(_candidate_up(options, canary_replicas))
    for step in options.canary_steps:
        if step.weight == 100 and canary_replicas < baseline.replicas:  # noqa: PLR2004
            # Full capacity before it takes all traffic.
            steps += [
                Scale(Track.CANDIDATE, baseline.replicas),
                WaitReady(Track.CANDIDATE, options.ready_timeout_seconds),
            ]
        steps += [SetWeight(TrafficSplit(step.weight)), Analyse(step.weight, step.analysis_seconds)]
        if step.gate:
            steps.append(Pause(0, gate=True))
    steps += [Promote(options.image, options.ready_timeout_seconds), Finalize()]
    return tuple(steps)
