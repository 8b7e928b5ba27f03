"""The deploy-record interface: what ci-metrics needs of one rollout deploy-strategy recorded."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass(frozen=True)
class DeployRecord:
    """One rollout as its record line tells it (times are UTC epoch seconds)."""

    app: str
    environment: str
    status: str
    """deploy-strategy's result: succeeded, unchanged, paused, rolled-back or failed."""
    started_at: float
    finished_at: float
    sha: str = ""
    """The commit deployed (GITHUB_SHA when the deploy ran in a workflow); empty if unknown."""
    committed_at: float | None = None
    """When that commit was made: the record's own field, or git's when it has the sha."""
    image: str = ""
    previous_image: str = ""
    """What was live before (empty on a first deploy)."""


class DeployRecordReader(ABC):
    """Where deploy records come from."""

    @abstractmethod
    def records(self) -> list[DeployRecord]:
        """Every record, in the order they were written."""
