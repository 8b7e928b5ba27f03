"""The default analysis until rollback-guard lands: readiness of the candidate + smoke checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.adapters.deploy.interface import (
    Analysis,
    AnalysisRequest,
    AnalysisResult,
    Measurement,
    Verdict,
)
from paved.deploystrategy.smoke import judge

if TYPE_CHECKING:
    from paved.adapters.deploy.interface import DeployTarget
    from paved.deploystrategy.clock import Clock
    from paved.deploystrategy.options import SmokeCheck

DEFAULT_INTERVAL = 1.0
"""Seconds between looks during a window."""


class ReadinessAndSmoke(Analysis):
    """PASS while every candidate instance stays ready and every smoke check answers as
    expected, for the whole window; FAIL at the first look that is not; INCONCLUSIVE when
    there is no candidate to look at."""

    def __init__(
        self,
        target: DeployTarget,
        checks: tuple[SmokeCheck, ...],
        clock: Clock,
        *,
        interval: float = DEFAULT_INTERVAL,
    ) -> None:
        self.target = target
        self.checks = checks
        self.clock = clock
        self.interval = interval

    def analyse(self, request: AnalysisRequest) -> AnalysisResult:
        started = self.clock.monotonic()
        deadline = started + request.window_seconds
        looks = 0
        while True:
            looks += 1
            failed = self._look(request)
            if failed is not None:
                return AnalysisResult(
                    failed.verdict,
                    failed.measurements,
                    failed.reason,
                    self.clock.monotonic() - started,
                )
            left = deadline - self.clock.monotonic()
            if left <= 0:
                break
            self.clock.sleep(min(self.interval, left))
        return AnalysisResult(
            Verdict.PASS,
            (Measurement("looks", float(looks), ">= 1"),),
            seconds=self.clock.monotonic() - started,
        )

    def _look(self, request: AnalysisRequest) -> AnalysisResult | None:
        candidate = self.target.observe(request.app).candidate
        if candidate is None:
            return AnalysisResult(Verdict.INCONCLUSIVE, reason="no candidate is running")
        ready = Measurement(
            "ready instances",
            float(candidate.ready_replicas),
            f">= {candidate.replicas}",
            ok=candidate.ready_replicas >= candidate.replicas,
        )
        if not ready.ok:
            return AnalysisResult(Verdict.FAIL, (ready,), "candidate instances are not ready")
        if request.candidate is None:
            return None
        for check in self.checks:
            verdict = judge(check, request.candidate.get(check.path))
            if not verdict.ok:
                smoke = Measurement(f"smoke {check.path}", None, verdict.expected, ok=False)
                return AnalysisResult(
                    Verdict.FAIL, (ready, smoke), f"smoke {check.path}: got {verdict.got}"
                )
        return None
