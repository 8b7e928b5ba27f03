"""What one `paved compose` run did."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from paved.model import Result

if TYPE_CHECKING:
    from paved.compose.graph import Pipeline


class Mode(StrEnum):
    """What was asked for."""

    WRITE = "write"
    DRY_RUN = "dry-run"
    CHECK = "check"


@dataclass(frozen=True)
class ComposeOutcome:
    """The pipeline, its workflow text, and (for --check) the file it was compared with."""

    mode: Mode
    config: str
    output: str
    pipeline: Pipeline
    workflow: str
    committed: str | None = None
    """--check: the file's text, None when it does not exist."""

    @property
    def up_to_date(self) -> bool | None:
        """--check: whether the committed workflow is what the config produces."""
        if self.mode is not Mode.CHECK:
            return None
        return self.committed == self.workflow

    @property
    def result(self) -> Result:
        """Failed only when --check found drift."""
        return Result.FAILED if self.up_to_date is False else Result.PASSED
