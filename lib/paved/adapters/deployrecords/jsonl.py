"""Deploy records from the JSON lines file deploy-strategy appends to; commit times from git."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from typing import TYPE_CHECKING

from paved.adapters.deployrecords.interface import DeployRecord, DeployRecordReader
from paved.errors import UsageError

if TYPE_CHECKING:
    from pathlib import Path

SCHEMA = "paved/deploy-record/v1"
_NAME = "deploy-records"


class JsonLinesRecords(DeployRecordReader):
    """`path` holds one record per line; `repository` is the git checkout the shas are in."""

    def __init__(self, path: Path, repository: Path) -> None:
        self.path = path
        self.repository = repository
        self._commit_times: dict[str, float | None] = {}

    def records(self) -> list[DeployRecord]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise UsageError(
                f"there is no deploy record at {self.path}",
                name=_NAME,
                valid="the record file `paved deploy-strategy --record` wrote",
            ) from None
        except OSError as exc:
            raise UsageError(f"cannot read {self.path}: {exc.strerror}", name=_NAME) from exc
        return [
            self._record(line, number)
            for number, line in enumerate(text.splitlines(), start=1)
            if line.strip()
        ]

    def _record(self, line: str, number: int) -> DeployRecord:
        where = f"{self.path}:{number}"
        try:
            document = _document(line)
            sha = str(document.get("sha") or "")
            committed = document.get("committed_at")
            return DeployRecord(
                app=str(document["app"]),
                environment=str(document["environment"]),
                status=str(document["status"]),
                started_at=_epoch(document["started_at"]),
                finished_at=_epoch(document["finished_at"]),
                sha=sha,
                committed_at=_epoch(committed) if committed else self._commit_time(sha),
                image=str(document.get("image") or ""),
                previous_image=str(document.get("previous_image") or ""),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise UsageError(
                f"{where} is not a deploy record ({exc})",
                name=_NAME,
                valid=f"JSON lines of {SCHEMA}, as deploy-strategy writes them",
            ) from None

    def _commit_time(self, sha: str) -> float | None:
        if sha not in self._commit_times:
            self._commit_times[sha] = commit_time(self.repository, sha)
        return self._commit_times[sha]


def commit_time(repository: Path, sha: str) -> float | None:
    """The commit's time from git, or None (no sha, no git, or a commit it does not have)."""
    if not sha:
        return None
    try:
        shown = subprocess.run(
            ["git", "-C", str(repository), "show", "-s", "--format=%ct", sha],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    stamp = shown.stdout.strip() if shown.returncode == 0 else ""
    return float(stamp) if stamp.isdigit() else None


def _document(line: str) -> dict[str, object]:
    document = json.loads(line)
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        schema = document.get("schema") if isinstance(document, dict) else None
        msg = f"schema is {schema!r}"
        raise ValueError(msg)
    return document


def _epoch(moment: object) -> float:
    """An ISO 8601 moment (the record's `...Z` form) as epoch seconds."""
    if not isinstance(moment, str):
        msg = f"{moment!r} is not an ISO 8601 time"
        raise TypeError(msg)
    parsed = datetime.fromisoformat(moment)
    if parsed.tzinfo is None:
        msg = f"{moment!r} has no time zone"
        raise ValueError(msg)
    return parsed.timestamp()
