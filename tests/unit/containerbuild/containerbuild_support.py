"""Events and constants the container-build unit tests share."""

from __future__ import annotations

from datetime import UTC, datetime

from paved.containerbuild import GitEvent

SHA = "0123456789abcdef0123456789abcdef01234567"
CREATED = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def make_event(ref: str = "refs/heads/main", **changes: object) -> GitEvent:
    """A push event on acme/api whose default branch is main."""
    values: dict[str, object] = {
        "event_name": "push",
        "ref": ref,
        "sha": SHA,
        "repository": "acme/api",
        "created": CREATED,
        "default_branch": "main",
    }
    values.update(changes)
    return GitEvent(**values)  # type: ignore[arg-type]
