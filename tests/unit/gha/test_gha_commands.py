import ast
import io
from pathlib import Path

import pytest
from paved.gha import commands


def test_properties_escape_colon_comma_percent_and_newlines():
    line = commands.format_command("error", "m", file="a:b,c.py", title="50% done\r\nnext")
    assert line == "::error file=a%3Ab%2Cc.py,title=50%25 done%0D%0Anext::m"


def test_message_escapes_newlines_and_percent_but_not_colon():
    line = commands.format_command("warning", "100%\nsecond: line\r,")
    assert line == "::warning::100%25%0Asecond: line%0D,"


def test_none_properties_are_dropped_and_ints_kept():
    assert commands.format_command("notice", "m", file="f.py", line=3, col=None) == (
        "::notice file=f.py,line=3::m"
    )


def test_issue_writes_one_line_to_the_stream():
    out = io.StringIO()
    commands.issue("debug", "a\nb", stream=out)
    assert out.getvalue() == "::debug::a%0Ab\n"


def test_add_mask_masks_each_non_empty_line():
    out = io.StringIO()
    commands.add_mask("first\n\n  \nsecond%\r\nthird", stream=out)
    assert out.getvalue().splitlines() == [
        "::add-mask::first",
        "::add-mask::second%25",
        "::add-mask::third",
    ]


def test_groups_and_debug():
    out = io.StringIO()
    commands.begin_group("Lint: src", stream=out)
    commands.debug("x", stream=out)
    commands.end_group(stream=out)
    assert out.getvalue().splitlines() == ["::group::Lint: src", "::debug::x", "::endgroup::"]


def test_stop_commands_fences_untrusted_text(commands_seen):
    out = io.StringIO()
    with commands.stop_commands(stream=out) as token:
        commands.write_line("::error::pwned", stream=out)
        commands.write_line("::add-mask::a", stream=out)
    commands.issue("notice", "after", stream=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"::stop-commands::{token}"
    assert lines[-2] == f"::{token}::"
    assert len(token) == 32
    assert commands_seen(out.getvalue()) == ["::notice::after"]


def test_stop_commands_uses_a_new_token_each_time():
    out = io.StringIO()
    with commands.stop_commands(stream=out) as first:
        pass
    with commands.stop_commands(stream=out) as second:
        pass
    assert first != second


def test_stop_commands_resumes_on_error():
    out = io.StringIO()
    with pytest.raises(RuntimeError), commands.stop_commands(stream=out) as token:
        raise RuntimeError
    assert out.getvalue().splitlines()[-1] == f"::{token}::"


def test_is_act():
    assert commands.is_act({"ACT": "true"})
    assert not commands.is_act({"ACT": "1"})
    assert not commands.is_act({})


def test_append_file_command(tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text("", encoding="utf-8")
    assert commands.append_file_command("ENV", "A=1", {"GITHUB_ENV": str(env_file)})
    assert commands.append_file_command("ENV", "B=2", {"GITHUB_ENV": str(env_file)})
    assert env_file.read_text(encoding="utf-8") == "A=1\nB=2\n"


def test_append_file_command_unset_writes_nothing():
    assert not commands.append_file_command("OUTPUT", "x", {})
    assert not commands.append_file_command("OUTPUT", "x", {"GITHUB_OUTPUT": ""})


def test_unknown_file_command_is_a_bug():
    with pytest.raises(ValueError, match="unknown file command"):
        commands.append_file_command("SET_ENV", "x", {})


def test_key_value_message_draws_a_new_delimiter_on_collision(monkeypatch, parse_outputs):
    # Force the toolkit's uuid4 to repeat a delimiter the value already holds.
    drawn = iter(["same", "same", "other"])
    monkeypatch.setattr(commands._file_command, "uuid4", lambda: next(drawn))  # noqa: SLF001
    value = "x\nghadelimiter_same\ny"
    message = commands.key_value_message("out", value)
    assert message.splitlines()[0] == "out<<ghadelimiter_other"
    assert parse_outputs(message) == {"out": value}


def test_only_commands_imports_actions_toolkit():
    package = Path(commands.__file__).parent
    importers = set()
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(name.split(".")[0] == "actions_toolkit" for name in names):
                importers.add(source.name)
    assert importers == {"commands.py"}


def test_default_stream_is_stdout_at_call_time(capsys):
    commands.debug("to stdout")
    assert capsys.readouterr().out == "::debug::to stdout\n"
