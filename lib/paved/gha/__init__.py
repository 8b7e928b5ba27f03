"""The GitHub Actions front end: the only code in paved that speaks the runner protocol.

Workflow commands, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and INPUT_* variables are handled
here and nowhere else; `entry` (not imported here) wires them to the capabilities.
"""

from paved.gha.annotations import AnnotationTally, emit_annotations
from paved.gha.commands import (
    add_mask,
    append_file_command,
    begin_group,
    debug,
    end_group,
    is_act,
    issue,
    stop_commands,
)
from paved.gha.inputs import InputsError, action_argv, env_name
from paved.gha.logsink import GhaLogSink, install_sink
from paved.gha.outputs import write_outputs
from paved.gha.summary import SUMMARY_LIMIT_BYTES, SummaryWritten, write_summary

__all__ = [
    "SUMMARY_LIMIT_BYTES",
    "AnnotationTally",
    "GhaLogSink",
    "InputsError",
    "SummaryWritten",
    "action_argv",
    "add_mask",
    "append_file_command",
    "begin_group",
    "debug",
    "emit_annotations",
    "end_group",
    "env_name",
    "install_sink",
    "is_act",
    "issue",
    "stop_commands",
    "write_outputs",
    "write_summary",
]
