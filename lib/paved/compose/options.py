"""What a user asked `paved compose` to do, checked once at the edge."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from paved.compose.graph import Pin
from paved.compose.outcome import Mode
from paved.compose.params import DEFAULT_REPOSITORY

DEFAULT_PIN = Pin(DEFAULT_REPOSITORY, "v1")
"""paved's own workflows at the v1 tag (frozen, so one value serves every default)."""


@dataclass(frozen=True)
class ComposeOptions:
    """The config to read, the workflow to write (or print, or check) and where paved's
    workflows are called from."""

    config: Path = Path("pipeline-config.yaml")
    output: Path = Path(".github/workflows/main.yaml")
    mode: Mode = Mode.WRITE
    pin: Pin = DEFAULT_PIN
