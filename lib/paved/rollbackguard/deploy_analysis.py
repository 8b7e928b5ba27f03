"""rollback-guard as deploy-strategy's `Analysis`: between canary steps and during the
blue-green bake window, the metric analysis decides whether the rollout goes on."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, assert_never

from paved.adapters.deploy.interface import Analysis, AnalysisResult, Measurement
from paved.adapters.deploy.interface import Verdict as DeployVerdict
from paved.rollbackguard.analysis import run_analysis
from paved.rollbackguard.record import Outcome, Verdict

if TYPE_CHECKING:
    from collections.abc import Callable

    from paved.adapters.deploy.interface import AnalysisRequest
    from paved.rollbackguard.analysis import AnalysisSpec
    from paved.rollbackguard.clock import Clock
    from paved.rollbackguard.record import DecisionRecord
    from paved.rollbackguard.source import ObservationSource


def deploy_verdict(verdict: Verdict) -> DeployVerdict:
    """HOLD is deploy-strategy's INCONCLUSIVE (which it never promotes)."""
    if verdict is Verdict.PASS:
        return DeployVerdict.PASS
    if verdict is Verdict.FAIL:
        return DeployVerdict.FAIL
    if verdict is Verdict.HOLD:
        return DeployVerdict.INCONCLUSIVE
    assert_never(verdict)


def measurements(record: DecisionRecord) -> tuple[Measurement, ...]:
    """The last look's readings in the deploy interface's shape."""
    last = record.last_look
    if last is None:
        return ()
    thresholds = {check.name: check.threshold.expression for check in record.checks}
    return tuple(
        Measurement(r.check, r.candidate, thresholds[r.check], ok=r.outcome is Outcome.PASS)
        for r in last.readings
    )


class MetricAnalysis(Analysis):
    """Looks once per interval for the request's window (at least one look); every record
    goes to `on_record` so the front end can write it out."""

    def __init__(
        self,
        spec: AnalysisSpec,
        source: ObservationSource,
        clock: Clock,
        *,
        on_record: Callable[[DecisionRecord], None] | None = None,
    ) -> None:
        self.spec = spec
        self.source = source
        self.clock = clock
        self.on_record = on_record

    def analyse(self, request: AnalysisRequest) -> AnalysisResult:
        spec = replace(self.spec, app=request.app)
        looks = spec.policy.looks_for(request.window_seconds)
        record = run_analysis(spec, self.source, self.clock, looks=looks)
        if self.on_record is not None:
            self.on_record(record)
        return AnalysisResult(
            deploy_verdict(record.verdict),
            measurements(record),
            reason=record.ending.reason.value
            + (f": {record.ending.check}" if record.ending.check else ""),
            seconds=record.seconds,
            extra={"looks": str(len(record.looks)), "weight": str(request.weight)},
        )
