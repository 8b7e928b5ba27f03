"""Step outputs, written to the GITHUB_OUTPUT file as heredocs with a random delimiter."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, TextIO

from paved.gha import commands

if TYPE_CHECKING:
    from collections.abc import Mapping

OUTPUT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
"""Names action.yml can declare; anything else is a bug in paved, not in the user's input."""


def write_outputs(
    outputs: Mapping[str, str],
    environ: Mapping[str, str] = os.environ,
    stream: TextIO | None = None,
) -> bool:
    """Append `outputs` to GITHUB_OUTPUT; False (nothing written) when it is unset.

    Values are data: newlines, quotes, `$(...)`, `::set-output` or `EOF` in them come
    through unchanged. Under act each output is also echoed to the log, fenced.
    """
    for name in outputs:
        if not OUTPUT_NAME.fullmatch(name):
            msg = f"output name {name!r} does not match {OUTPUT_NAME.pattern}"
            raise ValueError(msg)
    if outputs and commands.is_act(environ):
        # act records outputs but shows them nowhere obvious; the echo makes the log
        # self-explanatory. Values are untrusted, hence the fence.
        with commands.stop_commands(stream=stream):
            for name, value in outputs.items():
                commands.write_line(f"output {name}={value}", stream=stream)
    if commands.file_command_path("OUTPUT", environ) is None:
        return False
    text = os.linesep.join(
        commands.key_value_message(name, value) for name, value in outputs.items()
    )
    if text:
        commands.append_file_command("OUTPUT", text, environ)
    return True
