"""The Docker engine: build, push and log in, behind an interface."""

from paved.adapters.docker.interface import (
    BuildRequest,
    BuildResult,
    DockerEngine,
    EngineInfo,
    FailedStep,
    PushResult,
)

__all__ = ["BuildRequest", "BuildResult", "DockerEngine", "EngineInfo", "FailedStep", "PushResult"]
