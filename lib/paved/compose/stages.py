"""The stages of pipeline-config.yaml: tasks side by side, or a deploy to one environment."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from paved.compose import keys, tasks
from paved.compose.located import MappingNode, Node, ScalarNode, SequenceNode, unknown
from paved.compose.model import (
    ADDED_TASKS,
    DEPLOY_TASK,
    RESERVED_JOBS,
    CanaryPlan,
    DeployStage,
    Stage,
    TaskStage,
)
from paved.compose.reading import read, required, setting

if TYPE_CHECKING:
    from paved.params import Param

_JOB_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
APP_NAME = re.compile(r"[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?")
APP_NAME_VALID = (
    "lower-case letters, digits and '-', starting and ending with a letter or digit, at most "
    "42 characters"
)
STAGE_KEYS = (
    "name",
    "tasks",
    "needs",
    "environment",
    "app",
    "strategy",
    "deploy-strategy",
    "canary",
)


def parse_stages(root: MappingNode) -> tuple[Stage, ...]:
    node = root.get("stages")
    if node is None:
        raise root.fail("'stages' is required", valid="a list of stages")
    if not isinstance(node, SequenceNode) or not node.items:
        raise node.fail("must be a list of stages", valid="a non-empty list")
    stages: list[Stage] = []
    seen: dict[str, Node] = {}
    used_tasks: set[str] = set()
    deployed = False
    for item in node.items:
        stage = _stage(item, tuple(seen), used_tasks)
        if stage.name in seen:
            raise item.fail(f"a stage called {stage.name!r} is given twice")
        if isinstance(stage, DeployStage) and stage.name in RESERVED_JOBS:
            raise item.fail(
                f"{stage.name!r} is the id of a job paved adds",
                valid=f"another name than {', '.join(RESERVED_JOBS)}",
            )
        if isinstance(stage, TaskStage) and deployed and "container-build" in stage.tasks:
            raise item.fail(
                "container-build runs after a deploy stage, but every deploy needs its image",
                valid="container-build in a stage before the first deploy stage (or left out: "
                "paved adds it)",
            )
        deployed |= isinstance(stage, DeployStage)
        seen[stage.name] = item
        stages.append(stage)
    return tuple(stages)


def _stage(node: Node, earlier: tuple[str, ...], used_tasks: set[str]) -> Stage:
    if not isinstance(node, MappingNode):
        raise node.fail("a stage must be a mapping", valid=", ".join(STAGE_KEYS))
    node.only(stage_keys(), "stage key")
    name = str(required(node, keys.STAGE_NAME))
    name_node = node.get("name")
    if not _JOB_ID.fullmatch(name) and name_node is not None:
        raise name_node.fail(
            f"{name!r} cannot be a job id", valid="letters, digits, '-' and '_', not first a digit"
        )
    needs = _needs(node.get("needs"), earlier)
    tasks_node = node.get("tasks")
    strategy_node = node.get("strategy") or node.get("deploy-strategy")
    if node.get("strategy") is not None and node.get("deploy-strategy") is not None:
        raise strategy_node.fail(  # type: ignore[union-attr]
            "give strategy or deploy-strategy (the seed's spelling), not both"
        )
    deploying = strategy_node is not None or node.get("environment") is not None
    if tasks_node is not None and deploying:
        raise tasks_node.fail(
            "a stage either runs tasks or deploys",
            valid="tasks, or strategy + environment (+ canary)",
        )
    if tasks_node is not None:
        extra = next(
            (key for key, _ in node.entries if key.value not in STAGE_KEYS or key.value == "app"),
            None,
        )
        if extra is not None:
            raise Node(extra.location, node.path).fail(
                f"{extra.value!r} is a deploy setting, and this stage runs tasks",
                valid="the task's settings go in its block (e.g. build-and-test:)",
            )
        return TaskStage(name, _stage_tasks(tasks_node, used_tasks), needs)
    if not deploying:
        raise node.fail(
            f"stage {name!r} neither runs tasks nor deploys",
            valid="tasks: [...], or strategy + environment",
        )
    return _deploy_stage(node, name, needs)


def stage_tasks() -> tuple[str, ...]:
    """The tasks a stage may list (the others come from deploy stages and the end)."""
    return tuple(t.name for t in tasks.TASKS if t.name not in ADDED_TASKS)


def stage_keys() -> tuple[str, ...]:
    """Every key a stage may have: its own, and the deploy settings a deploy stage may give
    for itself (they override the deploy: block)."""
    return STAGE_KEYS + tuple(p.name for p in deploy_settings())


def deploy_settings() -> tuple[Param, ...]:
    """The deploy task's settings, or none when this paved has no deploy workflow."""
    deploy = tasks.find(DEPLOY_TASK)
    return deploy.settings() if deploy is not None else ()


