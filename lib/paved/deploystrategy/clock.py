"""Time, injected: the library never reads the clock itself, so tests control it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass(frozen=True)
class Clock:
    """The three views of time a rollout needs."""

    now: Callable[[], float]
    """Seconds since the epoch (recorded in the state and the lease)."""
    monotonic: Callable[[], float]
    """For durations."""
    sleep: Callable[[float], None]
