"""`paved ci-metrics` (flags: cimetrics.params): sync a repository's Actions history into
SQLite, report the metrics."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from paved import log, redact
from paved.adapters.deployrecords.jsonl import JsonLinesRecords
from paved.cimetrics import CiMetricsOptions, collect_metrics
from paved.cimetrics.options import DeploySource
from paved.errors import UsageError
from paved.report import cimetrics as report

if TYPE_CHECKING:
    import argparse

    from paved.model import Rendered


def handle(args: argparse.Namespace) -> Rendered:
    """Run ci-metrics for parsed arguments."""
    # Imported here, not at the top: every action step imports the CLI, and only ci-metrics
    # should pay for PyGithub (about 0.3 s).
    from paved.adapters.github.pygithub import PyGithubClient  # noqa: PLC0415
    from paved.adapters.store.sqlite import SqliteStore  # noqa: PLC0415

    options = options_from(args)
    client = None
    token = os.environ.get(args.token_env, "") if options.sync else ""
    if options.sync and not token and options.source() is DeploySource.RECORDS:
        # DORA from paved's own records needs no API: without a token (act, a laptop) the
        # run history is left out rather than the whole report refused.
        log.warning(report.records_only_note(args.token_env))
        options = replace(options, sync=False)
    if options.sync:
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
    records = None
    if options.source() is DeploySource.RECORDS:
        records = JsonLinesRecords(args.deploy_records, Path.cwd())
    store = SqliteStore(args.store)
    try:
        outcome = collect_metrics(options, client, store, records)
    finally:
        store.close()
    rendered = report.render(outcome)
    if args.prometheus_file:
        _write(args.prometheus_file, report.prometheus_text(outcome), "--prometheus-file")
    if args.summary:
        _write(args.summary, rendered.summary_markdown, "--summary")
    return rendered


def options_from(args: argparse.Namespace) -> CiMetricsOptions:
    """CiMetricsOptions from parsed flags (already typed by the declaration)."""
    return CiMetricsOptions(
        repository=args.repository,
        now=args.now or datetime.now(UTC),
        days=args.days,
        rescan_days=args.rescan_days,
        sync=args.sync,
        fetch_jobs=args.fetch_jobs,
        workflows=args.workflows,
        deploy_source=args.deploy_source,
        deploy_workflows=args.deploy_workflows,
        deploy_jobs=args.deploy_jobs,
        deploy_branch=args.deploy_branch or None,
        deploy_environment=args.deploy_environment,
        benchmark=args.dora_benchmark,
    )


def _write(path: Path, text: str, flag: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(redact.redact(text), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}", name=flag) from exc
