"""deploy-strategy as text: timeline summary (Mermaid), console, JSON outcome, deploy record."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, assert_never

from paved.adapters.github.interface import DeploymentState
from paved.deploystrategy.outcome import DeployResult
from paved.deploystrategy.plan import (
    Analyse,
    Apply,
    Finalize,
    Pause,
    Promote,
    Rollback,
    Scale,
    SetWeight,
    Smoke,
    WaitReady,
)
from paved.model import Annotation, Level, Rendered, Result
from paved.report import markdown as md
from paved.report.outcome_json import RESULT_ICON, assemble

if TYPE_CHECKING:
    from paved.adapters.deploy.interface import Measurement, TargetView, Workload
    from paved.deploystrategy.github_deployment import PublishedDeployment
    from paved.deploystrategy.outcome import DeployOutcome, StepRecord
    from paved.deploystrategy.plan import Plan, Step

CAPABILITY = "deploy-strategy"
RECORD_SCHEMA = "paved/deploy-record/v1"
_STATUS_ICON = {"passed": "✅", "failed": "❌", "skipped": "⏭️", "error": "⚠️"}


def describe(step: Step | Rollback) -> str:  # noqa: C901, PLR0911 - one sentence per kind
    """One step in a few words."""
    match step:
        case Apply(track=track, image=image, replicas=replicas):
            return f"run {image} x{replicas} as {track}"
        case Scale(track=track, replicas=replicas):
            return f"scale {track} to {replicas}"
        case WaitReady(track=track, timeout_seconds=timeout):
            return f"wait until {track} is ready (up to {timeout:g} s)"
        case Smoke(track=track):
            return f"smoke checks against {track}"
        case SetWeight(split=split):
            return f"traffic {split.candidate_weight} % to candidate"
        case Analyse(weight=weight, window_seconds=window):
            return f"analyse at {weight} % for {window:g} s"
        case Pause(seconds=seconds, gate=gate):
            return "manual gate: wait for approval" if gate else f"pause {seconds:g} s"
        case Promote(image=image):
            return f"promote {image} to stable"
        case Finalize():
            return "retire the previous version"
        case Rollback(previous_image=previous):
            return f"roll back: all traffic to {previous or 'nothing'}, candidate removed"
        case _:
            assert_never(step)


def _workload(workload: Workload | None) -> dict[str, object] | None:
    if workload is None:
        return None
    return {
        "image": workload.image,
        "replicas": workload.replicas,
        "ready_replicas": workload.ready_replicas,
        "revision": workload.revision,
    }


def _left(view: TargetView | None) -> dict[str, object] | None:
    if view is None:
        return None
    return {
        "stable": _workload(view.stable),
        "candidate": _workload(view.candidate),
        "candidate_weight": view.traffic.candidate_weight,
    }


def _measurement(measurement: Measurement) -> dict[str, object]:
    return {
        "name": measurement.name,
        "value": measurement.value,
        "threshold": measurement.threshold,
        "ok": measurement.ok,
    }


def _detail(record: StepRecord) -> str:
    """What the timeline says about a step: its words, else its verdict and figures."""
    holds = f"held {len(record.holds)}x ({record.holds[-1].reason}); " if record.holds else ""
    if record.detail:
        return holds + record.detail
    analysis = record.analysis
    if analysis is None:
        return holds
    figures = ", ".join(
        f"{m.name} {m.value:g} ({m.threshold})"
        for m in analysis.measurements
        if m.value is not None
    )
    return holds + analysis.verdict.value + (f": {figures}" if figures else "")


def _step(record: StepRecord) -> dict[str, object]:
    analysis = record.analysis
    return {
        "index": record.index,
        "kind": record.step.kind.value,
        "what": describe(record.step),
        "status": record.status.value,
        "started_seconds": round(record.started, 3),
        "seconds": round(record.seconds, 3),
        "weight": record.weight,
        "detail": record.detail,
        "verdict": analysis.verdict.value if analysis else None,
        "measurements": [_measurement(m) for m in analysis.measurements] if analysis else [],
        "holds": [
            {
                "reason": h.reason,
                "seconds": round(h.seconds, 3),
                "measurements": [_measurement(m) for m in h.measurements],
            }
            for h in record.holds
        ],
        "smoke": [
            {
                "path": s.check.path,
                "url": s.url,
                "ok": s.ok,
                "status": s.status,
                "expected": s.expected,
                "got": s.got,
            }
            for s in record.smoke
        ],
    }


def outcome_fields(
    outcome: DeployOutcome, environment: str, github: PublishedDeployment | None = None
) -> dict[str, object]:
    """The JSON outcome's fields; the top-level scalars are also the action's outputs."""
    plan = outcome.plan
    return {
        "result": outcome.result.to_result().value,
        "status": outcome.result.value,
        "app": outcome.app,
        "environment": environment,
        "target": outcome.target,
        "strategy": plan.strategy.value if plan else outcome.requested_strategy,
        "deployment_id": outcome.deployment_id,
        "github_deployment_id": github.id if github else None,
        "revision": outcome.revision,
        "image": outcome.image,
        "previous_image": outcome.previous_image,
        "final_weight": outcome.final_weight,
        "resumed_from_step": None if outcome.resumed_from is None else outcome.resumed_from + 1,
        "seconds": round(outcome.seconds, 3),
        "traffic_restored_seconds": (
            None
            if outcome.traffic_restored_seconds is None
            else round(outcome.traffic_restored_seconds, 4)
        ),
        "reason": outcome.reason,
        "holder": outcome.holder,
        "target_description": outcome.target_description,
        "steps": [_step(r) for r in outcome.steps],
        # Objects even when absent ({}), so the action's outputs stay the scalars above.
        "rollback": _step(outcome.rollback) if outcome.rollback else {},
        "superseded": _step(outcome.superseded) if outcome.superseded else {},
        "left": _left(outcome.left) or {},
        "plan": [describe(s) for s in plan.steps] if plan else [],
        "github_deployment": _github_fields(github),
    }


def _github_fields(github: PublishedDeployment | None) -> dict[str, object]:
    if github is None:
        return {}
    return {
        "id": github.id,
        "resumed": github.resumed,
        "states": [state.value for state in github.states],
        "unposted_state": github.failed_state.value if github.failed_state else None,
        "problem": github.problem,
    }


def deployment_description(app: str, image: str, strategy: str) -> str:
    """The GitHub Deployment's description (GitHub keeps 140 characters)."""
    return f"paved {strategy} of {app}: {image}"


