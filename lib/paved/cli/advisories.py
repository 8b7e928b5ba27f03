"""`paved advisories`: get, refresh and inspect the OSV database the offline audit reads.

    paved advisories update [--url URL]    download OSV's PyPI export (online)
    paved advisories import SOURCE         a zip or folder brought in by hand (air-gapped)
    paved advisories show                  what the database holds and how old it is

Parameters are declared in paved.securityscan.advisories.params. All three end by judging the
database exactly as `security-scan --osv-database` does before it audits: exit 0 usable, 1
older than --max-age, 2 not an OSV PyPI database.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from paved.adapters.scanners import osv_archive, osv_offline
from paved.adapters.scanners.interface import OSV_PYPI_ZIP
from paved.errors import EnvironmentProblemError, UsageError
from paved.report import advisories as report
from paved.securityscan.advisorydb import DatabasePolicy, judge

if TYPE_CHECKING:
    import argparse
    from datetime import timedelta

    from paved.model import Rendered


@dataclass(frozen=True)
class AdvisoriesOptions:
    """What `paved advisories` was asked to do, checked."""

    operation: str
    database: Path
    policy: DatabasePolicy
    source: Path | None = None
    url: str = OSV_PYPI_ZIP


def options_from(args: argparse.Namespace) -> AdvisoriesOptions:
    """AdvisoriesOptions from parsed flags (paved.securityscan.advisories.params)."""
    source = args.source.expanduser().resolve() if args.source else None
    if args.operation == "import" and source is None:
        raise UsageError(
            "import needs a SOURCE", name="source", valid="a zip file or a folder of records"
        )
    if args.operation != "import" and source is not None:
        raise UsageError(
            f"only import takes a SOURCE, not {args.operation}", name="source", valid="nothing"
        )
    if args.operation == "update":
        osv_archive.check_url(args.url)
    database = args.database if args.database and str(args.database) != "." else None
    return AdvisoriesOptions(
        operation=args.operation,
        database=(database or default_database()).expanduser().resolve(),
        policy=DatabasePolicy(max_age=args.max_age),
        source=source,
        url=args.url,
    )


def default_database() -> Path:
    """PAVED_CACHE_DIR, else $XDG_CACHE_HOME/paved, else ~/.cache/paved; then advisories/."""
    cache = os.environ.get("XDG_CACHE_HOME")
    base = os.environ.get("PAVED_CACHE_DIR") or (
        (Path(cache) if cache else Path.home() / ".cache") / "paved"
    )
    return Path(base) / "advisories" / "osv-pypi"


def handle(args: argparse.Namespace) -> Rendered:
    """Run the chosen operation, then judge and show the database."""
    options = options_from(args)
    written = None
    if options.operation == "update":
        with tempfile.TemporaryDirectory(prefix="paved-advisories-") as temp:
            archive = osv_archive.download(options.url, Path(temp))
            written = _import(archive, options.database, options.url)
    elif options.operation == "import" and options.source is not None:
        written = _import(options.source, options.database, str(options.source))
    now = datetime.now(UTC)
    survey = osv_offline.survey(options.database)
    problems = judge(survey, options.policy, now)
    if any(not p.stale_only for p in problems):
        raise UsageError(report.refusal(survey, problems), name="database")
    return report.render(survey, problems, options.policy, now, written=written)


def _import(source: Path, database: Path, origin: str) -> int:
    try:
        summary = osv_archive.import_database(
            source, database, origin=origin, now=datetime.now(UTC)
        )
    except OSError as exc:
        raise UsageError(f"cannot write {database}: {exc.strerror}", name="--database") from exc
    return summary.records


def check_database(database: Path, max_age: timedelta | None, now: datetime) -> None:
    """Refuse `database` before an audit: exit 2 when it is not an OSV PyPI database, 3 when it
    is one that is too old (the environment needs a refresh, the flags are fine)."""
    survey = osv_offline.survey(database)
    problems = judge(survey, DatabasePolicy(max_age=max_age), now)
    if not problems:
        return
    message = report.refusal(survey, problems)
    if all(p.stale_only for p in problems):
        raise EnvironmentProblemError(message)
    raise UsageError(message, name="--osv-database")
