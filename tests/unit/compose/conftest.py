"""A deploy and a guard row for the task table, with declarations of their own, so the job
graph's delivery half is tested as pure logic whatever the real rows are."""

from __future__ import annotations

import pytest
from paved import capabilities
from paved.compose import tasks
from paved.params import Choice, Declaration, Integer, Text

FAKE_DEPLOY = Declaration(
    "fake-deploy",
    params=(
        Text(name="app", required=True, help="The app."),
        Text(name="image", required=True, help="The image."),
        Text(name="environment", help="The environment."),
        Choice(
            name="strategy",
            choices=("direct", "blue-green", "canary"),
            default="canary",
            help="How.",
        ),
        Text(name="canary-steps", help="Weights."),
        Text(name="step-seconds", help="Seconds per step."),
        Integer(name="replicas", minimum=1, maximum=50, default="2", help="Instances."),
        Text(name="gate-after", help="Weights to wait for approval after."),
        Choice(name="target", choices=("docker", "kubernetes"), default="docker", help="Where."),
        Text(name="docker-host", help="The engine."),
        Text(name="docker-network", default="paved", help="The network."),
        Text(name="haproxy-socket", default="/run/haproxy/admin.sock", help="The router."),
        Text(name="record", default="deploys.jsonl", help="The deploy record."),
    ),
)
FAKE_GUARD = Declaration(
    "fake-guard",
    params=(
        Text(name="prometheus-url", required=True, help="Where the metrics are."),
        Text(name="app", default="app", help="The app."),
        Choice(name="mode", choices=("analysis", "slo"), default="analysis", help="How."),
        Integer(name="looks", minimum=1, maximum=100, default="30", help="Looks."),
    ),
)


@pytest.fixture
def delivery_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The table with fake deploy and guard rows (the real ones replaced if present)."""
    fakes = {"fake-deploy": FAKE_DEPLOY, "fake-guard": FAKE_GUARD}
    real_find, real_declaration = capabilities.find, capabilities.declaration

    def find(name: str) -> capabilities.Capability | None:
        if name in fakes:
            return capabilities.Capability(name, f"fake.{name}", "fake.cli", "a fake")
        return real_find(name)

    def declaration(capability: capabilities.Capability) -> Declaration:
        return fakes.get(capability.name) or real_declaration(capability)

    monkeypatch.setattr(capabilities, "find", find)
    monkeypatch.setattr(capabilities, "declaration", declaration)
    rows = tuple(t for t in tasks.TASKS if t.name not in {"deploy", "rollback-guard"})
    deploy = tasks.Task(
        name="deploy",
        workflow="deploy.yml",
        capability="fake-deploy",
        title="Deploy",
        permissions=(tasks.Permission("contents", "read", "check out the manifests"),),
        wired=("app", "image", "environment", "strategy", "canary-steps", "step-seconds"),
    )
    guard = tasks.Task(
        name="rollback-guard",
        workflow="rollback-guard.yml",
        capability="fake-guard",
        title="Guard",
        permissions=(),
        wired=("app",),
    )
    monkeypatch.setattr(tasks, "TASKS", (*rows[:-1], deploy, guard, rows[-1]))