def status_description(state: DeploymentState, outcome: DeployOutcome | None = None) -> str:
    """A GitHub deployment status's description, for the environments page."""
    if outcome is None:
        if state is DeploymentState.IN_PROGRESS:
            return "paved is rolling out"
        return "paved stopped on an error before the rollout ended"
    words = {
        "succeeded": f"live: 100 % on {outcome.image}",
        "unchanged": f"already live: {outcome.image}",
        "paused": f"waiting for approval at {outcome.final_weight} %",
        "rolled-back": f"rolled back to {outcome.previous_image or 'nothing'}",
        "failed": f"rollback incomplete: {outcome.final_weight} % on the new version",
    }[outcome.result.value]
    if outcome.reason and state is not DeploymentState.SUCCESS:
        return f"{words} ({outcome.reason})"
    return words


def _github_line(github: PublishedDeployment | None, *, markdown: bool) -> str:
    if github is None:
        return ""
    states = " → ".join(state.value for state in github.states) or "none"
    name = f"GitHub Deployment {github.id}"
    how = "continued" if github.resumed else "created"
    if github.failed_state is None:
        return f"{name} ({how}): {states}."
    text = (
        f"WARNING: {name} ({how}): the status {github.failed_state.value} could not be "
        f"posted ({github.problem}); GitHub still shows {states.rsplit(' → ', 1)[-1]}. "
        "The rollout's own result and exit code stand."
    )
    return f"> [!WARNING]\n> {md.escape_text(text)}" if markdown else text


def _timeline(outcome: DeployOutcome) -> str:
    records = [*outcome.steps, *([outcome.rollback] if outcome.rollback else [])]
    rows = [
        [
            "↩" if r.index < 0 else r.index + 1,
            f"{_STATUS_ICON[r.status.value]} {r.step.kind.value}",
            describe(r.step),
            f"{r.weight} %",
            md.seconds(r.started),
            md.seconds(r.seconds),
            _detail(r),
        ]
        for r in records
    ]
    return md.table(["#", "step", "what", "new version", "at", "took", "detail"], rows, "rllrrrl")


