"""`paved advisories`: get, refresh and inspect the OSV database the offline audit reads.

    paved advisories update [--url URL]    download OSV's PyPI export (online)
    paved advisories import SOURCE         a zip or folder brought in by hand (air-gapped)
    paved advisories show                  what the database holds and how old it is

All three end by judging the database exactly as `security-scan --osv-database` does before
it audits: exit 0 usable, 1 older than --max-age, 2 not an OSV PyPI database.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paved.adapters.scanners import osv_archive, osv_offline
from paved.errors import EnvironmentProblemError, UsageError
from paved.report import advisories as report
from paved.securityscan.advisorydb import (
    ANY_AGE,
    DEFAULT_MAX_AGE,
    DatabasePolicy,
    judge,
    parse_max_age,
)

if TYPE_CHECKING:
    import argparse
    from datetime import timedelta

    from paved.model import Rendered


def add_parser(commands: argparse._SubParsersAction[Any], summary: str) -> None:
    """Register the advisories subcommand and its actions."""
    from paved.cli import add_common  # noqa: PLC0415 - avoids an import cycle

    parser = commands.add_parser(
        "advisories",
        help=summary,
        description="Keep the OSV PyPI database for `security-scan --osv-database` (air-gapped "
        "runners): download it when online, import a zip or folder when not, show its age. "
        "Exit 0 usable, 1 older than --max-age, 2 not an OSV PyPI database, 3 download failed.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    update = actions.add_parser("update", help="download OSV's PyPI database (needs network)")
    update.add_argument(
        "--url", default=osv_archive.OSV_PYPI_ZIP, help="default: OSV's public PyPI/all.zip"
    )
    imported = actions.add_parser("import", help="import a zip or folder of OSV records")
    imported.add_argument(
        "source",
        type=Path,
        help="OSV's PyPI all.zip, or the PyPA advisory database (a checkout or a zip of one)",
    )
    shown = actions.add_parser("show", help="what the database holds, how old it is")
    for sub in (update, imported, shown):
        sub.add_argument(
            "--database",
            type=Path,
            default=default_database(),
            help="the database folder (default: %(default)s)",
        )
        sub.add_argument(
            "--max-age",
            default=str(DEFAULT_MAX_AGE.days),
            help=f"days the newest record may be old, or '{ANY_AGE}' (default: %(default)s)",
        )
        add_common(sub)
        sub.set_defaults(handler=handle)


def default_database() -> Path:
    """PAVED_CACHE_DIR, else $XDG_CACHE_HOME/paved, else ~/.cache/paved; then advisories/."""
    cache = os.environ.get("XDG_CACHE_HOME")
    base = os.environ.get("PAVED_CACHE_DIR") or (
        (Path(cache) if cache else Path.home() / ".cache") / "paved"
    )
    return Path(base) / "advisories" / "osv-pypi"


def handle(args: argparse.Namespace) -> Rendered:
    """Run the chosen action, then judge and show the database."""
    policy = DatabasePolicy(max_age=parse_max_age(args.max_age, "--max-age"))
    database = args.database.expanduser().resolve()
    written = None
    if args.action == "update":
        with tempfile.TemporaryDirectory(prefix="paved-advisories-") as temp:
            archive = osv_archive.download(args.url, Path(temp))
            written = _import(archive, database, args.url)
    elif args.action == "import":
        source = args.source.expanduser().resolve()
        written = _import(source, database, str(source))
    now = datetime.now(UTC)
    survey = osv_offline.survey(database)
    problems = judge(survey, policy, now)
    if any(not p.stale_only for p in problems):
        raise UsageError(report.refusal(survey, problems), name="--database")
    return report.render(survey, problems, policy, now, written=written)


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
