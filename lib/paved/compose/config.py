"""pipeline-config.yaml as a validated model. Every error is one ConfigError at
file:line:column saying what is valid (and, for a misspelt key, what was probably meant)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from paved.compose import keys, tasks
from paved.compose.located import MappingNode, Node, ScalarNode, SequenceNode, parse, unknown
from paved.params import Flag, InvalidValueError, Lines

if TYPE_CHECKING:
    from collections.abc import Mapping

    from paved.params import Param

Value = str | bool
"""What a workflow input is given: text, or a boolean for a boolean input."""

_APP_NAME = re.compile(r"[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?")
_JOB_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_SECRET_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PYTHON_VERSION = re.compile(r"3\.[0-9]{1,2}")
_REGISTRY_HOST = re.compile(r"[A-Za-z0-9.-]+(:[0-9]+)?")
_IMAGE_PATH = re.compile(r"[a-z0-9]+([._/-][a-z0-9]+)*")
STAGE_KEYS = ("name", "tasks", "needs", "environment", "strategy", "deploy-strategy", "canary")
DEPLOY_TASK = "deploy"
GUARD_TASK = "rollback-guard"
RESERVED_JOBS = (
    "build-and-test",
    "security-scan",
    "container-build",
    "image-scan",
    "ci-metrics",
    DEPLOY_TASK,
    GUARD_TASK,
)
"""Job ids the composer uses itself: a deploy stage (whose name is its job id) takes none."""
ADDED_TASKS = (DEPLOY_TASK, GUARD_TASK, "ci-metrics")
"""Tasks the composer places itself: deploys per deploy stage, the guard after production,
the metrics at the end."""


@dataclass(frozen=True)
class Setting:
    """One input a job is given, from the config."""

    value: Value
    secret: bool = False
    """The value names a repository or environment secret (passed under `secrets:`)."""


@dataclass(frozen=True)
class TaskStage:
    """A stage that runs tasks side by side."""

    name: str
    tasks: tuple[str, ...]
    needs: tuple[str, ...] | None
    """Stages it waits for; None: the stage before it."""


@dataclass(frozen=True)
class CanaryPlan:
    """Canary steps: the weights in percent and the analysis at each."""

    weights: tuple[int, ...]
    interval_minutes: float


@dataclass(frozen=True)
class DeployStage:
    """A stage that rolls the image out to one GitHub environment."""

    name: str
    environment: str
    strategy: str
    canary: CanaryPlan | None
    needs: tuple[str, ...] | None
    settings: Mapping[str, Setting] = field(default_factory=dict)
    """Deploy settings for this stage alone (over the deploy: block)."""


Stage = TaskStage | DeployStage


@dataclass(frozen=True)
class PipelineConfig:
    """A validated pipeline-config.yaml."""

    name: str
    branch: str
    stages: tuple[Stage, ...]
    settings: Mapping[str, Mapping[str, Setting]] = field(default_factory=dict)
    """Per task, its inputs by name."""
    scan_image: bool = False
    """The seed's security.scan-container: scan the built image before any deploy."""


def load(text: str, file: str) -> PipelineConfig:
    """The config in `text`, read from `file` (named in every error)."""
    root = parse(text, file)
    if not isinstance(root, MappingNode):
        raise root.fail("the config must be a mapping of keys", valid=", ".join(top_level_keys()))
    root.only(top_level_keys(), "key")
    name = _required(root, keys.NAME)
    if not _APP_NAME.fullmatch(str(name)):
        raise root.get("name").fail(  # type: ignore[union-attr]
            f"{name!r} cannot name an image and an app",
            valid="lower-case letters, digits and '-', starting and ending with a letter or "
            "digit, at most 42 characters",
        )
    settings: dict[str, dict[str, Setting]] = {t.name: {} for t in tasks.TASKS}
    scan_image = _task_blocks(root, settings)
    _top_level(root, settings, name)
    stages = _stages(root)
    return PipelineConfig(
        name=str(name),
        branch=str(_read(keys.BRANCH, root.get("branch"))),
        stages=stages,
        settings=settings,
        scan_image=scan_image,
    )


