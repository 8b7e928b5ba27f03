"""`paved rollback-guard` (flags: rollbackguard.params): query Prometheus (and, with a
target, the target and its router) look after look, judge, write the decision record; with a
target, roll the live rollout back on a fail verdict."""

from __future__ import annotations

import os
import socket
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from paved import log
from paved.adapters.process.runner import run_program
from paved.cli.guard_target import sources_from, target_from
from paved.errors import EnvironmentProblemError, UsageError
from paved.report import rollbackguard as report
from paved.rollbackguard.analysis import run_analysis
from paved.rollbackguard.clock import Clock
from paved.rollbackguard.guard import GuardSettings, guard
from paved.rollbackguard.options import GuardOptions, Limits, check_names
from paved.rollbackguard.policy import AnalysisPolicy
from paved.rollbackguard.source import TrackSelectors

if TYPE_CHECKING:
    import argparse

    from paved.model import Rendered
    from paved.rollbackguard.record import Look

_MIB = 1024 * 1024


def options_from(args: argparse.Namespace) -> GuardOptions:
    """GuardOptions from parsed flags (already typed by the declaration)."""
    policy = AnalysisPolicy(
        interval_seconds=args.interval,
        window_seconds=args.window,
        looks=args.looks,
        failure_limit=args.failure_limit,
        consecutive_error_limit=args.consecutive_error_limit,
        no_data_limit=args.no_data_limit,
        min_requests=args.min_requests,
        required_passes=args.required_passes,
        on_inconclusive=args.on_inconclusive,
    )
    checks = check_names(args.checks, "--checks")
    if not checks:
        raise UsageError("no metric to judge", name="--checks", valid="at least one name")
    return GuardOptions(
        app=args.app,
        mode=args.mode,
        checks=checks,
        limits=Limits(
            args.error_rate_limit,
            args.p95_factor,
            args.memory_limit_mb * _MIB,
            args.min_ready_ratio,
        ),
        policy=policy,
        judged=check_names(args.mann_whitney, "--mann-whitney"),
        availability_target=round(
            args.availability_target / 100, 12
        ),  # 99.9 / 100 is 0.9990000000000001
        latency_target_seconds=round(args.latency_target_ms / 1000, 12),
    )


def selectors_from(args: argparse.Namespace) -> TrackSelectors:
    """The label matchers; each must pick something."""
    for flag, value in (
        ("--candidate-selector", args.candidate_selector),
        ("--stable-selector", args.stable_selector),
    ):
        if not value.strip() or "{" in value or "}" in value:
            raise UsageError(
                f"{value!r} is not a list of label matchers",
                name=flag,
                valid='matchers without braces, e.g. app="shop",track="canary"',
            )
    return TrackSelectors(args.candidate_selector, args.stable_selector)


CLOCK = Clock(time.time, time.monotonic, time.sleep)


def default_holder() -> str:
    """The workflow run and job, or host:pid locally."""
    run = os.environ.get("GITHUB_RUN_ID")
    if run:
        return f"rollback-guard-{run}-{os.environ.get('GITHUB_JOB', 'job')}"
    return f"rollback-guard@{socket.gethostname()}:{os.getpid()}"


def _demo() -> Rendered:
    """examples/guard_demo.py from this checkout, its lines shown as they come."""
    script = Path(__file__).resolve().parents[3] / "examples" / "guard_demo.py"
    if not script.is_file():
        msg = f"the demo is a script of a paved checkout and {script} is not there"
        raise EnvironmentProblemError(msg, hint="run --demo from a clone of paved")
    finished = run_program([sys.executable, str(script)], on_line=log.info, timeout=1800)
    return report.render_demo(finished.exit_code, finished.seconds)


def handle(args: argparse.Namespace) -> Rendered:
    """Run the analysis for parsed arguments (and the rollback, with a target); write the
    decision record; render."""
    options = options_from(args)
    spec = options.spec()
    units = {check.name: check.unit for check in spec.checks}

    def show(look: Look) -> None:
        log.info(report.timeline_line(look, units))

    def selectors() -> TrackSelectors:
        return selectors_from(args)

    if args.demo:
        return _demo()
    if args.target == "none":
        source = sources_from(args, options, None, selectors)
        record = run_analysis(spec, source, CLOCK, on_look=show)
        rendered = report.render(record, str(args.record))
    else:
        target = target_from(args)
        target.check()
        guarded = guard(
            target,
            args.app,
            spec,
            sources_from(args, options, target, selectors),
            CLOCK,
            settings=GuardSettings(args.holder or default_holder()),
            on_look=show,
        )
        rendered = report.render_guarded(guarded, str(args.record))
    _write(args.record, rendered.json_document)
    return rendered


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}", name="--record") from exc
