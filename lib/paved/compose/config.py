"""pipeline-config.yaml as a validated model. Every error is one ConfigError at
file:line:column saying what is valid (and, for a misspelt key, what was probably meant)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from paved.compose import keys, tasks
from paved.compose.located import MappingNode, Node, ScalarNode, parse
from paved.compose.model import PipelineConfig, Setting
from paved.compose.reading import read, required, setting, text_of
from paved.compose.stages import APP_NAME, APP_NAME_VALID, parse_stages

if TYPE_CHECKING:
    from paved.params import Param

_BRANCH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/-]*")
_PYTHON_VERSION = re.compile(r"3\.[0-9]{1,2}")
_REGISTRY_HOST = re.compile(r"[A-Za-z0-9.-]+(:[0-9]+)?")
_IMAGE_PATH = re.compile(r"[a-z0-9]+([._/-][a-z0-9]+)*")


def load(text: str, file: str) -> PipelineConfig:
    """The config in `text`, read from `file` (named in every error)."""
    root = parse(text, file)
    if not isinstance(root, MappingNode):
        raise root.fail("the config must be a mapping of keys", valid=", ".join(top_level_keys()))
    root.only(top_level_keys(), "key")
    name = required(root, keys.NAME)
    if not APP_NAME.fullmatch(str(name)):
        raise root.get("name").fail(  # type: ignore[union-attr]
            f"{name!r} cannot name an image and an app", valid=APP_NAME_VALID
        )
    settings: dict[str, dict[str, Setting]] = {t.name: {} for t in tasks.TASKS}
    scan_image = _task_blocks(root, settings)
    _top_level(root, settings, name)
    stages = parse_stages(root)
    branch = str(read(keys.BRANCH, root.get("branch")))
    if not _BRANCH.fullmatch(branch) or ".." in branch:
        raise root.get("branch").fail(  # type: ignore[union-attr]
            f"{branch!r} is not a branch name paved can match",
            valid="letters, digits, '.', '_', '-' and '/', e.g. main or release/2",
        )
    return PipelineConfig(
        name=str(name),
        branch=branch,
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
                settings[found.name][param.name] = setting(param, item)
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
    value = read(param, node)
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
    language = read(language_param(), language_node)
    if language_node is not None:
        settings["build-and-test"].setdefault("language", Setting(str(language)))
    version_node = root.get(keys.LANGUAGE_VERSION.name)
    if version_node is not None:
        if str(language) not in {"python", "auto"}:
            raise version_node.fail(
                f"applies to Python only, and the language is {language}",
                valid="remove it: node and go use the runner's toolchain",
            )
        version = str(read(keys.LANGUAGE_VERSION, version_node))
        settings["build-and-test"].setdefault("python", _python(version, version_node))
    directory_node = root.get(keys.WORKING_DIRECTORY.name)
    if directory_node is not None:
        directory = text_of(keys.WORKING_DIRECTORY, directory_node).strip()
        read(keys.WORKING_DIRECTORY, directory_node)
        for task in tasks.TASKS:
            if task.directory is not None:
                settings[task.name].setdefault(task.directory, Setting(directory))
    registry_node = root.get(keys.IMAGE_REGISTRY.name)
    if registry_node is not None:
        registry = str(read(keys.IMAGE_REGISTRY, registry_node))
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
