"""`python -m paved.gha CAPABILITY`: action inputs in, the CLI's code path, runner protocol out."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from paved import capabilities, cli
from paved.errors import ExitCode, PavedError, UsageError
from paved.gha.annotations import emit_annotations
from paved.gha.commands import issue
from paved.gha.inputs import action_argv
from paved.gha.logsink import GhaLogSink, install_sink
from paved.gha.outputs import write_outputs
from paved.gha.summary import write_summary
from paved.report import markdown as md

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from paved.model import Rendered

PROTOCOL_FILES = (
    "GITHUB_OUTPUT",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_ENV",
    "GITHUB_PATH",
    "GITHUB_STATE",
)
"""Runner files only this process may write: hidden from the user's tools we run."""


class GhaFrontend:
    """Shows an outcome through the runner: log, annotations, job summary, outputs."""

    def __init__(self, environ: Mapping[str, str], sink: GhaLogSink, outcome_path: Path) -> None:
        self.environ = environ
        self.sink = sink
        self.outcome_path = outcome_path

    def show(self, rendered: Rendered) -> None:
        self.sink.close()
        for line in rendered.console_text.splitlines():
            self.sink.tool_output(line)
        self.sink.close()
        tally = emit_annotations(rendered.annotations, environ=self.environ)
        note = md.dropped_annotations_note({k.value: v for k, v in tally.dropped.items()})
        write_summary(rendered.summary_markdown + note, self.environ)
        write_outputs({**rendered.outputs, "outcome-path": str(self.outcome_path)}, self.environ)

    def fail(self, capability: str, error: PavedError) -> None:
        self.sink.close()
        issue("error", str(error), title=f"paved {capability}")
        write_summary(md.error_summary(capability, str(error)), self.environ)
        outputs = {"result": "error", "outcome-path": str(self.outcome_path)}
        write_outputs(outputs, self.environ)


def main(argv: Sequence[str]) -> int:
    """Run the action named by argv[0] with inputs from INPUT_* variables."""
    environ = dict(os.environ)
    for name in PROTOCOL_FILES:
        os.environ.pop(name, None)
    sink = install_sink()
    capability = argv[0] if argv else ""
    outcome_path = _outcome_path(capability, environ)
    frontend = GhaFrontend(environ, sink, outcome_path)
    found = capabilities.find(capability)
    if found is None or not found.action:
        valid = ", ".join(sorted(c.name for c in capabilities.CAPABILITIES if c.action))
        frontend.fail(
            capability or "paved", UsageError(f"unknown action {capability!r}", valid=valid)
        )
        return ExitCode.USAGE
    try:
        args = action_argv(capabilities.declaration(found), environ)
    except PavedError as error:
        frontend.fail(capability, error)
        return int(error.exit_code)
    return cli.run([*args, "--json", str(outcome_path)], frontend)


def _outcome_path(capability: str, environ: Mapping[str, str]) -> Path:
    temp = Path(environ.get("RUNNER_TEMP") or Path.cwd())
    step = environ.get("GITHUB_ACTION") or "step"
    return temp / "paved" / f"{capability or 'paved'}-{step}.json"
