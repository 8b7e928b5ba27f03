"""Action inputs, read from the INPUT_<NAME> variables, become the CLI's argv.

The composite actions pass each input through `env:` under that name, so a value is never
pasted into a shell script: here it is only data, checked against the capability's declared
parameter (paved.params) and passed on as `--name=value` (glued, so a value such as "-x" is
never read as a flag of its own). The CLI then parses it with the same declaration.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from paved.errors import UsageError
from paved.gha.commands import add_mask
from paved.params import Flag, Runner

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from paved.params import Declaration, Param


def env_name(name: str) -> str:
    """The environment variable holding input `name`: INPUT_ + upper case, '-'/' ' as '_'."""
    return "INPUT_" + name.upper().replace("-", "_").replace(" ", "_")


class InputsError(UsageError):
    """Several inputs are not valid; the message lists each, one per line."""

    def __init__(self, problems: Sequence[UsageError]) -> None:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{len(problems)} inputs are not valid:\n{lines}")
        self.problems = tuple(problems)


def action_argv(declaration: Declaration, environ: Mapping[str, str]) -> list[str]:
    """`[capability, positional..., --flag=value, ...]` for the inputs in `environ`; one
    UsageError names every input that is not valid."""
    workspace = Path(environ.get("GITHUB_WORKSPACE") or ".")
    positional: list[str] = []
    flags: list[str] = []
    problems: list[UsageError] = []
    for param in declaration.params:
        if param.runner is Runner.WORKSPACE:
            flags.append(f"{param.flag}={workspace}")
        if not param.action or param.runner is not None:
            continue
        try:
            values = _input_values(param, environ, workspace)
        except UsageError as problem:
            problems.append(problem)
            continue
        if param.positional:
            positional += values
        else:
            flags += values
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InputsError(problems)
    return [declaration.capability, *positional, *flags]


def _input_values(param: Param, environ: Mapping[str, str], workspace: Path) -> list[str]:
    """The argv items for one input: none when empty, else checked and glued to the flag."""
    text = environ.get(env_name(param.name), "").strip()
    if param.secret:
        if not text:
            return []
        # Masked before anything can print it; the CLI reads it from the input's variable,
        # so it is never in an argument list, a log line or an output.
        add_mask(text)
        return [f"{param.flag}={env_name(param.name)}"]
    if not text and param.action_default is None:
        text = param.default
    value = param.read(text, as_input=True)
    if isinstance(param, Flag):
        changed = value != param.read("")
        return [param.flag if value else f"--no-{param.name}"] if changed else []
    if not text:
        return []
    items = list(value) if param.repeatable else [text]
    anchored = [str(workspace / item) if param.anchored(item) else item for item in items]
    if param.positional:
        return anchored
    return [f"{param.flag}={item}" for item in anchored]
