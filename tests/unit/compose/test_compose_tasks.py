"""The task table and paved's reusable workflows cannot drift: each row's inputs, their
types, secrets and permissions are exactly what the workflow file it names declares."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from paved.compose import tasks
from paved.params import Flag

ROOT = Path(__file__).resolve().parents[3]
WORKFLOWS = ROOT / ".github" / "workflows"
TASKS = list(tasks.TASKS)


def _file(task: tasks.Task) -> Path:
    """The workflow file the row names."""
    return WORKFLOWS / task.workflow


def _call(task: tasks.Task) -> dict:
    return yaml.safe_load(_file(task).read_text(encoding="utf-8"))


@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.name)
def test_every_task_names_a_workflow_that_exists(task: tasks.Task):
    assert _file(task).is_file()


@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.name)
def test_the_workflow_takes_exactly_the_tasks_inputs_with_their_types(task: tasks.Task):
    call = _call(task)[True]["workflow_call"]  # PyYAML reads the key `on` as True
    inputs = call.get("inputs", {})
    secrets = call.get("secrets", {})
    params = task.inputs()
    hint = f"{task.workflow} changed: update the {task.name!r} row in paved/compose/tasks.py"
    assert sorted(inputs) == sorted(p.name for p in params if not p.secret), hint
    assert sorted(secrets) == sorted(p.name for p in params if p.secret), hint
    for param in params:
        if not param.secret:
            expected = "boolean" if isinstance(param, Flag) else "string"
            assert inputs[param.name]["type"] == expected, param.name


@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.name)
def test_the_task_grants_every_permission_the_workflows_jobs_declare(task: tasks.Task):
    declared: dict[str, str] = {}
    for job in _call(task)["jobs"].values():
        for scope, level in (job.get("permissions") or {}).items():
            if declared.get(scope) != "write":
                declared[scope] = level
    assert {p.scope: p.level for p in task.permissions} == declared


@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.name)
def test_omitted_and_wired_inputs_are_declared_ones(task: tasks.Task):
    names = {p.name for p in task.declaration().inputs} | {p.name for p in task.extras}
    assert set(task.omitted) <= {p.name for p in task.declaration().inputs}
    assert set(task.wired) <= names
