"""A front end that records what the CLI asked it to show."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from paved.errors import PavedError
    from paved.model import Rendered


class RecordingFrontend:
    """Implements paved.cli.Frontend by remembering every call."""

    def __init__(self) -> None:
        self.shown: list[Rendered] = []
        self.failed: list[tuple[str, PavedError]] = []

    def show(self, rendered: Rendered) -> None:
        self.shown.append(rendered)

    def fail(self, capability: str, error: PavedError) -> None:
        self.failed.append((capability, error))

    def only_error(self) -> tuple[str, str]:
        """The capability and message of the single error shown, after nothing else."""
        assert self.shown == []
        (capability, error), *rest = self.failed
        assert rest == []
        return capability, str(error)


@pytest.fixture
def frontend() -> RecordingFrontend:
    return RecordingFrontend()
