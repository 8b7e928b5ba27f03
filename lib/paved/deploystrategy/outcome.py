"""What a rollout did, step by step, and what it left where: data for paved.report."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, assert_never

from paved.model import Result, StepStatus

if TYPE_CHECKING:
    from paved.adapters.deploy.interface import AnalysisResult, TargetView
    from paved.deploystrategy.plan import Plan, Rollback, Step
    from paved.deploystrategy.smoke import SmokeResult


class DeployResult(StrEnum):
    """How the rollout ended."""

    SUCCEEDED = "succeeded"
    """The new version serves 100 %."""
    UNCHANGED = "unchanged"
    """The image asked for was already live: nothing to do."""
    PAUSED = "paused"
    """Stopped at a manual gate; an approved re-run continues."""
    ROLLED_BACK = "rolled-back"
    """A step failed; the previous version serves 100 %."""
    FAILED = "failed"
    """A step failed and the rollback could not finish; `left` says what is where."""

    def to_result(self) -> Result:
        """The capability result (and so the exit code)."""
        if self in {DeployResult.SUCCEEDED, DeployResult.UNCHANGED, DeployResult.PAUSED}:
            return Result.PASSED
        if self is DeployResult.ROLLED_BACK:
            return Result.FAILED
        if self is DeployResult.FAILED:
            return Result.ERROR
        assert_never(self)


@dataclass(frozen=True)
class StepRecord:
    """One executed step."""

    index: int
    step: Step | Rollback
    status: StepStatus
    started: float
    """Seconds from the rollout's start."""
    seconds: float
    weight: int
    """The candidate's weight after the step."""
    detail: str = ""
    """Why it failed or was skipped (a target's words, a readiness detail), for the report."""
    analysis: AnalysisResult | None = None
    smoke: tuple[SmokeResult, ...] = ()
    gate: bool = False
    """It stopped at a manual gate."""
    holds: tuple[AnalysisResult, ...] = ()
    """Inconclusive analyses that held the weight before `analysis` (the last one)."""


@dataclass(frozen=True)
class DeployOutcome:
    """Everything paved.report needs about one rollout."""

    app: str
    target: str
    target_description: str
    requested_strategy: str
    plan: Plan | None
    """None when nothing was planned (unchanged)."""
    revision: int
    image: str
    previous_image: str | None
    result: DeployResult
    final_weight: int
    steps: tuple[StepRecord, ...]
    rollback: StepRecord | None
    """The rollback, when one ran."""
    resumed_from: int | None
    """The step a re-run resumed at, when it resumed an interrupted rollout."""
    superseded: StepRecord | None
    """How an abandoned rollout of another image was wound up before this one began."""
    left: TargetView | None
    """What the target shows at the end (None when it could not be read)."""
    started_at: float
    seconds: float
    reason: str = ""
    traffic_restored_seconds: float | None = None
    """Rollback decision -> all traffic on stable (the router call returned)."""
    holder: str = ""

    @property
    def deployment_id(self) -> str:
        """app-revision, stable across re-runs of one rollout."""
        return f"{self.app}-{self.revision}"
