"""What a user can ask container-build to do, validated once at the edge."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from paved.containerbuild.naming import is_valid_registry, is_valid_repository
from paved.containerbuild.tags import LatestMode
from paved.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from paved.containerbuild.rules import TagRule

_SECRET_NAME = re.compile(r"(?i)token|secret|passw|api_?key|credential|private_?key")
_ARG_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SECRET_ID = re.compile(r"[A-Za-z0-9_.-]+")


class Builder(StrEnum):
    """Which docker command builds the image."""

    AUTO = "auto"
    """buildx when the plugin is installed, docker build otherwise."""
    BUILDX = "buildx"
    DOCKER = "docker"


@dataclass(frozen=True)
class RegistryCredentials:
    """A registry login; the password never appears in repr, logs or outputs."""

    username: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class BuildSecret:
    """A BuildKit secret: `RUN --mount=type=secret,id=<id>` reads the value of env var <env>."""

    id: str
    env: str


@dataclass(frozen=True)
class ImageName:
    """One image the build is named and pushed as: a registry and a repository in it."""

    registry: str
    """host[:port], e.g. ghcr.io, docker.io or 127.0.0.1:5000."""
    repository: str
    """The path in the registry, lower case: owner/name."""

    @property
    def name(self) -> str:
        """registry/repository."""
        return f"{self.registry}/{self.repository}"


@dataclass(frozen=True)
class ContainerBuildOptions:
    """Everything container-build needs; paths are absolute."""

    context: Path
    dockerfile: Path
    registry: str
    """host[:port] of the registry, e.g. ghcr.io or 127.0.0.1:5000."""
    repository: str
    """The image path in the registry, lower case: owner/name."""
    tag_rules: tuple[TagRule, ...]
    latest: LatestMode = LatestMode.AUTO
    title: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    build_args: tuple[tuple[str, str], ...] = ()
    secrets: tuple[BuildSecret, ...] = ()
    platforms: tuple[str, ...] = ()
    cache_from: tuple[str, ...] = ()
    cache_to: tuple[str, ...] = ()
    target: str | None = None
    network: str | None = None
    """The build's network (docker build --network): host, none or default."""
    push: bool = False
    """As docker/build-push-action: build only unless asked."""
    builder: Builder = Builder.AUTO
    credentials: RegistryCredentials | None = None
    """For `registry` only: other registries never see them."""
    images: tuple[ImageName, ...] = ()
    """Several images, the same tags (metadata-action's `images`); empty: registry/repository."""
    load: bool = False
    no_cache: bool = False
    pull: bool = False
    provenance: str | None = None
    """buildx --provenance (true, false, mode=max...); None: the builder's default."""
    sbom: str | None = None
    """buildx --sbom (true, false, generator=...); None: the builder's default."""

    @property
    def name(self) -> str:
        """The first image's registry/repository."""
        return self.targets[0].name

    @property
    def targets(self) -> tuple[ImageName, ...]:
        """Every image to name and push, the first being the one `image` and `digest` report."""
        return self.images or (ImageName(self.registry, self.repository),)


def validate(options: ContainerBuildOptions) -> ContainerBuildOptions:
    """Check names and combinations before anything runs; raise one UsageError."""
    if options.images:
        return _check_credentials(options)
    if not is_valid_registry(options.registry):
        raise UsageError(
            f"{options.registry!r} is not a registry host",
            name="registry",
            valid="host[:port], e.g. ghcr.io or 127.0.0.1:5000",
        )
    if not is_valid_repository(options.repository):
        raise UsageError(
            f"{options.repository!r} is not a repository name",
            name="image-name",
            valid="lower-case letters, digits and . _ - in /-separated parts, e.g. acme/api",
        )
    return _check_credentials(options)


def _check_credentials(options: ContainerBuildOptions) -> ContainerBuildOptions:
    if options.credentials is not None and not options.credentials.password:
        raise UsageError(
            "a username was given without a password", name="registry-password", valid="a token"
        )
    return options


def parse_build_args(lines: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """NAME=value lines; a name that looks like a secret is refused (use secrets instead)."""
    args: list[tuple[str, str]] = []
    for line in (item.strip() for item in lines):
        if not line:
            continue
        name, sep, value = line.partition("=")
        if not sep or not _ARG_NAME.fullmatch(name):
            raise UsageError(f"{line!r} is not NAME=value", name="build-args", valid="NAME=value")
        if _SECRET_NAME.search(name):
            raise UsageError(
                f"{name} looks like a secret; build args are stored in the image history",
                name="build-args",
                valid="pass it as a build secret (secret-envs: id=ENV_NAME) and read it with "
                "RUN --mount=type=secret,id=...",
            )
        args.append((name, value))
    return tuple(args)


def parse_secrets(lines: Sequence[str]) -> tuple[BuildSecret, ...]:
    """`id=ENV_NAME` lines: the secret <id> gets the value of environment variable ENV_NAME."""
    secrets: list[BuildSecret] = []
    for line in (item.strip() for item in lines):
        if not line:
            continue
        secret_id, sep, env = line.partition("=")
        if not sep or not _SECRET_ID.fullmatch(secret_id) or not _ARG_NAME.fullmatch(env):
            raise UsageError(
                f"{line!r} is not id=ENV_NAME",
                name="secret-envs",
                valid="id=ENV_NAME, e.g. pip_index=PIP_INDEX_TOKEN (the value stays in ENV_NAME)",
            )
        secrets.append(BuildSecret(id=secret_id, env=env))
    return tuple(secrets)


def parse_images(lines: Sequence[str], *, name: str = "images") -> tuple[ImageName, ...]:
    """metadata-action's `images`: `host/path` or `name=host/path,enable=true|false` lines,
    lower-cased; the registry host must be named (docker.io/acme/api, not acme/api)."""
    images: list[ImageName] = []
    for line in (item.strip() for item in lines):
        if not line:
            continue
        fields = _image_fields(line, name)
        if fields.get("enable", "true") == "false":
            continue
        registry, _, repository = fields.get("name", "").lower().partition("/")
        if not ("." in registry or ":" in registry or registry == "localhost") or not repository:
            raise UsageError(
                f"{line!r} names no registry host",
                name=name,
                valid="host/path, e.g. ghcr.io/acme/api or docker.io/acme/api",
            )
        if not is_valid_registry(registry) or not is_valid_repository(repository):
            raise UsageError(
                f"{line!r} is not a valid image name",
                name=name,
                valid="host[:port]/path, the path in lower-case letters, digits and . _ -",
            )
        if ImageName(registry, repository) not in images:
            images.append(ImageName(registry, repository))
    return tuple(images)


def _image_fields(line: str, name: str) -> dict[str, str]:
    if "=" not in line:
        return {"name": line}
    fields = {}
    for part in line.split(","):
        key, _, value = part.partition("=")
        fields[key.strip()] = value.strip()
    if set(fields) - {"name", "enable"} or fields.get("enable", "true") not in {"true", "false"}:
        raise UsageError(
            f"{line!r} is not an image",
            name=name,
            valid="host/path, or name=host/path,enable=false",
        )
    return fields
