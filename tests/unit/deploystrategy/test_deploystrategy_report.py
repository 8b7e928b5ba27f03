"""The report: outputs mirror the JSON outcome and action.yml; timeline, chart, deploy record."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from deploystrategy_support import FakeClock, FakeTarget, ScriptedAnalysis
from paved.adapters.github.interface import DeploymentState
from paved.deploystrategy.core import Rollout
from paved.deploystrategy.github_deployment import PublishedDeployment
from paved.deploystrategy.options import DeployOptions, SmokeCheck, Strategy, canary_steps
from paved.deploystrategy.plan import Baseline, build_plan
from paved.report import deploystrategy as report

ROOT = Path(__file__).resolve().parents[3]
ACTION = ROOT / "actions" / "deploy-strategy" / "action.yml"


def run(fail_at=()):
    clock = FakeClock()
    target = FakeTarget(clock)
    target.serve("app:1")
    options = DeployOptions(
        "shop",
        "app:2",
        Strategy.CANARY,
        canary_steps((10, 50, 100), 30.0),
        smoke_checks=(SmokeCheck("/health"),),
        holder="run-7",
    )
    analysis = ScriptedAnalysis(clock, frozenset(fail_at))
    return Rollout(options, target, analysis, clock.clock()).run()


def test_outputs_are_the_outcomes_top_level_scalars_and_the_actions_outputs():
    rendered = report.render(run(), "production")
    document = json.loads(rendered.json_document)
    assert document["schema"] == "paved/deploy-strategy/v1"
    scalars = {
        k.replace("_", "-")
        for k, v in document.items()
        if not isinstance(v, (dict, list)) and k not in {"schema", "capability"}
    }
    declared = set(yaml.safe_load(ACTION.read_text(encoding="utf-8"))["outputs"])
    assert declared == {*scalars, "outcome-path"} == {*rendered.outputs, "outcome-path"}
    assert rendered.outputs["deployment-id"] == "shop-1"
    assert rendered.outputs["final-weight"] == "100"
    assert rendered.outputs["previous-image"] == "app:1"
    assert rendered.outputs["status"] == "succeeded"
    assert rendered.exit_code == 0


def test_a_rollback_is_an_error_annotation_and_a_timeline_row():
    rendered = report.render(run(fail_at={50}), "staging")
    assert rendered.exit_code == 1
    assert rendered.outputs["status"] == "rolled-back"
    assert rendered.outputs["final-weight"] == "0"
    [annotation] = rendered.annotations
    assert annotation.message == "step 7 (analyse) failed: fail: errors at 50 %"
    summary = rendered.summary_markdown
    assert (
        "| ↩ | ✅ rollback | roll back: all traffic to app:1, candidate removed | 0 % |" in summary
    )
    assert "```mermaid\nxychart-beta" in summary
    assert "line [0, 0, 0, 10, 10, 50, 50, 0]" in summary
    assert "Left on the target: stable: `app:1` 2/2 ready; traffic: 100 % stable" in summary


def test_the_deploy_record_is_one_json_line_ci_metrics_can_read():
    line = report.record_line(run(), "production", {"sha": "abc123", "run_id": "42"})
    assert line.endswith("\n")
    assert line.count("\n") == 1
    record = json.loads(line)
    assert record["schema"] == "paved/deploy-record/v1"
    assert record["success"] is True
    assert record["status"] == "succeeded"
    assert record["started_at"].endswith("Z")
    assert (record["sha"], record["run_id"], record["environment"]) == (
        "abc123",
        "42",
        "production",
    )


def test_a_dry_run_prints_the_numbered_plan_and_its_rollback():
    options = DeployOptions("shop", "app:2", Strategy.BLUE_GREEN, bake_seconds=60)
    rendered = report.render_plan(build_plan(options, Baseline("app:1", 2)), "shop", "production")
    assert rendered.console_text.splitlines()[1:] == [
        "   1. run app:2 x2 as candidate",
        "   2. wait until candidate is ready (up to 120 s)",
        "   3. smoke checks against candidate",
        "   4. traffic 100 % to candidate",
        "   5. analyse at 100 % for 60 s",
        "   6. promote app:2 to stable",
        "   7. retire the previous version",
        "  on failure: roll back: all traffic to app:1, candidate removed",
    ]
    assert rendered.outputs["status"] == "planned"


def test_the_github_deployment_is_in_the_outputs_summary_and_a_refused_end_a_warning():
    outcome = run()
    assert report.render(outcome, "production").outputs["github-deployment-id"] == ""
    published = PublishedDeployment(
        41, resumed=True, states=(DeploymentState.IN_PROGRESS, DeploymentState.SUCCESS)
    )
    rendered = report.render(outcome, "production", published)
    assert rendered.outputs["github-deployment-id"] == "41"
    assert "GitHub Deployment 41 (continued): in_progress → success." in rendered.summary_markdown
    assert not [a for a in rendered.annotations if a.level.value == "warning"]
    refused = PublishedDeployment(
        41, resumed=False, states=(DeploymentState.IN_PROGRESS,),
        failed_state=DeploymentState.SUCCESS, problem="GitHub answered 403",
    )  # fmt: skip
    rendered = report.render(outcome, "production", refused)
    assert rendered.exit_code == 0
    assert "> [!WARNING]" in rendered.summary_markdown
    assert "GitHub still shows in\\_progress" in rendered.summary_markdown
    (warning,) = [a for a in rendered.annotations if a.level.value == "warning"]
    assert "the status success could not be posted (GitHub answered 403)" in warning.message
    document = json.loads(rendered.json_document)
    assert document["github_deployment"]["unposted_state"] == "success"
    assert report.status_description(DeploymentState.SUCCESS, outcome) == "live: 100 % on app:2"


def test_the_deploy_record_carries_the_commits_time_when_the_deploy_knew_it():
    line = report.record_line(run(), "production", {"sha": "abc123"}, committed_at=0.0)
    assert json.loads(line)["committed_at"] == "1970-01-01T00:00:00Z"
    assert "committed_at" not in json.loads(report.record_line(run(), "production", {}))
