"""Each parameter kind parses, checks and describes its values in one place."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import jsonschema
import pytest
from paved.errors import ExitCode, UsageError
from paved.params import (
    Choice,
    Declaration,
    Duration,
    Flag,
    Integer,
    Lines,
    Moment,
    Number,
    PathParam,
    Program,
    Text,
    json_schema,
    parse_choice,
)


class Strategy(StrEnum):
    ROLLING = "rolling"
    CANARY = "canary"
    BLUE_GREEN = "blue-green"


def test_text_default_required_and_trimmed():
    token = Text(name="token", required=True, help="t")
    assert token.read("  abc \n") == "abc"
    assert Text(name="mode", default="fast", help="m").read("") == "fast"
    assert Text(name="mode", help="m").read("  ") is None
    with pytest.raises(UsageError) as caught:
        token.read("")
    assert caught.value.name == "token"
    assert str(caught.value).startswith("token: is required")
    assert caught.value.exit_code == ExitCode.USAGE


def test_values_are_data_not_code():
    hostile = "$(touch pwned); `id` \"'"
    assert Text(name="s", help="s").read(hostile) == hostile


@pytest.mark.parametrize(("text", "value"), [("true", True), ("True", True), ("FALSE", False)])
def test_flag_spellings(text, value):
    assert Flag(name="flag", help="f").read(text) is value


@pytest.mark.parametrize("text", ["yes", "1", "on", "tRue", "no"])
def test_flag_rejects_other_spellings(text):
    with pytest.raises(UsageError) as caught:
        Flag(name="fail-fast", help="f").read(text)
    message = str(caught.value)
    assert message.startswith("fail-fast: ")
    assert "true, True, TRUE, false, False, FALSE" in message


def test_lines_strip_and_skip_blanks_and_comments():
    text = "  src \n\n# a comment\n  # indented comment\ntests\r\n"
    assert Lines(name="paths", help="p").read(text) == ("src", "tests")
    assert Lines(name="paths", help="p").read("") == ()
    assert Lines(name="platforms", comma=True, help="p").read("a, b\nc") == ("a", "b", "c")


def test_a_choice_of_text_lists_its_choices():
    spec = Choice(name="strategy", choices=("rolling", "canary", "blue-green"), help="s")
    assert spec.read("canary") == "canary"
    with pytest.raises(UsageError) as caught:
        spec.read("Canary")
    assert caught.value.valid == "rolling, canary, blue-green"
    assert str(caught.value).startswith("strategy: 'Canary' is not a choice")


def test_a_choice_of_an_enum_gives_the_member_and_names_the_flag_it_was_given_as():
    spec = Choice(name="strategy", choices=Strategy, default="canary", help="s")
    assert spec.read("") is Strategy.CANARY
    assert spec.read("blue-green") is Strategy.BLUE_GREEN
    with pytest.raises(UsageError, match=r"^--strategy: 'x' is not a choice \(valid: rolling"):
        spec.read("x", "--strategy")


def test_parse_choice_is_the_one_way_to_read_an_enum():
    assert parse_choice(Strategy, "rolling", "strategy") is Strategy.ROLLING
    with pytest.raises(UsageError, match=r"strategy: 'slow' is not a choice"):
        parse_choice(Strategy, "slow", "strategy")


def test_a_default_must_be_valid():
    with pytest.raises(ValueError, match="is not valid"):
        Choice(name="s", choices=("a",), default="b", help="s")
    with pytest.raises(ValueError, match="is not valid"):
        Integer(name="n", minimum=1, default="0", help="n")


def test_integer_range():
    spec = Integer(name="retries", minimum=0, maximum=5, help="r")
    assert spec.read("3") == 3
    with pytest.raises(UsageError) as caught:
        spec.read("9")
    assert str(caught.value) == "retries: 9 is out of range (valid: a whole number from 0 to 5)"
    with pytest.raises(UsageError, match="is not a whole number"):
        spec.read("2.5")
    with pytest.raises(UsageError, match="at least 1"):
        Integer(name="n", minimum=1, help="n").read("0")


def test_number_accepts_int_and_float_and_rejects_nan():
    spec = Number(name="threshold", minimum=0, maximum=100, default="50", help="t")
    assert spec.read("80") == 80.0
    assert spec.read("99.5") == 99.5
    for bad in ("nan", "inf", "1_0", "80%"):
        with pytest.raises(UsageError, match="is not a number"):
            spec.read(bad)
    with pytest.raises(UsageError, match=r"from 0 to 100\)"):
        spec.read("100.1")
    with pytest.raises(UsageError, match=r"at most 2\.5, or empty for none"):
        Number(name="x", maximum=2.5, help="x").read("3")


@pytest.mark.parametrize("path", ["src", "./a/b", "a/../b", "a\\b", "a/./../c/.."])
def test_an_input_path_may_stay_inside_the_workspace(path):
    assert PathParam(name="dir", help="d").read(path, as_input=True) == Path(path)


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("/etc", "absolute"),
        ("C:\\x", "absolute"),
        ("\\\\server\\share", "absolute"),
        ("..", "outside the workspace"),
        ("a/../../b", "outside the workspace"),
        ("a\\..\\..", "outside the workspace"),
    ],
)
def test_an_input_path_outside_the_workspace_is_an_error(path, why):
    with pytest.raises(UsageError, match=why):
        PathParam(name="dir", help="d").read(path, as_input=True)


def test_on_the_command_line_any_path_is_taken_as_given():
    assert PathParam(name="dir", help="d").read("/etc") == Path("/etc")
    assert PathParam(name="dir", allow_outside=True, help="d").read("../x", as_input=True)


def test_a_program_is_anchored_only_when_it_is_a_path():
    python = Program(name="python", help="p")
    assert not python.anchored("python3")
    assert python.anchored(".venv/bin/python")


def test_a_moment_is_utc():
    assert Moment(name="now", help="n").read("2024-05-01T02:00:00+02:00").hour == 0
    with pytest.raises(UsageError, match="not a date and time"):
        Moment(name="now", help="n").read("tuesday")


def test_long_bad_value_is_shortened_in_the_message():
    with pytest.raises(UsageError) as caught:
        Flag(name="flag", help="f").read("x" * 500)
    assert "x" * 60 + "...'" in str(caught.value)
    assert "x" * 61 not in str(caught.value)


def test_a_secret_is_passed_by_the_name_of_its_variable():
    token = Text(name="token", secret=True, env_default="GITHUB_TOKEN", help="t")
    assert (token.flag, token.dest) == ("--token-env", "token_env")


def test_names_and_flags_may_not_repeat():
    with pytest.raises(ValueError, match="parameters repeat: a"):
        Declaration("x", params=(Text(name="a", help="a"), Text(name="a", help="a")))
    old = Text(name="b", old_flags=("--a",), help="b")
    with pytest.raises(ValueError, match="flags repeat"):
        Declaration("x", params=(Text(name="a", help="a"), old))
    with pytest.raises(ValueError, match="lower-case"):
        Text(name="Bad_Name", help="b")


def test_the_json_schema_of_a_declaration_has_every_input_typed_with_its_default():
    declaration = Declaration(
        "deploy-strategy",
        description="Roll out.",
        params=(
            Choice(name="strategy", choices=Strategy, default="canary", help="How."),
            Integer(name="steps", minimum=1, maximum=20, default="4", help="Steps."),
            Number(name="max-error-rate", minimum=0, maximum=1, help="Errors."),
            Flag(name="wait", default="true", help="Wait."),
            Lines(name="checks", help="Checks."),
            PathParam(name="manifest", required=True, help="Manifest."),
            Text(name="token", secret=True, help="Token."),
            Text(name="local-only", action=False, help="Not in a config."),
        ),
    )
    schema = json_schema(declaration)
    json.dumps(schema)  # plain JSON
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["manifest"]
    properties = schema["properties"]
    assert list(properties) == [
        "strategy", "steps", "max-error-rate", "wait", "checks", "manifest", "token",
    ]  # fmt: skip
    assert properties["strategy"] == {
        "type": "string",
        "description": "How.",
        "default": "canary",
        "enum": ["rolling", "canary", "blue-green"],
    }
    assert properties["steps"] == {
        "type": "integer", "description": "Steps.", "default": 4, "minimum": 1, "maximum": 20,
    }  # fmt: skip
    assert properties["max-error-rate"]["type"] == "number"
    assert properties["wait"] == {"type": "boolean", "description": "Wait.", "default": True}
    assert properties["checks"]["items"] == {"type": "string"}
    assert properties["token"]["writeOnly"] is True


def test_the_json_schema_validates_a_config_and_rejects_a_bad_one():
    declaration = Declaration(
        "x",
        params=(
            Choice(name="strategy", choices=Strategy, default="canary", help="How."),
            Integer(name="steps", minimum=1, maximum=20, default="4", help="Steps."),
        ),
    )
    schema = json_schema(declaration)
    jsonschema.validate({"strategy": "rolling", "steps": 3}, schema)
    for bad in ({"strategy": "fast"}, {"steps": 0}, {"colour": "red"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


def test_numbers_too_large_or_not_finite_are_invalid_values_not_crashes():
    from paved.params import Integer, InvalidValueError, Number  # noqa: PLC0415

    days = Integer(name="days", help="d", minimum=1, maximum=365)
    with pytest.raises(InvalidValueError, match="too large"):
        days.parse("9" * 400)
    interval = Number(name="interval", help="i", minimum=0)
    for text in ("1e309", "-1e309"):
        with pytest.raises(InvalidValueError, match="not a finite"):
            interval.parse(text)


def test_a_path_with_a_file_name_over_255_bytes_is_refused_before_the_file_system_sees_it():
    from paved.params import InvalidValueError, PathParam  # noqa: PLC0415

    store = PathParam(name="store", help="s")
    with pytest.raises(InvalidValueError, match="over 255 bytes"):
        store.parse("dir/" + "é" * 128)
    assert str(store.parse("dir/" + "e" * 255)) == "dir/" + "e" * 255


def test_the_example_in_the_module_docstring_is_a_valid_declaration():
    import paved.params as module  # noqa: PLC0415 - the module under test, by name

    example = module.__doc__.split("    DECLARATION = ", 1)[1].split("\n\n", 1)[0]
    namespace = {**vars(module), "Strategy": Strategy}
    declaration = eval(example, namespace)  # noqa: S307 - our own docstring
    assert [p.name for p in declaration.inputs] == [
        "strategy", "steps", "max-error-rate", "wait", "checks", "manifest", "token",
    ]  # fmt: skip
    assert declaration.get("now").action is False
    assert json_schema(declaration)["required"] == ["manifest"]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30.0), ("5m", 300.0), ("1h", 3600.0), ("250ms", 0.25), ("2.5", 2.5)],
)
def test_a_duration_is_seconds(text, seconds):
    assert Duration(name="interval", help="i").read(text) == seconds


def test_a_duration_out_of_range_or_misspelt_says_what_is_valid():
    interval = Duration(name="interval", minimum=1, maximum=600, default="30s", help="i")
    with pytest.raises(UsageError) as caught:
        interval.read("20m")
    assert str(caught.value) == (
        "interval: 20m is out of range (valid: a duration such as 250ms, 30s, 5m or 1h from 1 "
        "to 600 seconds)"
    )
    with pytest.raises(UsageError, match="'5 minutes' is not a duration"):
        interval.read("5 minutes")
    schema = interval.schema()
    assert schema["default"] == "30s"
    assert jsonschema.Draft202012Validator(schema).is_valid("45s")
    assert not jsonschema.Draft202012Validator(schema).is_valid("45 s")


def test_a_comma_list_with_an_empty_item_is_refused_not_silently_shortened():
    from paved.params import InvalidValueError, Lines  # noqa: PLC0415

    platforms = Lines(name="platforms", help="p", comma=True)
    assert platforms.parse("linux/amd64, linux/arm64") == ("linux/amd64", "linux/arm64")
    for text in ("linux/amd64,,", "linux/amd64,", ",linux/arm64"):
        with pytest.raises(InvalidValueError, match="empty item"):
            platforms.parse(text)