def _needs(node: Node | None, earlier: tuple[str, ...]) -> tuple[str, ...] | None:
    if node is None:
        return None
    items = node.items if isinstance(node, SequenceNode) else (node,)
    needs = []
    for item in items:
        if not isinstance(item, ScalarNode) or not isinstance(item.value, str):
            raise item.fail("must name a stage", valid=", ".join(earlier) or "no earlier stage")
        if item.value not in earlier:
            raise unknown(item, item.value, earlier, "stage (stages wait only for earlier ones)")
        needs.append(item.value)
    return tuple(needs)


def _stage_tasks(node: Node, used: set[str]) -> tuple[str, ...]:
    items = node.items if isinstance(node, SequenceNode) else (node,)
    runnable = stage_tasks()
    names = []
    for item in items:
        if not isinstance(item, ScalarNode) or not isinstance(item.value, str):
            raise item.fail("must name a task", valid=", ".join(runnable))
        if item.value in ADDED_TASKS:
            raise item.fail(
                f"{item.value} is not listed in a stage: paved adds it where it belongs",
                valid=", ".join(runnable),
            )
        if item.value not in runnable:
            raise unknown(item, item.value, runnable, "task")
        if item.value in used:
            raise item.fail(f"task {item.value!r} already runs in an earlier stage or this one")
        used.add(item.value)
        names.append(item.value)
    if not names:
        raise node.fail("lists no task", valid=", ".join(runnable))
    return tuple(names)


def _deploy_stage(node: MappingNode, name: str, needs: tuple[str, ...] | None) -> DeployStage:
    environment_node = node.get("environment")
    if environment_node is None:
        raise node.fail(
            f"deploy stage {name!r} has no environment",
            valid="environment: the GitHub environment it deploys to, e.g. staging or production",
        )
    deploy = tasks.find(DEPLOY_TASK)
    if deploy is None:
        raise node.fail(
            "deploy stages need paved's deploy workflow, which this version does not have",
            valid="stages with tasks only",
        )
    environment = str(read(keys.ENVIRONMENT, environment_node))
    if not environment:
        raise environment_node.fail("is empty", valid="a GitHub environment, e.g. production")
    strategy_param = deploy.declaration().get("strategy")
    strategy = str(read(strategy_param, node.get("strategy") or node.get("deploy-strategy")))
    canary_node = node.get("canary")
    canary = None
    if canary_node is not None or strategy == "canary":
        if strategy != "canary":
            raise canary_node.fail(  # type: ignore[union-attr]
                f"only a canary stage has canary steps, and this one is {strategy}"
            )
        canary = _canary(canary_node, node)
    own = {p.name: p for p in deploy.settings()}
    settings = {
        str(key.value): setting(own[str(key.value)], value)
        for key, value in node.entries
        if key.value in own
    }
    return DeployStage(name, environment, strategy, canary, needs, settings, _app(node))


def _app(node: MappingNode) -> str | None:
    app_node = node.get(keys.STAGE_APP.name)
    if app_node is None:
        return None
    app = str(read(keys.STAGE_APP, app_node))
    if not APP_NAME.fullmatch(app):
        raise app_node.fail(f"{app!r} cannot name an app on a target", valid=APP_NAME_VALID)
    return app


def _canary(node: Node | None, stage: Node) -> CanaryPlan:
    if node is not None and not isinstance(node, MappingNode):
        raise node.fail("must be a mapping", valid=", ".join(p.name for p in keys.CANARY))
    block = node if isinstance(node, MappingNode) else None
    if block is not None:
        block.only((p.name for p in keys.CANARY), "canary key")

    def value(param: Param) -> object:
        return read(param, block.get(param.name) if block else None)

    initial, highest = int(str(value(keys.INITIAL_WEIGHT))), int(str(value(keys.MAX_WEIGHT)))
    if initial > highest:
        where = (block.get(keys.INITIAL_WEIGHT.name) if block else None) or stage
        raise where.fail(
            f"the initial weight {initial} is above the max weight {highest}",
            valid=f"1 to {highest}",
        )
    weights = list(range(initial, highest + 1, initial))
    if weights[-1] != 100:  # noqa: PLR2004 - all traffic, in percent
        weights.append(100)
    return CanaryPlan(tuple(weights), float(str(value(keys.INTERVAL_MINUTES))))
