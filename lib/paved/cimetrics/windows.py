"""The sync planner: created-date windows, split at the 1,000-result cap, and the re-scan window.

Windows are half-open [start, end) in whole seconds, aligned to UTC days where they begin, so
the same window gives the same URL (and its stored ETag answers 304) until the day changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

_SECOND = timedelta(seconds=1)
_DAY = timedelta(days=1)


@dataclass(frozen=True, order=True)
class Window:
    """Runs created in [start, end)."""

    start: datetime
    end: datetime

    def query(self) -> str:
        """GitHub's `created` qualifier; `a..b` is inclusive, so b is end minus one second."""
        last = self.end - _SECOND
        return f"{self.start:%Y-%m-%dT%H:%M:%SZ}..{last:%Y-%m-%dT%H:%M:%SZ}"

    def halves(self) -> tuple[Window, Window] | None:
        """Two windows covering this one, or None when it is one second and cannot split."""
        seconds = int((self.end - self.start).total_seconds())
        if seconds < 2:  # noqa: PLR2004
            return None
        middle = self.start + timedelta(seconds=seconds // 2)
        return Window(self.start, middle), Window(middle, self.end)


def day_start(moment: datetime) -> datetime:
    """Midnight UTC of the day `moment` falls in."""
    utc = moment.astimezone(UTC)
    return datetime(utc.year, utc.month, utc.day, tzinfo=UTC)


@dataclass(frozen=True)
class SyncPlan:
    """What one sync lists."""

    history: tuple[Window, ...]
    """Windows before the re-scan window that no earlier sync completed; fetched once."""
    rescan: Window
    """From `rescan_days` before today to the end of today; listed on every sync."""

    @property
    def high_water_mark(self) -> datetime:
        """Where history ends once every history window is complete."""
        return self.rescan.start


def plan(
    now: datetime,
    since: datetime,
    rescan_days: int,
    complete: Sequence[tuple[datetime, datetime]],
) -> SyncPlan:
    """History windows (the gaps `complete` leaves in [since, re-scan start)) and the re-scan."""
    rescan_start = day_start(now) - rescan_days * _DAY
    rescan = Window(rescan_start, day_start(now) + _DAY)
    begin = min(day_start(since), rescan_start)
    gaps: list[Window] = []
    cursor = begin
    for start, end in sorted(complete):
        if end <= cursor:
            continue
        if start > cursor:
            gaps.append(Window(cursor, min(start, rescan_start)))
        cursor = max(cursor, end)
        if cursor >= rescan_start:
            break
    if cursor < rescan_start:
        gaps.append(Window(cursor, rescan_start))
    return SyncPlan(tuple(g for g in gaps if g.start < g.end), rescan)