def top_level_keys() -> tuple[str, ...]:
    """Every key the top level may have."""
    blocks = tuple(name for t in tasks.TASKS for name in (t.name, *t.aliases))
    own = tuple(p.name for p in keys.TOP_LEVEL)
    return (*own[:1], "language", *own[1:], "stages", *blocks)


def language_param() -> Param:
    """build-test's own `language` parameter: the config's `language`."""
    return tasks.task("build-and-test").declaration().get("language")


def _required(root: MappingNode, param: Param) -> object:
    node = root.get(param.name)
    if node is None:
        raise root.fail(f"{param.name!r} is required", valid=param.help)
    return _read(param, node)


def _text(param: Param, node: Node) -> str:
    """The text a parameter parses: a scalar's own spelling, a list's items one per line."""
    if isinstance(node, ScalarNode):
        # As written: YAML 1.1 would read `yes` as true and `3.10` as 3.1.
        return "" if node.value is None else node.text
    if isinstance(node, SequenceNode) and isinstance(param, Lines):
        parts = []
        for item in node.items:
            if not isinstance(item, ScalarNode):
                raise item.fail("a list item must be a single value", valid=param.describe())
            parts.append(item.text)
        return "\n".join(parts)
    kind = "a list" if isinstance(node, SequenceNode) else "a mapping"
    raise node.fail(f"is {kind}, not a single value", valid=param.describe())


def _read(param: Param, node: Node | None) -> object:
    """The typed value of `param` at `node` (its default when absent)."""
    if node is None:
        return param.parse(param.default) if param.default else param.empty()
    text = _text(param, node).strip()
    if not text:
        if param.required:
            raise node.fail("is required but empty", valid=param.describe())
        return param.parse(param.default) if param.default else param.empty()
    try:
        return param.parse(text)
    except InvalidValueError as exc:
        raise node.fail(str(exc), valid=param.describe()) from None


def _setting(param: Param, node: Node) -> Setting:
    """A task's setting as its workflow input takes it."""
    value = _read(param, node)
    if param.secret:
        text = _text(param, node).strip()
        if not _SECRET_NAME.fullmatch(text):
            raise node.fail(
                f"{text!r} is not a secret's name",
                valid="the name of a repository or environment secret, e.g. REGISTRY_TOKEN",
            )
        return Setting(text, secret=True)
    if isinstance(param, Flag):
        return Setting(bool(value))
    # As written (a list one item per line): the workflow's input parses it as the action does.
    return Setting(_text(param, node).strip())


def _task_blocks(root: MappingNode, settings: dict[str, dict[str, Setting]]) -> bool:
    """Each task's settings block (under its name or the seed's alias); the seed's extra keys
    are translated. Returns whether the image is to be scanned."""
    scan_image = False
    for key, node in root.entries:
        found = tasks.find(str(key.value))
        if found is None:
            continue
        if found.name in _blocks_seen(root, key):
            raise key.fail(f"the settings of {found.name} are given twice ({key.value!r})")
        if not isinstance(node, MappingNode):
            raise node.fail("must be a mapping of settings", valid=_block_keys(found))
        seed = keys.SEED_KEYS.get(found.name, ())
        params = {p.name: p for p in (*found.settings(), *seed)}
        node.only(params, f"setting of {found.name}")
        for item_key, item in node.entries:
            param = params[str(item_key.value)]
            if param in seed:
                scan_image |= _seed_setting(param, item, settings)
            else:
                settings[found.name][param.name] = _setting(param, item)
    return scan_image


def _blocks_seen(root: MappingNode, until: ScalarNode) -> set[str]:
    seen: set[str] = set()
    for key, _ in root.entries:
        if key is until:
            break
        found = tasks.find(str(key.value))
        if found is not None:
            seen.add(found.name)
    return seen


def _block_keys(task: tasks.Task) -> str:
    seed = keys.SEED_KEYS.get(task.name, ())
    return ", ".join(p.name for p in (*task.settings(), *seed))


