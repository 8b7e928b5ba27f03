"""The executor: runs a plan against a DeployTarget, records progress on it, rolls back.

Knows only interfaces. Whatever fails before promotion, the version that was live ends with
100 % of the traffic (rollback moves traffic first, then removes the candidate).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from paved import log
from paved.adapters.deploy.interface import (
    AnalysisRequest,
    RolloutState,
    RolloutStatus,
    Track,
    TrafficSplit,
    Verdict,
)
from paved.deploystrategy.options import Strategy
from paved.deploystrategy.outcome import DeployOutcome, DeployResult, StepRecord
from paved.deploystrategy.plan import (
    Analyse,
    Apply,
    Baseline,
    Finalize,
    Pause,
    Plan,
    Promote,
    Rollback,
    Scale,
    SetWeight,
    Smoke,
    Step,
    WaitReady,
    baseline_of,
    build_plan,
)
from paved.deploystrategy.smoke import SmokeResult, judge
from paved.errors import PavedError
from paved.model import StepStatus

if TYPE_CHECKING:
    from paved.adapters.deploy.interface import (
        Analysis,
        AnalysisResult,
        DeployTarget,
        Lease,
        TargetView,
    )
    from paved.deploystrategy.clock import Clock
    from paved.deploystrategy.options import DeployOptions


@dataclass(frozen=True)
class _Done:
    """What one step reports back to the loop."""

    status: StepStatus
    weight: int
    detail: str = ""
    analysis: AnalysisResult | None = None
    smoke: tuple[SmokeResult, ...] = ()
    gate: bool = False
    holds: tuple[AnalysisResult, ...] = ()


@dataclass
class _Progress:
    """The mutable part of one run (kept out of the frozen records)."""

    state: RolloutState
    lease: Lease
    records: list[StepRecord] = field(default_factory=list)
    weight: int = 0


class Rollout:
    """One deploy of one app: plan (or resume), run, roll back on failure."""

    def __init__(
        self,
        options: DeployOptions,
        target: DeployTarget,
        analysis: Analysis,
        clock: Clock,
    ) -> None:
        self.options = options
        self.target = target
        self.analysis = analysis
        self.clock = clock
        self.started = clock.monotonic()

    def _elapsed(self) -> float:
        return self.clock.monotonic() - self.started

    def plan_only(self) -> Plan:
        """The plan a run would follow now (for --dry-run); reads the target, changes nothing."""
        view = self.target.observe(self.options.app)
        state = self.target.read_state(self.options.app)
        resumable = self._resumable(state)
        if resumable is not None:
            return resumable[0]
        live = view.stable
        return build_plan(
            self.options,
            baseline_of(self.options, live.image if live else None, live.replicas if live else 0),
        )

    def run(self) -> DeployOutcome:
        """Run the rollout to its end (or its gate); the lease is held throughout."""
        description = self.target.check()
        app = self.options.app
        lease = self.target.acquire_lease(
            app, self.options.holder, self.options.lease_ttl_seconds, self.clock.now()
        )
        try:
            outcome = self._run(description, lease)
        except Exception:
            self.target.release_lease(lease)
            raise
        # A cancelled or killed job (BaseException, or no exception at all) keeps the lease
        # until it expires: only its own re-run may continue the rollout before then.
        self.target.release_lease(lease)
        return outcome

    def _resumable(self, state: RolloutState | None) -> tuple[Plan, RolloutState] | None:
        if state is None or state.status is not RolloutStatus.IN_PROGRESS:
            return None
        if state.image != self.options.image:
            return None
        plan = build_plan(self.options, Baseline(state.previous_image, state.replicas))
        return (plan, state) if plan.digest == state.plan_digest else None

    def _run(self, description: str, lease: Lease) -> DeployOutcome:
        app = self.options.app
        state = self.target.read_state(app)
        superseded = None
        resumable = self._resumable(state)
        if resumable is not None:
            plan, state = resumable
            resumed_from: int | None = state.step_index
            log.info(f"resuming revision {state.revision} of {app} at step {state.step_index}")
        else:
            resumed_from = None
            if state is not None and state.status is RolloutStatus.IN_PROGRESS:
                superseded = self._wind_up(state)
            view = self.target.observe(app)
            if view.stable and view.stable.image == self.options.image and not view.candidate:
                return self._unchanged(description, state, view)
            plan = build_plan(
                self.options,
                baseline_of(
                    self.options,
                    view.stable.image if view.stable else None,
                    view.stable.replicas if view.stable else 0,
                ),
            )
            now = self.clock.now()
            state = RolloutState(
                app=app,
                revision=(state.revision if state else 0) + 1,
                strategy=plan.strategy.value,
                image=plan.image,
                previous_image=plan.baseline.previous_image,
                replicas=plan.baseline.replicas,
                plan_digest=plan.digest,
                step_index=0,
                weight=view.traffic.candidate_weight,
                status=RolloutStatus.IN_PROGRESS,
                promoted=False,
                started_at=now,
                updated_at=now,
                holder=self.options.holder,
            )
            self.target.write_state(state)
        progress = _Progress(state=state, lease=lease, weight=state.weight)
        result, reason, rollback, restored = self._steps(plan, progress)
        return DeployOutcome(
            app=app,
            target=self.target.kind,
            target_description=description,
            requested_strategy=self.options.strategy.value,
            plan=plan,
            revision=progress.state.revision,
            image=plan.image,
            previous_image=plan.baseline.previous_image,
            result=result,
            final_weight=progress.weight,
            steps=tuple(progress.records),
            rollback=rollback,
            resumed_from=resumed_from,
            superseded=superseded,
            left=self._observe_quietly(),
            started_at=progress.state.started_at,
            seconds=self._elapsed(),
            reason=reason,
            traffic_restored_seconds=restored,
            holder=self.options.holder,
        )

    def _steps(
        self, plan: Plan, progress: _Progress
    ) -> tuple[DeployResult, str, StepRecord | None, float | None]:
        for index in range(progress.state.step_index, len(plan.steps)):
            step = plan.steps[index]
            progress.lease = self.target.acquire_lease(
                self.options.app,
                self.options.holder,
                self.options.lease_ttl_seconds,
                self.clock.now(),
            )
            record = self._timed(index, step, progress)
            progress.records.append(record)
            progress.weight = record.weight
            if record.gate:
                self._save(progress, index)
                return DeployResult.PAUSED, "stopped at a manual gate", None, None
            if record.status is StepStatus.FAILED:
                return self._failed(plan, progress, record)
            self._save(progress, index + 1, promoted=isinstance(step, Promote))
        progress.state = progress.state.ended(
            RolloutStatus.SUCCEEDED, weight=progress.weight, now=self.clock.now()
        )
        self.target.write_state(progress.state)
        return DeployResult.SUCCEEDED, "", None, None

    def _save(self, progress: _Progress, step_index: int, *, promoted: bool = False) -> None:
        progress.state = progress.state.advanced(
            step_index=step_index, weight=progress.weight, now=self.clock.now(), promoted=promoted
        )
        self.target.write_state(progress.state)

    def _failed(
        self, plan: Plan, progress: _Progress, record: StepRecord
    ) -> tuple[DeployResult, str, StepRecord | None, float | None]:
        reason = f"step {record.index + 1} ({record.step.kind.value}) failed: {record.detail}"
        if progress.state.promoted:
            # Past promotion the new version already serves 100 %: nothing to roll back.
            progress.state = progress.state.ended(
                RolloutStatus.SUCCEEDED, weight=progress.weight, now=self.clock.now()
            )
            self.target.write_state(progress.state)
            return DeployResult.SUCCEEDED, reason, None, None
        rollback, restored = self._rollback(plan.rollback, progress.state.revision, progress.weight)
        progress.weight = rollback.weight
        ok = rollback.status is StepStatus.PASSED
        progress.state = progress.state.ended(
            RolloutStatus.ROLLED_BACK if ok else RolloutStatus.FAILED,
            weight=progress.weight,
            now=self.clock.now(),
        )
        self.target.write_state(progress.state)
        if not ok:
            reason = f"{reason}; the rollback did not finish: {rollback.detail}"
        return (DeployResult.ROLLED_BACK if ok else DeployResult.FAILED), reason, rollback, restored

    def _rollback(
        self, rollback: Rollback, revision: int, weight: int
    ) -> tuple[StepRecord, float | None]:
        """Traffic to stable first, then the candidate away; timed from the decision.
        `weight` is the new version's share before it (kept if the rollback cannot move it)."""
        started = self._elapsed()
        restored = None
        app = self.options.app
        problem = ""
        try:
            if rollback.strategy is Strategy.DIRECT:
                problem = self._restore_in_place(rollback, revision)
                weight = weight if problem else 0
            else:
                weight = self.target.set_traffic(app, TrafficSplit.stable_only()).candidate_weight
                restored = None if weight else self._elapsed() - started
                if weight:
                    # Nothing ready on stable to take the traffic: keep the candidate serving.
                    problem = f"stable has no ready instance; {weight} % stays on the candidate"
                else:
                    self.target.remove(app, Track.CANDIDATE)
        except PavedError as exc:
            problem = str(exc)
        if problem:
            status = StepStatus.ERROR
        else:
            status = StepStatus.PASSED
            restored = self._elapsed() - started if restored is None else restored
        record = StepRecord(-1, rollback, status, started, self._elapsed() - started, weight)
        return (replace(record, detail=problem) if problem else record), restored

    def _restore_in_place(self, rollback: Rollback, revision: int) -> str:
        """Direct's rollback: the previous image in place again; '' when it is ready."""
        app = self.options.app
        if rollback.previous_image is None:
            self.target.remove(app, Track.STABLE)
            return ""
        self.target.apply(app, Track.STABLE, rollback.previous_image, rollback.replicas, revision)
        ready = self.target.wait_ready(app, Track.STABLE, rollback.timeout_seconds)
        return "" if ready.ok else f"the previous image is not ready again: {ready.detail}"

    def _wind_up(self, stale: RolloutState) -> StepRecord:
        """An interrupted rollout of another image: finish it if it was promoted, else roll it
        back, so the new rollout starts from one version serving 100 %."""
        log.info(
            f"an interrupted rollout of {stale.image} (revision {stale.revision}) is wound up first"
        )
        if stale.promoted:
            started = self._elapsed()
            self.target.retire(stale.app)
            record = StepRecord(
                -1, Finalize(), StepStatus.PASSED, started, self._elapsed() - started, 0
            )
            status = RolloutStatus.SUCCEEDED
        else:
            rollback = Rollback(
                Strategy(stale.strategy),
                stale.previous_image,
                stale.replicas,
                self.options.ready_timeout_seconds,
            )
            record, _ = self._rollback(rollback, stale.revision, stale.weight)
            status = RolloutStatus.ROLLED_BACK
        self.target.write_state(stale.ended(status, weight=record.weight, now=self.clock.now()))
        return record

    def _unchanged(
        self, description: str, state: RolloutState | None, view: TargetView
    ) -> DeployOutcome:
        return DeployOutcome(
            app=self.options.app,
            target=self.target.kind,
            target_description=description,
            requested_strategy=self.options.strategy.value,
            plan=None,
            revision=state.revision if state else 0,
            image=self.options.image,
            previous_image=state.previous_image if state else None,
            result=DeployResult.UNCHANGED,
            final_weight=view.traffic.candidate_weight,
            steps=(),
            rollback=None,
            resumed_from=None,
            superseded=None,
            left=view,
            started_at=self.clock.now(),
            seconds=self._elapsed(),
            reason=f"{self.options.image} is already live",
            holder=self.options.holder,
        )

    def _observe_quietly(self) -> TargetView | None:
        try:
            return self.target.observe(self.options.app)
        except PavedError as exc:
            log.warning(f"could not read what is left on the target: {exc}")
            return None

    def _timed(self, index: int, step: Step, progress: _Progress) -> StepRecord:
        started = self._elapsed()
        weight = progress.weight
        log.info(f"step {index + 1}: {step.kind.value}")
        try:
            done = self._execute(step, weight, progress.state.revision)
        except PavedError as exc:
            done = _Done(StepStatus.FAILED, weight, str(exc))
        return StepRecord(
            index=index,
            step=step,
            status=done.status,
            started=started,
            seconds=self._elapsed() - started,
            weight=done.weight,
            detail=done.detail,
            analysis=done.analysis,
            smoke=done.smoke,
            gate=done.gate,
            holds=done.holds,
        )

    def _execute(self, step: Step, weight: int, revision: int) -> _Done:  # noqa: C901, PLR0911, PLR0912 - one case per kind
        app = self.options.app
        target = self.target
        match step:
            case Apply(track=track, image=image, replicas=replicas):
                target.apply(app, track, image, replicas, revision)
                # In place (direct), the new version takes all traffic as it rolls out.
                return _Done(StepStatus.PASSED, 100 if track is Track.STABLE else weight)
            case Scale(track=track, replicas=replicas):
                target.scale(app, track, replicas)
                return _Done(StepStatus.PASSED, weight)
            case WaitReady(track=track, timeout_seconds=timeout):
                ready = target.wait_ready(app, track, timeout)
                if not ready.ok:
                    return _Done(
                        StepStatus.FAILED,
                        weight,
                        f"{ready.ready}/{ready.desired} ready after {ready.seconds:.1f} s"
                        + (f": {ready.detail}" if ready.detail else ""),
                    )
                live = target.observe(app).stable if track is Track.STABLE else None
                if live is not None and live.image != self.options.image:
                    return _Done(StepStatus.FAILED, weight, f"the target still runs {live.image}")
                return _Done(StepStatus.PASSED, weight)
            case Smoke(track=track):
                return self._smoke(track, weight)
            case SetWeight(split=split):
                return _Done(StepStatus.PASSED, target.set_traffic(app, split).candidate_weight)
            case Analyse(weight=at, window_seconds=window):
                return self._analyse(at, window, weight)
            case Pause(seconds=seconds, gate=gate):
                if gate and not self.options.approve_gates:
                    return _Done(StepStatus.SKIPPED, weight, "waiting for approval", gate=True)
                if seconds > 0:
                    self.clock.sleep(seconds)
                return _Done(StepStatus.PASSED, weight)
            case Promote(image=image, timeout_seconds=timeout):
                target.promote(app, image, timeout)
                return _Done(StepStatus.PASSED, 100)
            case Finalize():
                target.retire(app)
                return _Done(StepStatus.PASSED, weight)

    def _analyse(self, at: int, window: float, weight: int) -> _Done:
        """The analysis at `at` %; an inconclusive one holds the weight and looks again, up
        to hold_limit times, then fails the step: never a promotion without a verdict."""
        app = self.options.app
        request = AnalysisRequest(
            app,
            at,
            window,
            self.target.endpoint(app, Track.CANDIDATE),
            self.target.endpoint(app, Track.STABLE),
        )
        result = self.analysis.analyse(request)
        holds: list[AnalysisResult] = []
        while result.verdict is Verdict.INCONCLUSIVE and len(holds) < self.options.hold_limit:
            holds.append(result)
            log.info(
                f"analysis at {at} % inconclusive ({result.reason}): holding, hold {len(holds)}"
            )
            result = self.analysis.analyse(request)
        if result.passed:
            return _Done(StepStatus.PASSED, weight, analysis=result, holds=tuple(holds))
        detail = f"{result.verdict.value}: {result.reason}"
        if result.verdict is Verdict.INCONCLUSIVE:
            detail += f" (still after {len(holds)} holds at {at} %)"
        return _Done(StepStatus.FAILED, weight, detail, analysis=result, holds=tuple(holds))

    def _smoke(self, track: Track, weight: int) -> _Done:
        if not self.options.smoke_checks:
            return _Done(StepStatus.SKIPPED, weight, "no smoke checks configured")
        endpoint = self.target.endpoint(self.options.app, track)
        if endpoint is None:
            return _Done(StepStatus.SKIPPED, weight, f"the target has no endpoint for the {track}")
        results = tuple(
            judge(check, endpoint.get(check.path)) for check in self.options.smoke_checks
        )
        bad = [r for r in results if not r.ok]
        if bad:
            first = bad[0]
            detail = f"{first.check.path}: expected {first.expected}, got {first.got}"
            return _Done(StepStatus.FAILED, weight, detail, smoke=results)
        return _Done(StepStatus.PASSED, weight, smoke=results)
