"""rollback-guard's decision record in words: JSON, a summary table, a timeline, the reason."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, assert_never

from paved.model import Result
from paved.report.markdown import table
from paved.report.outcome_json import assemble, dump
from paved.rollbackguard.metric import Unit
from paved.rollbackguard.record import Outcome, Reason, Verdict

if TYPE_CHECKING:
    from paved.model import Rendered
    from paved.rollbackguard.guard import GuardResult
    from paved.rollbackguard.mannwhitney import Judgement
    from paved.rollbackguard.metric import MetricCheck
    from paved.rollbackguard.record import DecisionRecord, Look, Reading

CAPABILITY = "rollback-guard"


def _number(value: float | None) -> float | None:
    """JSON has no NaN or infinity: they are recorded as null."""
    return value if value is not None and math.isfinite(value) else None


def figure(value: float | None, unit: Unit) -> str:
    """A value as a person reads it: 4.2 %, 231 ms, 96.1 MB, 120."""
    if value is None or not math.isfinite(value):
        return "no data"
    if unit is Unit.RATIO:
        return f"{value * 100:.2f} %"
    if unit is Unit.SECONDS:
        return f"{value * 1000:.1f} ms"
    if unit is Unit.BYTES:
        return f"{value / (1024 * 1024):.1f} MB"
    if unit is Unit.COUNT:
        return f"{value:g}"
    assert_never(unit)


def _reading_fields(reading: Reading) -> dict[str, object]:
    return {
        "check": reading.check,
        "outcome": reading.outcome.value,
        "reason": reading.reason.value,
        "candidate": _number(reading.candidate),
        "stable": _number(reading.stable),
        "bound": _number(reading.bound),
        "requests": _number(reading.requests),
        "detail": reading.detail,
    }


def _check_fields(check: MetricCheck) -> dict[str, object]:
    return {
        "name": check.name,
        "query": check.query,
        "requests": check.requests,
        "threshold": check.threshold.expression,
        "unit": check.unit.value,
    }


def _judgement_fields(judgement: Judgement) -> dict[str, object]:
    result = judgement.result
    return {
        "check": judgement.check,
        "verdict": judgement.verdict.value,
        "alpha": judgement.alpha,
        "u_candidate": result.u_candidate if result else None,
        "z": result.z if result else None,
        "p_value": result.p_value if result else None,
        "n_candidate": result.n_candidate if result else 0,
        "n_stable": result.n_stable if result else 0,
        "small_sample": result.small_sample if result else True,
    }


def record_fields(record: DecisionRecord) -> dict[str, object]:
    """Every field of the record, for the JSON document."""
    policy = record.policy
    return {
        "app": record.app,
        "verdict": record.verdict.value,
        "reason": record.ending.reason.value,
        "reason_text": reason_text(record),
        "decided_by": record.ending.check,
        "started_at": record.started_at,
        "seconds": round(record.seconds, 3),
        "policy": {
            "interval_seconds": policy.interval_seconds,
            "window_seconds": policy.window_seconds,
            "looks": policy.looks,
            "failure_limit": policy.failure_limit,
            "consecutive_error_limit": policy.consecutive_error_limit,
            "no_data_limit": policy.no_data_limit,
            "min_requests": policy.min_requests,
            "required_passes": policy.required_passes,
            "on_inconclusive": policy.on_inconclusive.value,
        },
        "checks": [_check_fields(c) for c in record.checks],
        "looks": [
            {
                "index": look.index,
                "at_seconds": round(look.at_seconds, 3),
                "outcome": look.outcome.value,
                "failures": look.tally.failures,
                "consecutive_errors": look.tally.consecutive_errors,
                "consecutive_no_data": look.tally.consecutive_no_data,
                "readings": [_reading_fields(r) for r in look.readings],
            }
            for look in record.looks
        ],
        "judgements": [_judgement_fields(j) for j in record.judgements],
        "warnings": warnings(record),
    }


def record_json(record: DecisionRecord) -> str:
    """The decision record as a schema-versioned JSON document."""
    return dump(CAPABILITY, record_fields(record))


def warnings(record: DecisionRecord) -> list[str]:
    """What the reader should distrust: judgements on small samples."""
    return [
        f"{j.check}: the Mann-Whitney judgement rests on {j.result.n_candidate} candidate and "
        f"{j.result.n_stable} stable values; below 50 per side it is weak"
        for j in record.judgements
        if j.result is not None and j.result.small_sample
    ]


def _units(record: DecisionRecord) -> dict[str, Unit]:
    return {check.name: check.unit for check in record.checks}


def reading_text(reading: Reading, unit: Unit) -> str:
    """One reading in a few words."""
    value = figure(reading.candidate, unit)
    if reading.reason is Reason.BACKEND_ERROR:
        return f"backend error: {reading.detail}"
    if reading.reason is Reason.TOO_FEW_REQUESTS:
        return f"too few requests ({figure(reading.requests, Unit.COUNT)})"
    if reading.reason is Reason.NO_STABLE:
        return f"{value}, no stable value to compare with"
    if reading.reason is Reason.NO_SERIES:
        return "no data"
    relation = "within" if reading.outcome is Outcome.PASS else "breaches"
    return f"{value} {relation} {figure(reading.bound, unit)}"


def reason_text(record: DecisionRecord) -> str:  # noqa: PLR0911 - one sentence per reason
    """Why the analysis ended as it did, with the figures that decided it."""
    ending = record.ending
    policy = record.policy
    last = record.last_look
    decisive = None
    if last is not None and ending.check is not None:
        decisive = next((r for r in last.readings if r.check == ending.check), None)
    units = _units(record)
    detail = (
        f" ({ending.check}: {reading_text(decisive, units[decisive.check])})"
        if decisive is not None
        else ""
    )
    reason = ending.reason
    if reason is Reason.PASSED:
        passes = last.tally.passes if last else 0
        return f"{passes} of {len(record.looks)} looks passed, the last one included"
    if reason is Reason.FAILURE_LIMIT:
        return f"a threshold was breached on more than {policy.failure_limit} looks{detail}"
    if reason is Reason.ERROR_LIMIT:
        message = ""
        if last is not None:
            message = next((f": {r.detail}" for r in last.readings if r.detail), "")
        return (
            f"the metrics backend failed more than {policy.consecutive_error_limit} looks in a "
            f"row{message}; no verdict without data ({policy.on_inconclusive.value})"
        )
    if reason is Reason.NO_DATA_LIMIT:
        return (
            f"no data (or fewer than {policy.min_requests} requests) on more than "
            f"{policy.no_data_limit} looks in a row{detail}; never a pass without data "
            f"({policy.on_inconclusive.value})"
        )
    if reason is Reason.NOT_ENOUGH_PASSES:
        return f"{_ended_on(record)}; never a pass without data ({policy.on_inconclusive.value})"
    if reason is Reason.JUDGE:
        judgement = next((j for j in record.judgements if j.check == ending.check), None)
        p_value = judgement.result.p_value if judgement and judgement.result else math.nan
        return f"{ending.check} is significantly worse than stable (Mann-Whitney p={p_value:.4f})"
    return reason.value


def _ended_on(record: DecisionRecord) -> str:
    """Why looks that ran out did not make a pass."""
    last = record.last_look
    needed = record.policy.required_passes
    if last is None:
        return "no look was taken"
    if last.outcome is Outcome.ERROR:
        detail = next((r.detail for r in last.readings if r.detail), "")
        return f"the last look got no answer from the metrics backend ({detail})"
    if last.outcome is Outcome.NO_DATA:
        return "the last look had no data (or too few requests)"
    return f"{last.tally.passes} of the {needed} passing looks a pass needs"


def summary_table(record: DecisionRecord) -> str:
    """A markdown table: one row per look, one column per metric."""
    units = _units(record)
    names = [check.name for check in record.checks]
    rows = [
        [
            look.index,
            f"{look.at_seconds:.1f} s",
            look.outcome.value,
            *(
                reading_text(r, units[r.check])
                for name in names
                for r in look.readings
                if r.check == name
            ),
        ]
        for look in record.looks
    ]
    heading = (
        f"**rollback-guard: {record.verdict.value}** for {record.app}: {reason_text(record)}\n\n"
    )
    return heading + table(["look", "at", "outcome", *names], rows, align="rrl")


def timeline_line(look: Look, units: dict[str, Unit]) -> str:
    """One look as one console line."""
    details = {r.detail for r in look.readings}
    if (
        look.outcome is Outcome.ERROR
        and len(details) == 1
        and all(r.outcome is Outcome.ERROR for r in look.readings)
    ):
        parts = f"backend error: {details.pop()}"
    else:
        parts = "; ".join(f"{r.check} {reading_text(r, units[r.check])}" for r in look.readings)
    return f"+{look.at_seconds:6.1f} s  look {look.index:>3}  {look.outcome.value:<8} {parts}"


def timeline(record: DecisionRecord) -> str:
    """Every look, one line each, then the verdict."""
    units = _units(record)
    lines = [timeline_line(look, units) for look in record.looks]
    lines.append(f"+{record.seconds:6.1f} s  verdict {record.verdict.value}: {reason_text(record)}")
    return "\n".join(lines) + "\n"


def result_of(record: DecisionRecord) -> Result:
    """PASSED only on a pass; ERROR when the backend never answered a single look (an
    environment problem, exit 3); FAILED for a fail or a hold (exit 1: not promoted)."""
    if record.verdict is Verdict.PASS:
        return Result.PASSED
    if record.looks and all(look.outcome is Outcome.ERROR for look in record.looks):
        return Result.ERROR
    return Result.FAILED


def outcome_fields(
    record: DecisionRecord, record_path: str, guarded: GuardResult | None = None
) -> dict[str, object]:
    """The outcome document: the result, then the whole decision record (and, for the
    standalone guard, what it did on the target)."""
    fields: dict[str, object] = {
        "result": result_of(record).value,
        **record_fields(record),
        "rolled_back": guarded is not None and guarded.rolled_back,
        "record_path": record_path,
    }
    if guarded is not None:
        rollback = guarded.rollback
        fields["rollout"] = {
            "target": guarded.target,
            "candidate_image": guarded.candidate_image,
            "stable_image": guarded.stable_image,
            "traffic_seconds": None if rollback is None else round(rollback.traffic_seconds, 3),
            "candidate_removed": None if rollback is None else rollback.candidate_removed,
            "detail": "" if rollback is None else rollback.detail,
        }
    return fields


def action_text(guarded: GuardResult) -> str:
    """What the guard did on the target, in one sentence."""
    rollback = guarded.rollback
    if rollback is None:
        return f"left {guarded.candidate_image} as it is on the {guarded.target} target"
    moved = f"all traffic back on {guarded.stable_image} in {rollback.traffic_seconds:.2f} s"
    if rollback.candidate_removed:
        return f"rolled back: {moved}, {guarded.candidate_image} removed, rollout recorded"
    return f"rolled back: {moved}; the candidate stays: {rollback.detail}"


def render_guarded(guarded: GuardResult, record_path: str) -> Rendered:
    """The standalone guard's outcome: the analysis, and the rollback it executed."""
    record = guarded.record
    verdict = f"rollback-guard: {record.verdict.value} for {record.app}: {reason_text(record)}"
    action = action_text(guarded)
    return assemble(
        CAPABILITY,
        result_of(record),
        outcome_fields(record, record_path, guarded),
        summary=f"{summary_table(record)}\n\n{action}\n",
        console=f"{verdict}\n{action}\ndecision record: {record_path}\n",
    )


def render(record: DecisionRecord, record_path: str) -> Rendered:
    """Everything a front end shows for one analysis; the JSON document is the record file."""
    verdict = f"rollback-guard: {record.verdict.value} for {record.app}: {reason_text(record)}"
    return assemble(
        CAPABILITY,
        result_of(record),
        outcome_fields(record, record_path),
        summary=summary_table(record) + "\n",
        console=f"{verdict}\ndecision record: {record_path}\n",
    )


def render_demo(exit_code: int, seconds: float) -> Rendered:
    """The demo's outcome: it printed its own story; this says how it ended."""
    result = Result.PASSED if exit_code == 0 else Result.FAILED if exit_code == 1 else Result.ERROR
    words = {Result.PASSED: "the bad canary was rolled back, the healthy one passed"}
    text = words.get(result, f"the demo ended with exit code {exit_code}")
    return assemble(
        CAPABILITY,
        result,
        {"result": result.value, "demo_exit_code": exit_code, "seconds": round(seconds, 3)},
        summary=f"**rollback-guard demo: {result.value}**: {text}\n",
        console=f"rollback-guard demo: {text} ({seconds:.0f} s)\n",
    )