def _seed_setting(param: Param, node: Node, settings: dict[str, dict[str, Setting]]) -> bool:
    """The seed's own keys, as paved's settings; True when the image is to be scanned."""
    value = _read(param, node)
    if param is keys.PYTHON_VERSION:
        settings["build-and-test"]["python"] = _python(str(value), node)
    elif param is keys.CUSTOM_BUILD:
        settings["container-build"].setdefault("prepare-command", Setting(str(value)))
    elif param is keys.SCAN_DEPENDENCIES and value is False:
        settings["security-scan"].setdefault("scanners", Setting("bandit,secrets,sbom"))
    return param is keys.SCAN_CONTAINER and value is True


def _python(version: str, node: Node) -> Setting:
    if not _PYTHON_VERSION.fullmatch(version):
        raise node.fail(f"{version!r} is not a Python version", valid="3.N, e.g. '3.11'")
    return Setting(f"python{version}")


def _top_level(root: MappingNode, settings: dict[str, dict[str, Setting]], name: object) -> None:
    """The top-level keys that are settings of tasks."""
    language_node = root.get("language")
    language = _read(language_param(), language_node)
    if language_node is not None:
        settings["build-and-test"].setdefault("language", Setting(str(language)))
    version_node = root.get(keys.LANGUAGE_VERSION.name)
    if version_node is not None:
        if str(language) not in {"python", "auto"}:
            raise version_node.fail(
                f"applies to Python only, and the language is {language}",
                valid="remove it: node and go use the runner's toolchain",
            )
        version = str(_read(keys.LANGUAGE_VERSION, version_node))
        settings["build-and-test"].setdefault("python", _python(version, version_node))
    directory_node = root.get(keys.WORKING_DIRECTORY.name)
    if directory_node is not None:
        directory = _text(keys.WORKING_DIRECTORY, directory_node).strip()
        _read(keys.WORKING_DIRECTORY, directory_node)
        for task in tasks.TASKS:
            if task.directory is not None:
                settings[task.name].setdefault(task.directory, Setting(directory))
    registry_node = root.get(keys.IMAGE_REGISTRY.name)
    if registry_node is not None:
        registry = str(_read(keys.IMAGE_REGISTRY, registry_node))
        host, _, path = registry.partition("/")
        image = f"{path}/{name}" if path else str(name)
        if not _REGISTRY_HOST.fullmatch(host) or not _IMAGE_PATH.fullmatch(image):
            raise registry_node.fail(
                f"{registry!r} is not a registry and path",
                valid="host[:port][/path] in lower case, e.g. ghcr.io/myorg",
            )
        block = settings["container-build"]
        block.setdefault("registry", Setting(host))
        block.setdefault("image-name", Setting(image))


def _stages(root: MappingNode) -> tuple[Stage, ...]:
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
    name = str(_required(node, keys.STAGE_NAME))
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
        extra = next((key for key, _ in node.entries if key.value not in STAGE_KEYS), None)
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
    environment = str(_read(keys.ENVIRONMENT, environment_node))
    if not environment:
        raise environment_node.fail("is empty", valid="a GitHub environment, e.g. production")
    strategy_param = deploy.declaration().get("strategy")
    strategy = str(_read(strategy_param, node.get("strategy") or node.get("deploy-strategy")))
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
        str(key.value): _setting(own[str(key.value)], value)
        for key, value in node.entries
        if key.value in own
    }
    return DeployStage(name, environment, strategy, canary, needs, settings)


def _canary(node: Node | None, stage: Node) -> CanaryPlan:
    if node is not None and not isinstance(node, MappingNode):
        raise node.fail("must be a mapping", valid=", ".join(p.name for p in keys.CANARY))
    block = node if isinstance(node, MappingNode) else None
    if block is not None:
        block.only((p.name for p in keys.CANARY), "canary key")

    def value(param: Param) -> object:
        return _read(param, block.get(param.name) if block else None)

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
