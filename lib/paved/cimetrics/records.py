"""DORA events from paved's own deploy records (deploy-strategy's JSON lines), no API needed.

A succeeded rollout is a deployment; a rolled-back or failed one is a failed change. A
rolled-back rollout restored service itself: the version that was live serves 100 % when it
ends, so its time to restore is the rollout's own span (the candidate was exposed at most that
long). A rollout paused at a gate and then superseded by a deploy of the image it replaced,
before it ever succeeded, was rolled back (the pipeline's guard failed it): a failed change,
restored when that deploy ended. A rollout that succeeded and whose very next deploy of the app
put the image it replaced back (the pipeline's rollback job after a failed guard) is a failed
change too, restored when that deploy ended; the deploy back is the restoration, not another
deployment. Otherwise unchanged and paused rollouts ship nothing and are not counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.cimetrics.dora import DeployEvent

if TYPE_CHECKING:
    from collections.abc import Sequence

    from paved.adapters.deployrecords import DeployRecord

_SHIPPED = "succeeded"
_FAILED = frozenset({"rolled-back", "failed"})
_RESTORED = "rolled-back"
_PAUSED = "paused"
_UNCHANGED = "unchanged"
_BACK = frozenset({_SHIPPED, _UNCHANGED})


def record_events(
    records: Sequence[DeployRecord], environment: str
) -> tuple[list[DeployEvent], dict[str, float]]:
    """The environment's deploy attempts, and each deployed commit's time (for lead time)."""
    events: list[DeployEvent] = []
    committed: dict[str, float] = {}
    mine = [r for r in records if r.environment == environment]
    restorations: set[int] = set()
    for index, record in enumerate(mine):
        if index in restorations:
            continue
        if record.status == _PAUSED:
            back = _rolled_back_by(record, mine[index + 1 :])
            if back is not None:
                # An unchanged record's started_at is when it found the image live (after
                # winding the canary up) and its finished_at adds the run's length again.
                back_at = back.started_at if back.status == _UNCHANGED else back.finished_at
                span = back_at - record.started_at
                events.append(DeployEvent(back_at, record.sha, ok=False, restored_after=span))
            continue
        if record.status == _SHIPPED:
            reverting = _reverted_by(record, mine, index)
            if reverting is None:
                events.append(DeployEvent(record.finished_at, record.sha, ok=True))
            else:
                restorations.add(reverting)
                span = mine[reverting].finished_at - record.finished_at
                events.append(
                    DeployEvent(record.finished_at, record.sha, ok=False, restored_after=span)
                )
        elif record.status in _FAILED:
            restored: float | None = (
                record.finished_at - record.started_at if record.status == _RESTORED else None
            )
            events.append(
                DeployEvent(record.finished_at, record.sha, ok=False, restored_after=restored)
            )
        else:
            continue
        if record.sha and record.committed_at is not None:
            committed[record.sha] = min(record.committed_at, committed.get(record.sha, 1e18))
    return sorted(events, key=lambda e: e.at), committed


def _reverted_by(shipped: DeployRecord, records: Sequence[DeployRecord], index: int) -> int | None:
    """The index of the app's next deploy, when it put the image `shipped` replaced back."""
    for later in range(index + 1, len(records)):
        record = records[later]
        if record.app != shipped.app:
            continue
        reverted = bool(shipped.previous_image) and record.image == shipped.previous_image
        return later if reverted and record.status == _SHIPPED else None
    return None


def _rolled_back_by(paused: DeployRecord, later: Sequence[DeployRecord]) -> DeployRecord | None:
    """The deploy of the replaced image that ended a paused rollout, if one did first."""
    for record in later:
        if record.app != paused.app:
            continue
        if record.image == paused.image:
            return None  # continued (approved) or deployed again: not rolled back
        if paused.previous_image and record.image == paused.previous_image:
            return record if record.status in _BACK else None
    return None
