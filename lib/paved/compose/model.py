"""pipeline-config.yaml as values: what paved.compose.config reads and the job graph uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

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


Value = str | bool
"""What a workflow input is given: text, or a boolean for a boolean input."""


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
    app: str | None = None
    """The app's name on this stage's target; None: the config's name."""


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
