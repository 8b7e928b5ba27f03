"""`paved compose` (flags: compose.params): read pipeline-config.yaml, write, print or check
the workflow it produces. The only place compose reads or writes files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.compose.config import load
from paved.compose.graph import compose, pin
from paved.compose.options import ComposeOptions
from paved.compose.outcome import ComposeOutcome, Mode
from paved.compose.output import check_output
from paved.compose.schema import config_schema
from paved.errors import UsageError
from paved.report import compose as report

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from paved.model import Rendered


def handle(args: argparse.Namespace) -> Rendered:
    """Run compose for parsed arguments."""
    if args.schema:
        return report.schema_rendered(config_schema())
    options = options_from(args)
    config = load(_read(options.config, "--config"), str(options.config))
    pipeline = compose(config, options.pin)
    workflow = report.workflow_text(pipeline, options.config.name)
    committed = None
    if options.mode is Mode.CHECK and options.output.is_file():
        committed = _read(options.output, "--output")
    elif options.mode is Mode.WRITE:
        _write(options.output, workflow)
    outcome = ComposeOutcome(
        options.mode,
        str(options.config),
        str(options.output),
        pipeline,
        workflow,
        committed=committed,
    )
    return report.render(outcome)


def options_from(args: argparse.Namespace) -> ComposeOptions:
    """ComposeOptions from parsed flags: the mode, the pin and the output place checked."""
    if args.dry_run and args.check:
        raise UsageError("give --dry-run or --check, not both", name="--check")
    mode = Mode.DRY_RUN if args.dry_run else Mode.CHECK if args.check else Mode.WRITE
    check_output(args.output)
    return ComposeOptions(args.config, args.output, mode, pin(args.repository, args.ref))


def _read(path: Path, flag: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist", name=flag) from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text", name=flag) from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}", name=flag) from None


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}", name="--output") from exc
