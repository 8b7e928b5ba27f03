"""The JSON Schema of pipeline-config.yaml, derived from the declarations: each task's block
is its capability's declared parameters that the workflow takes (paved.params'
Param.schema), never a second list. paved ships the result as pipeline-config.schema.json."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.compose import config, keys, stages, tasks
from paved.compose.model import DEPLOY_TASK

if TYPE_CHECKING:
    from paved.params import Param

SCHEMA_ID = "https://github.com/pavedhq/paved/blob/v1/lib/paved/compose/pipeline-config.schema.json"
SCHEMA_FILE = "pipeline-config.schema.json"
"""Beside this module, in the package."""


def _fragment(param: Param) -> dict[str, object]:
    fragment = param.schema()
    if param.secret:
        fragment = {
            "type": "string",
            "description": f"The name of the secret holding it. {param.help}",
            "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
        }
    elif param.json_type in {"integer", "number", "boolean"}:
        # A YAML number or boolean, or its text: the config reads both alike.
        fragment["type"] = [param.json_type, "string"]
    elif param.json_type == "array":
        fragment["type"] = ["array", "string"]
    return fragment


def _object(params: tuple[Param, ...], description: str) -> dict[str, object]:
    fragment: dict[str, object] = {
        "type": "object",
        "description": description,
        "properties": {p.name: _fragment(p) for p in params},
        "additionalProperties": False,
    }
    required = [p.name for p in params if p.required]
    if required:
        fragment["required"] = required
    return fragment


def _block(task: tasks.Task) -> dict[str, object]:
    declaration = task.declaration()
    seed = keys.SEED_KEYS.get(task.name, ())
    return _object(
        (*task.settings(), *seed),
        f"Settings of {task.name} ({task.workflow}): {declaration.description}",
    )


def _stage() -> dict[str, object]:
    deploy = tasks.find(DEPLOY_TASK)
    runnable = list(stages.stage_tasks())
    properties: dict[str, object] = {
        "name": _fragment(keys.STAGE_NAME),
        "tasks": {
            "type": "array",
            "description": "Tasks that run side by side in this stage.",
            "items": {"enum": runnable},
            "minItems": 1,
        },
        "needs": {
            "type": "array",
            "description": "Earlier stages this one waits for (default: the stage before).",
            "items": {"type": "string"},
        },
        "environment": _fragment(keys.ENVIRONMENT),
        "app": _fragment(keys.STAGE_APP),
    }
    if deploy is not None:
        strategy = _fragment(deploy.declaration().get("strategy"))
        properties["strategy"] = strategy
        properties["deploy-strategy"] = {
            **strategy,
            "description": "The seed's spelling of strategy.",
        }
        properties["canary"] = _object(keys.CANARY, "Canary steps (strategy canary).")
        for param in stages.deploy_settings():
            properties[param.name] = _fragment(param)
    return {
        "type": "object",
        "properties": properties,
        "required": ["name"],
        "additionalProperties": False,
        "oneOf": [
            {"required": ["tasks"]},
            {"required": ["environment"], "not": {"required": ["tasks"]}},
        ],
    }


def config_schema() -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of pipeline-config.yaml."""
    properties: dict[str, object] = {}
    for param in keys.TOP_LEVEL:
        properties[param.name] = _fragment(param)
    properties["language"] = _fragment(config.language_param())
    properties["stages"] = {
        "type": "array",
        "description": "The stages, in order; each waits for the one before unless it names "
        "its needs.",
        "items": {"$ref": "#/$defs/stage"},
        "minItems": 1,
    }
    for task in tasks.TASKS:
        block = {"$ref": f"#/$defs/{task.name}"}
        properties[task.name] = block
        for alias in task.aliases:
            properties[alias] = block
    defs: dict[str, object] = {"stage": _stage()}
    defs.update({task.name: _block(task) for task in tasks.TASKS})
    ordered = {name: properties[name] for name in config.top_level_keys()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "paved pipeline-config.yaml",
        "description": "A team's pipeline, which `paved compose` turns into a GitHub Actions "
        "workflow calling paved's reusable workflows.",
        "type": "object",
        "properties": ordered,
        "required": ["name", "stages"],
        "additionalProperties": False,
        "$defs": defs,
    }
