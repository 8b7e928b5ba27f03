"""Generated hostile values against every action input and CLI flag of every capability.

The capabilities come from the one list (paved.capabilities) and their declarations, so a
new capability is covered the day it is registered. Each run goes through the real front end
(`paved.gha.entry.main` for inputs, `paved.cli.run` for flags) up to the capability's own
option checks (`options_from`); the capability itself is not run, so a hostile value that is
valid costs nothing. Whatever the value, a user sees: an exit code in {0, 1, 2, 3}, no
traceback, no secret in any output, and a well-formed GITHUB_OUTPUT file.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
from pathlib import Path  # noqa: TC003 - used at run time by the helpers' annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paved import capabilities, cli
from paved.errors import ExitCode
from paved.gha import entry
from paved.model import Rendered, Result

SECRET = "ghs_PropertyTierSecret0123456789abcdef"  # noqa: S105 - a planted test secret
"""The value every secret parameter gets: it must never appear in anything paved writes."""

SPECIAL = [
    "",
    " ",
    "-x",
    "--help",
    "-",
    "${{ github.token }}",
    "::set-output name=result::passed",
    "a\n::error::forged",
    "x\r\n::add-mask::y",
    "../../etc/passwd",
    "/",
    "/dev/null",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "-1",
    "0",
    "1e309",
    "9" * 400,
    "\u202e\u0000\ud7ff",
    "é" * 200,
    "x" * 300,
    "a/" * 200,
    "true",
    "FALSE",
    "yes",
    "a,,b",
    ",",
    "linux/amd64,,",
    "%s%n",
    "$(touch /tmp/paved-pwned)",
    "`id`",
    "; rm -rf /",
    "{{version}}",
    "type=raw,value=" + "t" * 200,
    "2026-13-45T99:99:99",
    "http://",
    "notaurl",
]
# Neither an environment variable nor an argv entry can hold NUL: the OS refuses it before paved.
HOSTILE = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=120)).map(
    lambda text: text.replace("\x00", "")
)
HOSTILE_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
EXIT_CODES = {int(code) for code in ExitCode} - {130}
_HEREDOC = re.compile(r"^(?P<name>[A-Za-z0-9_-]+)<<(?P<delim>\S+)$")

PARAMS = [
    (capability.name, param)
    for capability in capabilities.CAPABILITIES
    for param in capabilities.declaration(capability).params
]


def _ids(case: tuple[str, object]) -> str:
    capability, param = case
    return f"{capability}:{param.name}"  # type: ignore[attr-defined]


@pytest.fixture
def parse_only(monkeypatch):
    """Each capability's handler checks its options, then stops (nothing is built or run)."""

    def stub_for(module):
        def handle(args):
            options_from = module.options_from
            if len(inspect.signature(options_from).parameters) == 1:
                options_from(args)
            else:
                options_from(args, os.environ)
            return Rendered(
                result=Result.PASSED,
                exit_code=ExitCode.OK,
                outputs={"result": "passed"},
                summary_markdown="checked\n",
                console_text="checked\n",
                json_document="{}",
            )

        return handle

    for capability in capabilities.CAPABILITIES:
        module = importlib.import_module(capability.handler)
        monkeypatch.setattr(module, "handle", stub_for(module))


def _check_output_file(path: Path) -> None:
    """GITHUB_OUTPUT: name=value lines, or name<<DELIM ... DELIM blocks, nothing else."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    index = 0
    while index < len(lines):
        line = lines[index]
        heredoc = _HEREDOC.match(line)
        if heredoc:
            end = lines.index(heredoc["delim"], index + 1)
            index = end + 1
            continue
        assert re.match(r"^[A-Za-z0-9_-]+=", line), f"malformed output line {line!r}"
        index += 1


def _secret_env(declaration) -> dict[str, str]:
    env = {}
    for param in declaration.params:
        if param.secret:
            env[f"INPUT_{param.name.upper()}"] = SECRET
    return env


def _run_action(tmp: Path, capability: str, inputs: dict[str, str], capsys) -> int:
    workspace = tmp / "workspace"
    workspace.mkdir(exist_ok=True)
    files = {name: tmp / name.lower() for name in entry.PROTOCOL_FILES}
    for path in files.values():
        path.write_text("", encoding="utf-8")
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp),
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_REPOSITORY": "acme/service",
        "GITHUB_ACTIONS": "true",
        "RUNNER_TEMP": str(tmp),
        **{name: str(path) for name, path in files.items()},
        **inputs,
    }
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(environ)
    try:
        code = entry.main([capability])
    finally:
        os.environ.clear()
        os.environ.update(saved)
    captured = capsys.readouterr()
    shown = captured.out + captured.err
    written = "".join(p.read_text(encoding="utf-8", errors="replace") for p in files.values())
    assert code in EXIT_CODES, shown
    assert "Traceback" not in shown
    # ::add-mask:: is how the runner learns the secret; it hides the line itself.
    told = "\n".join(line for line in shown.splitlines() if not line.startswith("::add-mask::"))
    assert SECRET not in told
    assert SECRET not in written
    _check_output_file(files["GITHUB_OUTPUT"])
    return code


@pytest.mark.parametrize("case", PARAMS, ids=_ids)
@HOSTILE_SETTINGS
@given(value=HOSTILE)
def test_a_hostile_action_input_never_crashes_forges_or_leaks(
    case, value, tmp_path_factory, parse_only, capsys
):
    capability, param = case
    if not param.action or param.runner is not None:
        return
    declaration = capabilities.declaration(capabilities.find(capability))
    inputs = _secret_env(declaration)
    inputs[f"INPUT_{param.name.upper()}"] = value if not param.secret else SECRET + value
    _run_action(tmp_path_factory.mktemp("action"), capability, inputs, capsys)


@pytest.mark.parametrize("case", PARAMS, ids=_ids)
@HOSTILE_SETTINGS
@given(value=HOSTILE)
def test_a_hostile_flag_value_is_an_exit_code_and_one_line_never_a_traceback(  # noqa: PLR0917
    case, value, tmp_path_factory, parse_only, capsys, monkeypatch
):
    capability, param = case
    tmp = tmp_path_factory.mktemp("cli")
    monkeypatch.chdir(tmp)
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/service")
    flag = param.flag
    argv = [capability, f"{flag}={value}", "--json", str(tmp / "outcome.json")]
    if param.positional:
        argv = [capability, "--", value] if value.startswith("-") else [capability, value]
    code = cli.run(argv, cli.ConsoleFrontend())
    captured = capsys.readouterr()
    shown = captured.out + captured.err
    assert code in EXIT_CODES, shown
    assert "Traceback" not in shown
