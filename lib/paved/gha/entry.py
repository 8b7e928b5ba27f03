"""`python -m paved.gha CAPABILITY`: action inputs in, the CLI's code path, runner protocol out."""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from paved import cli
from paved.errors import ExitCode, PavedError, UsageError
from paved.gha.annotations import emit_annotations
from paved.gha.commands import issue
from paved.gha.inputs import read_inputs
from paved.gha.logsink import GhaLogSink, install_sink
from paved.gha.outputs import write_outputs
from paved.gha.summary import write_summary
from paved.report import markdown as md

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from paved.gha.inputs import Inputs, InputSpec
    from paved.model import Rendered

PROTOCOL_FILES = (
    "GITHUB_OUTPUT",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_ENV",
    "GITHUB_PATH",
    "GITHUB_STATE",
)
"""Runner files only this process may write: hidden from the user's tools we run."""


@dataclass(frozen=True)
class ActionSpec:
    """How one action's inputs become `paved` arguments."""

    inputs: Sequence[InputSpec[object]]
    to_argv: Callable[[Inputs, Mapping[str, str]], list[str]]


ACTIONS: dict[str, str] = {
    "build-test": "paved.gha.build_test",
    "container-build": "paved.gha.container_build",
    "security-scan": "paved.gha.security_scan",
    "ci-metrics": "paved.gha.ci_metrics",
}
"""Action -> the module with its INPUTS and to_argv; imported only for the action that runs."""


def action_spec(capability: str) -> ActionSpec | None:
    """The inputs and argument builder of one action, or None when there is no such action."""
    module = ACTIONS.get(capability)
    if module is None:
        return None
    loaded = importlib.import_module(module)
    return ActionSpec(loaded.INPUTS, loaded.to_argv)


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
    spec = action_spec(capability)
    if spec is None:
        frontend.fail(
            capability or "paved",
            UsageError(f"unknown action {capability!r}", valid=", ".join(sorted(ACTIONS))),
        )
        return ExitCode.USAGE
    try:
        inputs = read_inputs(spec.inputs, environ)
        args = spec.to_argv(inputs, environ)
    except PavedError as error:
        frontend.fail(capability, error)
        return int(error.exit_code)
    return cli.run([*args, "--json", str(outcome_path)], frontend)


def _outcome_path(capability: str, environ: Mapping[str, str]) -> Path:
    temp = Path(environ.get("RUNNER_TEMP") or Path.cwd())
    step = environ.get("GITHUB_ACTION") or "step"
    return temp / "paved" / f"{capability or 'paved'}-{step}.json"
