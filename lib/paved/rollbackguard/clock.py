"""Time, injected, so the analysis loop is pure and its unit tests do not wait."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass(frozen=True)
class Clock:
    """Wall time (recorded, and the instant queries are evaluated at), monotonic time (for
    spacing looks) and sleeping; the front ends give the machine's."""

    now: Callable[[], float]
    monotonic: Callable[[], float]
    sleep: Callable[[float], None]
