"""What a user asked `paved compose` to do, checked once at the edge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from paved.compose.graph import Pin
    from paved.compose.outcome import Mode


@dataclass(frozen=True)
class ComposeOptions:
    """The config to read, the workflow to write (or print, or check) and where paved's
    workflows are called from."""

    config: Path
    output: Path
    mode: Mode
    pin: Pin
