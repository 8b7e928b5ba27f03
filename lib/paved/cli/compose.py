"""`paved compose` (flags: compose.params): read pipeline-config.yaml, write, print or check
the workflow it produces. The only place compose reads or writes files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.compose.config import load
from paved.compose.graph import compose, pin
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
    if args.dry_run and args.check:
        raise UsageError("give --dry-run or --check, not both", name="--check")
    where = pin(args.repository, args.ref)
    output = check_output(args.output)
    config = load(_read(args.config, "--config"), str(args.config))
    pipeline = compose(config, where)
    workflow = report.workflow_text(pipeline, args.config.name)
    mode = Mode.DRY_RUN if args.dry_run else Mode.CHECK if args.check else Mode.WRITE
    committed = None
    if mode is Mode.CHECK:
        committed = _read(args.output, "--output") if args.output.is_file() else None
    elif mode is Mode.WRITE:
        _write(args.output, workflow)
    outcome = ComposeOutcome(
        mode, str(args.config), str(output), pipeline, workflow, committed=committed
    )
    return report.render(outcome)


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
