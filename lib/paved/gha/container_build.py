"""The container-build action's inputs (as action.yml declares them) and their CLI flags."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from paved.containerbuild import Builder, LatestMode
from paved.gha.commands import add_mask
from paved.gha.inputs import EnumInput, MultilineInput, PathInput, StringInput, env_name

if TYPE_CHECKING:
    from collections.abc import Mapping

    from paved.gha.inputs import Inputs, InputSpec

CONTEXT = PathInput("context", default=".")
FILE = PathInput("file", default="")
REGISTRY = StringInput("registry", default="ghcr.io")
IMAGE_NAME = StringInput("image-name", default="")
TAGS = MultilineInput("tags", default=())
LATEST = EnumInput("latest", choices=tuple(m.value for m in LatestMode), default="auto")
TITLE = StringInput("title", default="")
LABELS = MultilineInput("labels", default=())
BUILD_ARGS = MultilineInput("build-args", default=())
SECRET_ENVS = MultilineInput("secret-envs", default=())
PLATFORMS = StringInput("platforms", default="")
CACHE_FROM = MultilineInput("cache-from", default=())
CACHE_TO = MultilineInput("cache-to", default=())
TARGET = StringInput("target", default="")
NETWORK = StringInput("network", default="")
PUSH = EnumInput("push", choices=("true", "false"), default="true")
BUILDER = EnumInput("builder", choices=tuple(m.value for m in Builder), default="auto")
REGISTRY_USERNAME = StringInput("registry-username", default="")
REGISTRY_PASSWORD = StringInput("registry-password", default="")
DOCKER_HOST = StringInput("docker-host", default="")

INPUTS: tuple[InputSpec[object], ...] = (  # type: ignore[assignment]
    CONTEXT,
    FILE,
    REGISTRY,
    IMAGE_NAME,
    TAGS,
    LATEST,
    TITLE,
    LABELS,
    BUILD_ARGS,
    SECRET_ENVS,
    PLATFORMS,
    CACHE_FROM,
    CACHE_TO,
    TARGET,
    NETWORK,
    PUSH,
    BUILDER,
    REGISTRY_USERNAME,
    REGISTRY_PASSWORD,
    DOCKER_HOST,
)


def to_argv(inputs: Inputs, environ: Mapping[str, str]) -> list[str]:
    """The `paved container-build` arguments; the registry password stays in the environment."""
    workspace = Path(environ.get("GITHUB_WORKSPACE") or ".")
    argv = [
        "container-build",
        str(workspace / inputs.value(CONTEXT)),
        f"--repo-root={workspace}",
        f"--registry={inputs.value(REGISTRY)}",
        f"--latest={inputs.value(LATEST)}",
        f"--builder={inputs.value(BUILDER)}",
    ]
    argv += inputs.flags(
        (
            ("--image-name", IMAGE_NAME),
            ("--title", TITLE),
            ("--platform", PLATFORMS),
            ("--target", TARGET),
            ("--network", NETWORK),
            ("--docker-host", DOCKER_HOST),
        )
    )
    if inputs.value(FILE):
        argv.append(f"--file={workspace / inputs.value(FILE)}")
    argv += inputs.repeated(
        (
            ("--tag", TAGS),
            ("--label", LABELS),
            ("--build-arg", BUILD_ARGS),
            ("--secret-env", SECRET_ENVS),
            ("--cache-from", CACHE_FROM),
            ("--cache-to", CACHE_TO),
        )
    )
    if inputs.value(PUSH) == "false":
        argv.append("--no-push")
    password = inputs.value(REGISTRY_PASSWORD)
    if password:
        # Masked before anything can print it; paved reads it from the environment, so it is
        # never in an argument list, a log line or an output.
        add_mask(password)
        username = inputs.value(REGISTRY_USERNAME) or environ.get("GITHUB_ACTOR", "")
        argv += [
            f"--registry-username={username}",
            f"--registry-password-env={env_name('registry-password')}",
        ]
    return argv
