"""The standalone guard, like the seed's controller: judge the rollout that is live on a deploy
target, and on a fail verdict roll it back through the target (all traffic to stable first,
then the candidate away, then the rollout recorded as rolled back). Pure apart from the
injected target, source and clock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from paved.adapters.deploy.interface import (
    LeaseHeldError,
    RolloutStatus,
    Track,
    TrafficSplit,
)
from paved.errors import UsageError
from paved.rollbackguard.analysis import run_analysis
from paved.rollbackguard.record import Verdict

if TYPE_CHECKING:
    from collections.abc import Callable

    from paved.adapters.deploy.interface import DeployTarget, RolloutState
    from paved.rollbackguard.analysis import AnalysisSpec
    from paved.rollbackguard.clock import Clock
    from paved.rollbackguard.record import DecisionRecord, Look
    from paved.rollbackguard.source import ObservationSource


@dataclass(frozen=True)
class Rollback:
    """What the guard did on a fail verdict."""

    traffic_seconds: float
    """From the decision to all traffic on stable (the router's change)."""
    candidate_removed: bool
    """False when another job held the app's lease: traffic is on stable, the candidate left."""
    detail: str = ""


@dataclass(frozen=True)
class GuardResult:
    """The verdict on the live rollout and, when it failed, the rollback."""

    record: DecisionRecord
    target: str
    """The target's kind (docker, kubernetes)."""
    candidate_image: str
    stable_image: str
    rollback: Rollback | None = None

    @property
    def rolled_back(self) -> bool:
        """Whether traffic was taken off the candidate."""
        return self.rollback is not None


@dataclass(frozen=True)
class GuardSettings:
    """Who acts, and for how long they hold the app's lease."""

    holder: str
    lease_ttl_seconds: float = 300.0


def live_rollout(target: DeployTarget, app: str) -> tuple[RolloutState, str, str]:
    """The rollout in progress on the target, its candidate's image and stable's image."""
    state = target.read_state(app)
    view = target.observe(app)
    if (
        state is None
        or state.status is not RolloutStatus.IN_PROGRESS
        or view.candidate is None
        or view.stable is None
    ):
        raise UsageError(
            f"{app} has no candidate beside a stable version on the {target.kind} target",
            name="app",
            valid="an app whose deploy-strategy canary or blue-green rollout is in progress "
            "(paused at a gate, or between steps)",
        )
    return state, view.candidate.image, view.stable.image


def roll_back(
    target: DeployTarget, state: RolloutState, clock: Clock, settings: GuardSettings
) -> Rollback:
    """All traffic to stable, then the candidate away, then the state; the traffic move needs
    no lease (it is always safe), the rest does."""
    started = clock.monotonic()
    target.set_traffic(state.app, TrafficSplit.stable_only())
    moved = clock.monotonic() - started
    try:
        lease = target.acquire_lease(
            state.app, settings.holder, settings.lease_ttl_seconds, clock.now()
        )
    except LeaseHeldError as exc:
        return Rollback(moved, candidate_removed=False, detail=str(exc))
    try:
        target.remove(state.app, Track.CANDIDATE)
        target.write_state(state.ended(RolloutStatus.ROLLED_BACK, weight=0, now=clock.now()))
    finally:
        target.release_lease(lease)
    return Rollback(moved, candidate_removed=True)


def guard(
    target: DeployTarget,
    app: str,
    spec: AnalysisSpec,
    source: ObservationSource,
    clock: Clock,
    *,
    settings: GuardSettings,
    on_look: Callable[[Look], None] | None = None,
) -> GuardResult:
    """Judge `app`'s live rollout; roll it back on FAIL. PASS and HOLD leave it as it is (the
    deploy job promotes; a hold waits for a human)."""
    state, candidate, stable = live_rollout(target, app)
    record = run_analysis(spec, source, clock, on_look=on_look)
    result = GuardResult(record, target.kind, candidate, stable)
    if record.verdict is not Verdict.FAIL:
        return result
    return GuardResult(
        record, target.kind, candidate, stable, roll_back(target, state, clock, settings)
    )