def _weight_chart(outcome: DeployOutcome) -> str:
    """The new version's share of traffic after each step: where a canary reads best."""
    records = [*outcome.steps, *([outcome.rollback] if outcome.rollback else [])]
    if len(records) < 2:  # noqa: PLR2004 - a line needs two points
        return ""
    labels = ", ".join(f'"{"rb" if r.index < 0 else r.index + 1}"' for r in records)
    weights = ", ".join(str(r.weight) for r in records)
    return (
        "```mermaid\nxychart-beta\n"
        '    title "Traffic on the new version after each step (%)"\n'
        f"    x-axis [{labels}]\n"
        '    y-axis "percent" 0 --> 100\n'
        f"    line [{weights}]\n```"
    )


def _where(outcome: DeployOutcome) -> str:
    left = outcome.left
    if left is None:
        return "What is left on the target could not be read."
    parts = []
    for name, workload in (("stable", left.stable), ("candidate", left.candidate)):
        if workload is not None:
            parts.append(
                f"{name}: {md.code(workload.image)} "
                f"{workload.ready_replicas}/{workload.replicas} ready"
            )
    split = left.traffic
    parts.append(f"traffic: {split.stable_weight} % stable, {split.candidate_weight} % candidate")
    return "Left on the target: " + "; ".join(parts) + "."


def summary(
    outcome: DeployOutcome, environment: str, github: PublishedDeployment | None = None
) -> str:
    """The job summary in GitHub-flavoured markdown."""
    result = outcome.result.to_result().value
    plan = outcome.plan
    strategy = plan.strategy.value if plan else outcome.requested_strategy
    heading = (
        f"## {RESULT_ICON[result]} deploy-strategy {outcome.result.value}: "
        f"{md.code(outcome.app)} to {md.escape_text(environment)}"
    )
    parts = [
        heading,
        md.table(
            ["", ""],
            [
                ["deployment", md.code(outcome.deployment_id)],
                ["strategy", strategy],
                ["image", md.code(outcome.image)],
                [
                    "previous image",
                    md.code(outcome.previous_image) if outcome.previous_image else "none",
                ],
                ["final weight", f"{outcome.final_weight} %"],
                ["took", md.seconds(outcome.seconds)],
                ["target", md.escape_text(outcome.target_description)],
            ],
        ),
    ]
    if outcome.reason:
        parts.append(f"**Why:** {md.escape_text(outcome.reason)}")
    if github is not None:
        parts.append(_github_line(github, markdown=True))
    if outcome.resumed_from is not None:
        parts.append(f"Resumed an interrupted rollout at step {outcome.resumed_from + 1}.")
    if outcome.superseded is not None:
        parts.append(
            "An interrupted rollout of another image was wound up first: "
            + describe(outcome.superseded.step)
        )
    if outcome.traffic_restored_seconds is not None:
        restored_ms = outcome.traffic_restored_seconds * 1000
        parts.append(f"Rollback decision to all traffic on stable: {restored_ms:.0f} ms.")
    if outcome.steps or outcome.rollback:
        parts += ["### Timeline", _timeline(outcome)]
        chart = _weight_chart(outcome)
        if chart:
            parts.append(chart)
    parts.append(_where(outcome))
    return "\n\n".join(parts) + "\n"


def console(
    outcome: DeployOutcome, environment: str, github: PublishedDeployment | None = None
) -> str:
    """The terminal report."""
    lines = [
        (
            f"deploy-strategy {outcome.result.value}: {outcome.app} to {environment} "
            f"({outcome.deployment_id}, {outcome.final_weight} % on {outcome.image})"
        )
    ]
    for record in [*outcome.steps, *([outcome.rollback] if outcome.rollback else [])]:
        number = "rb" if record.index < 0 else f"{record.index + 1:2d}"
        detail = f"  {record.detail}" if record.detail else ""
        lines.append(
            f"  {number} {record.status.value:7} {record.seconds:7.2f} s  {record.weight:3d} %  "
            f"{describe(record.step)}{detail}"
        )
    if outcome.reason:
        lines.append(f"  why: {outcome.reason}")
    if github is not None:
        lines.append("  " + _github_line(github, markdown=False))
    lines.append("  " + _where(outcome).replace("`", ""))
    return "\n".join(lines) + "\n"


def annotations_for(
    outcome: DeployOutcome, github: PublishedDeployment | None = None
) -> tuple[Annotation, ...]:
    """One annotation when the rollout did not succeed; a warning when GitHub missed its end."""
    title = f"deploy-strategy {outcome.result.value}: {outcome.app}"
    notes: tuple[Annotation, ...] = ()
    if outcome.result in {DeployResult.ROLLED_BACK, DeployResult.FAILED}:
        notes = (Annotation(Level.ERROR, outcome.reason or outcome.result.value, title=title),)
    if outcome.result is DeployResult.PAUSED:
        notes = (Annotation(Level.NOTICE, "waiting for approval at a manual gate", title=title),)
    if github is not None and github.failed_state is not None:
        line = _github_line(github, markdown=False)
        notes += (Annotation(Level.WARNING, line, title="GitHub Deployment status not posted"),)
    return notes


