"""The Docker engine interface: the only way container-build builds, pushes and logs in.

Backends raise paved.errors types: EnvironmentProblemError when the engine or the registry
cannot be reached (saying how to start it), ToolNotFoundError when `docker` is missing.
A build or push that runs and fails is a result, not an exception.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class EngineInfo:
    """The engine we talk to."""

    host: str
    """DOCKER_HOST as used, e.g. unix:///var/run/docker.sock."""
    server_version: str
    buildx: bool
    """Whether the docker buildx plugin is installed."""


@dataclass(frozen=True)
class BuildRequest:
    """One `docker build` or `docker buildx build`, as an argument list after `docker`."""

    args: tuple[str, ...]
    """e.g. ("build", "--file", "...", "--tag", "..."); the context is added last."""
    context: Path
    buildx: bool
    secret_envs: tuple[str, ...] = ()
    """Environment variables the build's secrets read; they must be set."""


@dataclass(frozen=True)
class FailedStep:
    """The Dockerfile step a build stopped at, as the build output names it."""

    instruction: str
    """e.g. RUN pip install -r requirements.txt"""
    number: int | None = None
    """The step number the legacy builder prints (Step N/M)."""
    line: int | None = None
    """The Dockerfile line, when the builder prints it (BuildKit does)."""
    message: str = ""
    """The builder's error line."""


@dataclass(frozen=True)
class BuildResult:
    """How a build ended."""

    ok: bool
    duration_seconds: float
    image_id: str | None = None
    pushed_digest: str | None = None
    """buildx with push-by-digest: the digest the registry stored."""
    cache_hits: int | None = None
    steps: int | None = None
    failed_step: FailedStep | None = None
    output_tail: str = ""


@dataclass(frozen=True)
class PushResult:
    """How a push ended."""

    ok: bool
    digest: str | None = None
    output_tail: str = ""


class DockerEngine(ABC):
    """Builds and pushes images."""

    @abstractmethod
    def check(self) -> EngineInfo:
        """Make sure the engine answers; raise EnvironmentProblemError saying how to start it."""

    @abstractmethod
    def build(self, request: BuildRequest) -> BuildResult:
        """Run the build, streaming its output to the log."""

    @abstractmethod
    def push(self, reference: str) -> PushResult:
        """docker push name:tag."""

    @abstractmethod
    def login(self, registry: str, username: str, password: str) -> None:
        """Log in; the password goes through stdin, never the argument list."""

    @abstractmethod
    def logout(self, registry: str) -> None:
        """Forget the login made by `login`."""

    @abstractmethod
    def image_size(self, reference: str) -> int | None:
        """The image's uncompressed size in bytes, or None when the engine does not have it."""
