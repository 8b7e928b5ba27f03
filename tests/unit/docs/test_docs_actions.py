"""The docs and the code cannot drift: README tables, action.yml, input specs, outputs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from paved import capabilities
from paved.buildtest.options import Language
from paved.buildtest.outcome import BuildTestOutcome
from paved.cli import run
from paved.gha.inputs import env_name
from paved.report.buildtest import render

ROOT = Path(__file__).resolve().parents[3]
ACTIONS = [ROOT / "actions" / c.name / "action.yml" for c in capabilities.CAPABILITIES if c.action]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _declared(action: Path):
    return capabilities.declaration(capabilities.find(action.parent.name)).inputs


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _readme_table(capability: str, heading: str) -> dict[str, str]:
    """{first column: second column} of the table after `heading:` in the action's section."""
    section = README.split(f"\n### {capability}\n", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    block = section.split(f"\n{heading}:\n", 1)[1].strip().split("\n\n", 1)[0]
    rows = {}
    for line in block.splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows[cells[0].strip("`")] = cells[1].strip("`")
    return rows


def test_every_capability_has_an_action_and_every_action_is_a_capability():
    on_disk = sorted(path.parent.name for path in (ROOT / "actions").glob("*/action.yml"))
    assert on_disk == sorted(c.name for c in capabilities.CAPABILITIES if c.action)


@pytest.mark.parametrize("action", ACTIONS, ids=lambda p: p.parent.name)
def test_readme_lists_every_input_with_its_default(action: Path):
    documented = _readme_table(action.parent.name, "Inputs")
    assert documented == {p.name: p.shown_default for p in _declared(action)}


@pytest.mark.parametrize("action", ACTIONS, ids=lambda p: p.parent.name)
def test_readme_lists_every_output(action: Path):
    documented = _readme_table(action.parent.name, "Outputs")
    assert list(documented) == list(_load(action)["outputs"])


@pytest.mark.parametrize("action", ACTIONS, ids=lambda p: p.parent.name)
def test_every_input_reaches_paved_through_env_and_no_run_block_expands_expressions(action: Path):
    spec = _load(action)
    [step] = [s for s in spec["runs"]["steps"] if "run" in s]
    expected = {env_name(name): f"${{{{ inputs.{name} }}}}" for name in spec["inputs"]}
    assert {k: v for k, v in step["env"].items() if k.startswith("INPUT_")} == expected
    assert "${{" not in step["run"]
    assert all(i.get("description") for i in spec["inputs"].values())
    assert all(o.get("description") for o in spec["outputs"].values())
    assert spec["branding"]


@pytest.mark.parametrize("action", ACTIONS, ids=lambda p: p.parent.name)
def test_action_inputs_are_the_declared_parameters(action: Path):
    inputs = _load(action)["inputs"]
    declared = _declared(action)
    assert list(inputs) == [p.name for p in declared]
    for param in declared:
        given = inputs[param.name]
        assert str(given.get("default", "")) == param.shown_default, param.name
        assert given["description"] == param.help, param.name
        assert given.get("required", False) is (param.required and not param.action_default)


def _passed_through(workflow: dict, inputs: dict):
    """(capability, input, workflow input) for every `with: x: ${{ inputs.x }}` given to one
    of our actions: the reusable workflow's default is then the action's default too."""
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            match = re.fullmatch(r"\$/actions/([a-z-]+)", step.get("uses", ""))
            for name, value in (step.get("with") or {}).items() if match else ():
                if str(value).strip() == f"${{{{ inputs.{name} }}}}":
                    yield match[1], name, inputs[name]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_reusable_workflows_pass_inputs_on_with_the_declared_defaults(workflow: Path):
    spec = _load(workflow)
    on = spec.get("on") or spec.get(True)  # YAML 1.1 reads a bare `on` as True
    if not isinstance(on, dict) or "workflow_call" not in on:
        return
    if all("uses" in job for job in spec["jobs"].values()):
        return  # a workflow of workflows (pipeline.yml): test_docs_pipeline checks its calls
    passed = list(_passed_through(spec, on["workflow_call"].get("inputs") or {}))
    assert passed, f"{workflow.name} passes no input through to a paved action"
    for capability, name, given in passed:
        param = capabilities.declaration(capabilities.find(capability)).get(name)
        default = given.get("default", "")
        shown = str(default).lower() if isinstance(default, bool) else str(default)
        assert shown == param.shown_default, f"{workflow.name}: {name}"


def test_build_test_outputs_mirror_the_json_outcomes_top_level_fields():
    outcome = BuildTestOutcome(
        language=Language.PYTHON,
        project=".",
        steps=(),
        tests=None,
        coverage=None,
        junit_path=None,
        coverage_path=None,
        coverage_threshold=None,
    )
    rendered = render(outcome)
    declared = set(_load(ROOT / "actions" / "build-test" / "action.yml")["outputs"])
    assert declared == {*rendered.outputs, "outcome-path"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_set_minimal_permissions_and_never_expand_expressions_in_run(workflow: Path):
    spec = _load(workflow)
    assert spec["permissions"] == {}
    for job in spec["jobs"].values():
        assert "permissions" in job
        for step in job.get("steps", []):
            assert "${{" not in step.get("run", "")


def test_reusable_workflows_folder_is_the_one_copy():
    link = ROOT / "reusable-workflows"
    assert link.is_symlink()
    assert link.resolve() == (ROOT / ".github" / "workflows").resolve()


def test_reusable_workflows_call_our_actions_at_the_published_ref():
    for workflow in WORKFLOWS:
        text = workflow.read_text(encoding="utf-8")
        assert not re.search(r"uses:\s*\./actions/", text), workflow.name


def test_ci_metrics_outputs_mirror_the_json_outcomes_top_level_fields(tmp_path: Path):
    # A report from an empty store: no network, every top-level field present.
    outcome = tmp_path / "outcome.json"
    argv = [
        "ci-metrics",
        "--repository=acme/service",
        "--no-sync",
        f"--store={tmp_path / 'metrics.sqlite'}",
        f"--json={outcome}",
    ]
    assert run(argv, _SilentFrontend()) == 0
    document = json.loads(outcome.read_text(encoding="utf-8"))
    scalars = {
        name.replace("_", "-")
        for name, value in document.items()
        if not isinstance(value, (dict, list)) and name not in {"schema", "capability"}
    }
    declared = set(_load(ROOT / "actions" / "ci-metrics" / "action.yml")["outputs"])
    assert declared == {*scalars, "outcome-path"}


class _SilentFrontend:
    """Keeps the rendered outcome; fails the test on an error."""

    def show(self, rendered: object) -> None:
        self.rendered = rendered

    def fail(self, capability: str, error: object) -> None:
        pytest.fail(f"{capability}: {error}")