def render(
    outcome: DeployOutcome, environment: str, github: PublishedDeployment | None = None
) -> Rendered:
    """Everything a front end shows for one rollout."""
    return assemble(
        CAPABILITY,
        outcome.result.to_result(),
        outcome_fields(outcome, environment, github),
        summary=summary(outcome, environment, github),
        console=console(outcome, environment, github),
        annotations=annotations_for(outcome, github),
    )


def _shown_object(manifest: dict[str, Any]) -> dict[str, Any]:
    """An object as the user wrote it would look: without the server's bookkeeping."""
    meta = {
        k: v
        for k, v in (manifest.get("metadata") or {}).items()
        if k not in {"managedFields", "uid", "resourceVersion", "creationTimestamp", "generation"}
    }
    return {k: v for k, v in {**manifest, "metadata": meta}.items() if k != "status"}


def render_plan(
    plan: Plan, app: str, environment: str, objects: tuple[dict[str, Any], ...] = ()
) -> Rendered:
    """--dry-run: the plan, numbered, and the objects the target's server accepted in its own
    dry run; nothing was changed."""
    steps = [describe(s) for s in plan.steps]
    shown = [_shown_object(o) for o in objects]
    names = [f"{o.get('kind')}/{(o.get('metadata') or {}).get('name')}" for o in shown]
    lines = (
        [f"objects the API server accepted in a dry run (dryRun=All), {len(shown)}:"]
        + [
            f"--- {name}\n{json.dumps(o, indent=2, sort_keys=True)}"
            for name, o in zip(names, shown, strict=True)
        ]
        if shown
        else []
    )
    text = "\n".join(
        [f"deploy-strategy plan for {app} to {environment} ({plan.strategy.value}), dry run:"]
        + [f"  {i:2d}. {s}" for i, s in enumerate(steps, 1)]
        + [f"  on failure: {describe(plan.rollback)}"]
        + lines
    )
    fields: dict[str, object] = {
        "result": Result.PASSED.value,
        "status": "planned",
        "app": app,
        "environment": environment,
        "strategy": plan.strategy.value,
        "image": plan.image,
        "previous_image": plan.baseline.previous_image,
        "plan": steps,
        "rollback_plan": describe(plan.rollback),
        "objects": shown,
    }
    markdown = (
        f"## deploy-strategy plan: {md.code(app)} ({plan.strategy.value}, dry run)\n\n"
        + "\n".join(f"{i}. {md.escape_text(s)}" for i, s in enumerate(steps, 1))
        + f"\n\nOn failure: {md.escape_text(describe(plan.rollback))}\n"
        + (
            "\nObjects accepted by the API server's dry run: "
            + ", ".join(md.code(n) for n in names)
            + "\n"
            if names
            else ""
        )
    )
    return assemble(CAPABILITY, Result.PASSED, fields, summary=markdown, console=text + "\n")


def record_line(
    outcome: DeployOutcome,
    environment: str,
    context: dict[str, str],
    committed_at: float | None = None,
) -> str:
    """One line of the local deploy record (JSON lines) that ci-metrics reads; the commit's
    time when the deploy knew it (so lead time needs no checkout where ci-metrics runs)."""

    def moment(epoch: float) -> str:
        return datetime.fromtimestamp(epoch, UTC).isoformat().replace("+00:00", "Z")

    plan = outcome.plan
    document = {
        "schema": RECORD_SCHEMA,
        "deployment_id": outcome.deployment_id,
        "app": outcome.app,
        "environment": environment,
        "target": outcome.target,
        "strategy": plan.strategy.value if plan else outcome.requested_strategy,
        "image": outcome.image,
        "previous_image": outcome.previous_image,
        "revision": outcome.revision,
        "status": outcome.result.value,
        "success": outcome.result in {DeployResult.SUCCEEDED, DeployResult.UNCHANGED},
        "started_at": moment(outcome.started_at),
        "finished_at": moment(outcome.started_at + outcome.seconds),
        "seconds": round(outcome.seconds, 3),
        "final_weight": outcome.final_weight,
        "reason": outcome.reason,
        **context,
    }
    if committed_at is not None:
        document["committed_at"] = moment(committed_at)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
