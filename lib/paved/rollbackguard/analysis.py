"""The analysis loop: look at every metric each interval, count, stop at a limit, and record
everything. Pure apart from the injected source and clock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from paved.errors import EnvironmentProblemError
from paved.rollbackguard.classify import (
    advance,
    classify,
    early_ending,
    failed_reading,
    final_ending,
    look_outcome,
)
from paved.rollbackguard.mannwhitney import judge
from paved.rollbackguard.record import (
    DecisionRecord,
    Ending,
    Look,
    Outcome,
    Reading,
    Reason,
    Tally,
    Verdict,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from paved.rollbackguard.clock import Clock
    from paved.rollbackguard.mannwhitney import Judgement, MannWhitneyJudge
    from paved.rollbackguard.metric import MetricCheck
    from paved.rollbackguard.policy import AnalysisPolicy
    from paved.rollbackguard.source import ObservationSource


@dataclass(frozen=True)
class AnalysisSpec:
    """What to analyse and how."""

    app: str
    checks: tuple[MetricCheck, ...]
    policy: AnalysisPolicy
    judges: tuple[MannWhitneyJudge, ...] = ()


def _read(
    check: MetricCheck, source: ObservationSource, policy: AnalysisPolicy, at: float
) -> Reading:
    try:
        observation = source.observe(check, policy.window_seconds, at)
    except EnvironmentProblemError as exc:
        return failed_reading(check, str(exc))
    return classify(check, observation, policy)


def _samples(looks: tuple[Look, ...], check: str) -> tuple[list[float], list[float]]:
    """The candidate's and stable's values of `check` over the looks, where both exist."""
    candidate: list[float] = []
    stable: list[float] = []
    for look in looks:
        for reading in look.readings:
            if reading.check == check and reading.candidate is not None:
                candidate.append(reading.candidate)
                if reading.stable is not None:
                    stable.append(reading.stable)
    return candidate, stable


def _judged(
    spec: AnalysisSpec, looks: tuple[Look, ...], ending: Ending
) -> tuple[Ending, tuple[Judgement, ...]]:
    """Run the judges on a passing analysis; any FAIL (or HOLD: no samples) overrides it."""
    if ending.verdict is not Verdict.PASS or not spec.judges:
        return ending, ()
    by_name = {check.name: check for check in spec.checks}
    judgements = tuple(
        judge(config, by_name[config.check].threshold.comparison, *_samples(looks, config.check))
        for config in spec.judges
        if config.check in by_name
    )
    for judgement in judgements:
        if judgement.verdict is Verdict.FAIL:
            return Ending(Verdict.FAIL, Reason.JUDGE, judgement.check), judgements
    for judgement in judgements:
        if judgement.verdict is Verdict.HOLD:
            return Ending(Verdict.HOLD, Reason.NOT_ENOUGH_PASSES, judgement.check), judgements
    return ending, judgements


def run_analysis(
    spec: AnalysisSpec,
    source: ObservationSource,
    clock: Clock,
    *,
    looks: int | None = None,
    on_look: Callable[[Look], None] | None = None,
) -> DecisionRecord:
    """Look up to `looks` times (the policy's count by default), one interval apart, and
    decide. `on_look` sees each look as it is taken (the standalone run prints it)."""
    policy = spec.policy
    count = looks if looks is not None else policy.looks
    started_at = clock.now()
    started = clock.monotonic()
    tally = Tally()
    taken: list[Look] = []
    ending: Ending | None = None
    for index in range(count):
        due = started + index * policy.interval_seconds
        wait = due - clock.monotonic()
        if wait > 0:
            clock.sleep(wait)
        readings = tuple(_read(check, source, policy, clock.now()) for check in spec.checks)
        outcome = look_outcome(readings)
        tally = advance(tally, outcome)
        look = Look(index + 1, clock.monotonic() - started, outcome, readings, tally)
        taken.append(look)
        if on_look is not None:
            on_look(look)
        ending = early_ending(tally, policy, readings)
        if ending is None and policy.pass_early and outcome is Outcome.PASS:
            ending = (
                Ending(Verdict.PASS, Reason.PASSED)
                if tally.passes >= policy.required_passes
                else None
            )
        if ending is not None:
            break
    recorded = tuple(taken)
    if ending is None:
        last = recorded[-1].outcome if recorded else Outcome.NO_DATA
        ending = final_ending(tally, last, policy)
    ending, judgements = _judged(spec, recorded, ending)
    return DecisionRecord(
        app=spec.app,
        policy=policy,
        checks=spec.checks,
        looks=recorded,
        ending=ending,
        started_at=started_at,
        seconds=clock.monotonic() - started,
        judgements=judgements,
    )
