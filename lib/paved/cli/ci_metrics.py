"""`paved ci-metrics`: sync a repository's Actions history into SQLite, report the metrics."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paved.cimetrics import CiMetricsOptions, DeploySource, collect_metrics
from paved.cimetrics.dora_benchmarks import BENCHMARKS
from paved.cimetrics.options import choices
from paved.errors import UsageError
from paved.report import cimetrics as report

if TYPE_CHECKING:
    import argparse

    from paved.model import Rendered

DEFAULT_STORE = Path(".paved") / "ci-metrics" / "metrics.sqlite"


def add_parser(commands: argparse._SubParsersAction[Any], summary: str) -> None:
    """Register the ci-metrics subcommand."""
    from paved.cli import add_common  # noqa: PLC0415 - avoids an import cycle

    parser = commands.add_parser(
        "ci-metrics",
        help=summary,
        description="Sync workflow runs, jobs (every attempt) and deployments into a SQLite "
        "store with conditional requests, then report pipeline and DORA metrics as JSON, a "
        "Markdown summary and Prometheus text. The token is read from an environment "
        "variable, never from the command line.",
    )
    parser.add_argument("--repository", required=True, metavar="OWNER/NAME")
    parser.add_argument(
        "--api-url", default="https://api.github.com", help="GitHub Enterprise: https://HOST/api/v3"
    )
    parser.add_argument(
        "--token-env",
        default="GITHUB_TOKEN",
        metavar="NAME",
        help="environment variable holding the token (default GITHUB_TOKEN)",
    )
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE, help="the SQLite file")
    parser.add_argument("--days", type=_int("--days"), default=30, help="reporting window")
    parser.add_argument(
        "--rescan-days",
        type=_int("--rescan-days"),
        default=2,
        help="days before today re-listed on every sync, for re-runs",
    )
    parser.add_argument("--no-sync", action="store_true", help="report from the store only")
    parser.add_argument("--no-jobs", action="store_true", help="skip jobs (one request a run)")
    parser.add_argument(
        "--workflow",
        action="append",
        default=[],
        metavar="FILE",
        help="report only this workflow (repeat)",
    )
    parser.add_argument("--deploy-source", default="auto", help=f"one of {choices(DeploySource)}")
    parser.add_argument("--deploy-workflow", action="append", default=[], metavar="FILE")
    parser.add_argument("--deploy-job", action="append", default=[], metavar="NAME")
    parser.add_argument("--deploy-branch", help="default: the repository's default branch")
    parser.add_argument("--deploy-environment", default="production")
    parser.add_argument("--dora-benchmark", default="2024", help=f"one of {', '.join(BENCHMARKS)}")
    parser.add_argument(
        "--max-requests",
        type=_int("--max-requests"),
        default=900,
        help="stop cleanly after this many counted requests",
    )
    parser.add_argument(
        "--request-interval",
        type=_float("--request-interval"),
        default=0.25,
        help="seconds between requests (GitHub asks for serial requests)",
    )
    parser.add_argument("--now", type=_moment, help="end of the window (ISO 8601; default now)")
    parser.add_argument("--prometheus", type=Path, metavar="PATH", help="write Prometheus text")
    parser.add_argument("--summary", type=Path, metavar="PATH", help="write the Markdown summary")
    add_common(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> Rendered:
    """Run ci-metrics for parsed arguments."""
    # Imported here, not at the top: every action step imports the CLI, and only ci-metrics
    # should pay for PyGithub (about 0.3 s).
    from paved.adapters.github.pygithub import PyGithubClient  # noqa: PLC0415
    from paved.adapters.store.sqlite import SqliteStore  # noqa: PLC0415

    options = options_from(args)
    client = None
    if options.sync:
        token = os.environ.get(args.token_env, "")
        if not token:
            raise UsageError(
                f"the environment variable {args.token_env} is empty",
                name="--token-env",
                valid="a variable holding a token with actions: read (or use --no-sync)",
            )
        client = PyGithubClient(
            token,
            api_url=args.api_url,
            max_requests=args.max_requests,
            request_interval=args.request_interval,
        )
    store = SqliteStore(args.store)
    try:
        outcome = collect_metrics(options, client, store)
    finally:
        store.close()
    rendered = report.render(outcome)
    if args.prometheus:
        _write(args.prometheus, report.prometheus_text(outcome), "--prometheus")
    if args.summary:
        _write(args.summary, rendered.summary_markdown, "--summary")
    return rendered


def options_from(args: argparse.Namespace) -> CiMetricsOptions:
    """CiMetricsOptions from parsed flags; choices checked here with what is valid."""
    try:
        source = DeploySource(args.deploy_source)
    except ValueError:
        raise UsageError(
            f"{args.deploy_source!r} is not a choice",
            name="--deploy-source",
            valid=choices(DeploySource),
        ) from None
    return CiMetricsOptions(
        repository=args.repository,
        now=args.now or datetime.now(UTC),
        days=args.days,
        rescan_days=args.rescan_days,
        sync=not args.no_sync,
        fetch_jobs=not args.no_jobs,
        workflows=tuple(args.workflow),
        deploy_source=source,
        deploy_workflows=tuple(args.deploy_workflow),
        deploy_jobs=tuple(args.deploy_job),
        deploy_branch=args.deploy_branch or None,
        deploy_environment=args.deploy_environment,
        benchmark=args.dora_benchmark,
    )


def _int(flag: str) -> Any:  # noqa: ANN401 - an argparse type
    def parse(value: str) -> int:
        try:
            return int(value)
        except ValueError:
            raise UsageError(f"{value!r} is not a whole number", name=flag) from None

    return parse


def _float(flag: str) -> Any:  # noqa: ANN401 - an argparse type
    def parse(value: str) -> float:
        try:
            return float(value)
        except ValueError:
            raise UsageError(f"{value!r} is not a number", name=flag) from None

    return parse


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{value!r} is not a date and time",
            name="--now",
            valid="ISO 8601, e.g. 2024-05-01T00:00:00Z",
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _write(path: Path, text: str, flag: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}", name=flag) from exc
