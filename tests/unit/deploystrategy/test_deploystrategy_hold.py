"""Hold vs fail: an inconclusive analysis holds the weight and looks again, a bounded number
of times, then fails the step by policy (rolled back, never promoted)."""

from __future__ import annotations

import json

from deploystrategy_support import FakeClock, FakeTarget
from paved.adapters.deploy.interface import (
    Analysis,
    AnalysisRequest,
    AnalysisResult,
    Measurement,
    Track,
    Verdict,
)
from paved.deploystrategy.core import Rollout
from paved.deploystrategy.options import DeployOptions, Strategy, canary_steps
from paved.deploystrategy.outcome import DeployResult
from paved.report.deploystrategy import outcome_fields, render


class VerdictsInTurn(Analysis):
    """Answers the verdicts it was given, one per call (then PASS), each after its window."""

    def __init__(self, clock: FakeClock, verdicts: dict[int, list[Verdict]]) -> None:
        self.clock = clock
        self.verdicts = verdicts
        self.requests: list[AnalysisRequest] = []

    def analyse(self, request: AnalysisRequest) -> AnalysisResult:
        self.requests.append(request)
        self.clock.sleep(request.window_seconds)
        queue = self.verdicts.get(request.weight, [])
        verdict = queue.pop(0) if queue else Verdict.PASS
        reason = {Verdict.INCONCLUSIVE: "no-data: error-rate", Verdict.FAIL: "threshold"}.get(
            verdict, ""
        )
        figure = Measurement(
            "error-rate", None if verdict is Verdict.INCONCLUSIVE else 0.01, "<= 0.05"
        )
        return AnalysisResult(verdict, (figure,), reason, seconds=request.window_seconds)


def run(verdicts, *, hold_limit=2):
    clock = FakeClock()
    target = FakeTarget(clock)
    target.serve("app:1", replicas=2)
    options = DeployOptions(
        "app",
        "app:2",
        Strategy.CANARY,
        canary_steps((10, 50, 100), 30.0),
        smoke_checks=(),
        holder="run-1",
        hold_limit=hold_limit,
    )
    analysis = VerdictsInTurn(clock, verdicts)
    return (
        Rollout(options, target, analysis, clock.clock()).run(),
        analysis,
        target,
    )


def test_an_inconclusive_look_holds_the_weight_and_a_later_pass_goes_on():
    outcome, analysis, target = run({10: [Verdict.INCONCLUSIVE]})
    assert outcome.result is DeployResult.SUCCEEDED
    assert [r.weight for r in analysis.requests] == [10, 10, 50, 100]
    [held] = [s for s in outcome.steps if s.holds]
    assert held.step.weight == 10
    assert len(held.holds) == 1
    assert held.analysis.verdict is Verdict.PASS
    assert target.tracks[Track.STABLE].image == "app:2"


def test_inconclusive_past_the_hold_limit_fails_and_rolls_back_never_promoting():
    outcome, analysis, target = run({50: [Verdict.INCONCLUSIVE] * 5}, hold_limit=2)
    assert outcome.result is DeployResult.ROLLED_BACK
    assert [r.weight for r in analysis.requests] == [10, 50, 50, 50]
    assert "inconclusive: no-data: error-rate (still after 2 holds at 50 %)" in outcome.reason
    assert outcome.final_weight == 0
    assert target.tracks[Track.STABLE].image == "app:1"
    assert Track.CANDIDATE not in target.tracks


def test_hold_limit_zero_fails_at_the_first_inconclusive_look():
    outcome, analysis, _ = run({10: [Verdict.INCONCLUSIVE]}, hold_limit=0)
    assert outcome.result is DeployResult.ROLLED_BACK
    assert [r.weight for r in analysis.requests] == [10]


def test_a_fail_is_never_held():
    outcome, analysis, _ = run({10: [Verdict.FAIL]})
    assert outcome.result is DeployResult.ROLLED_BACK
    assert [r.weight for r in analysis.requests] == [10]


def test_the_holds_and_their_figures_are_in_the_outcome_and_the_summary():
    outcome, _, _ = run({10: [Verdict.INCONCLUSIVE, Verdict.INCONCLUSIVE]})
    fields = outcome_fields(outcome, "production")
    [step] = [s for s in fields["steps"] if s["holds"]]
    assert [h["reason"] for h in step["holds"]] == ["no-data: error-rate"] * 2
    assert step["holds"][0]["measurements"] == [
        {"name": "error-rate", "value": None, "threshold": "<= 0.05", "ok": True}
    ]
    assert step["measurements"][0]["value"] == 0.01
    rendered = render(outcome, "production")
    assert (
        "held 2x (no-data: error-rate); pass: error-rate 0.01 (&lt;= 0.05)"
        in rendered.summary_markdown
    )
    json.loads(rendered.json_document)
