import pytest
from paved.errors import ExitCode, UsageError
from paved.gha.inputs import (
    BooleanInput,
    EnumInput,
    InputsError,
    IntegerInput,
    MultilineInput,
    NumberInput,
    PathInput,
    StringInput,
    env_name,
    read_inputs,
)


def test_env_name_matches_the_composite_actions():
    assert env_name("python-version") == "INPUT_PYTHON_VERSION"
    assert env_name("Working Directory") == "INPUT_WORKING_DIRECTORY"


def test_string_default_required_and_trimmed():
    spec = StringInput("token")
    assert spec.read({"INPUT_TOKEN": "  abc \n"}) == "abc"
    assert StringInput("mode", default="fast").read({}) == "fast"
    assert StringInput("mode", default="").read({"INPUT_MODE": "  "}) == ""
    with pytest.raises(UsageError) as caught:
        spec.read({"INPUT_TOKEN": ""})
    assert caught.value.name == "token"
    assert str(caught.value).startswith("token: is required")
    assert caught.value.exit_code == ExitCode.USAGE


def test_values_are_data_not_code():
    hostile = "$(touch pwned); `id` \"'"
    assert StringInput("s").read({"INPUT_S": hostile}) == hostile


@pytest.mark.parametrize("text", ["true", "True", "TRUE"])
def test_boolean_true(text):
    assert BooleanInput("flag").read({"INPUT_FLAG": text}) is True


@pytest.mark.parametrize("text", ["false", "False", "FALSE"])
def test_boolean_false(text):
    assert BooleanInput("flag").read({"INPUT_FLAG": text}) is False


@pytest.mark.parametrize("text", ["yes", "1", "on", "tRue", "no"])
def test_boolean_rejects_other_spellings(text):
    with pytest.raises(UsageError) as caught:
        BooleanInput("fail-fast").read({"INPUT_FAIL_FAST": text})
    message = str(caught.value)
    assert message.startswith("fail-fast: ")
    assert "true, True, TRUE, false, False, FALSE" in message


def test_boolean_default():
    assert BooleanInput("flag", default=False).read({}) is False


def test_multiline_strips_and_skips_blanks_and_comments():
    text = "  src \n\n# a comment\n  # indented comment\ntests\r\n"
    assert MultilineInput("paths").read({"INPUT_PATHS": text}) == ("src", "tests")
    assert MultilineInput("paths", default=()).read({}) == ()


def test_enum_lists_choices():
    spec = EnumInput("strategy", choices=("rolling", "canary", "blue-green"))
    assert spec.read({"INPUT_STRATEGY": "canary"}) == "canary"
    with pytest.raises(UsageError) as caught:
        spec.read({"INPUT_STRATEGY": "Canary"})
    assert caught.value.valid == "rolling, canary, blue-green"
    assert "'Canary'" in str(caught.value)


def test_enum_default_must_be_a_choice():
    with pytest.raises(ValueError, match="not one of its choices"):
        EnumInput("s", choices=("a",), default="b")


def test_integer_range():
    spec = IntegerInput("retries", minimum=0, maximum=5)
    assert spec.read({"INPUT_RETRIES": "3"}) == 3
    with pytest.raises(UsageError) as caught:
        spec.read({"INPUT_RETRIES": "9"})
    assert str(caught.value) == "retries: 9 is out of range (valid: a whole number from 0 to 5)"
    with pytest.raises(UsageError, match="is not a whole number"):
        spec.read({"INPUT_RETRIES": "2.5"})
    with pytest.raises(UsageError, match="at least 1"):
        IntegerInput("n", minimum=1).read({"INPUT_N": "0"})


def test_number_accepts_int_and_float_and_rejects_nan():
    spec = NumberInput("threshold", minimum=0, maximum=100)
    assert spec.read({"INPUT_THRESHOLD": "80"}) == 80.0
    assert spec.read({"INPUT_THRESHOLD": "99.5"}) == 99.5
    for bad in ("nan", "inf", "1_0", "80%"):
        with pytest.raises(UsageError, match="is not a number"):
            spec.read({"INPUT_THRESHOLD": bad})
    with pytest.raises(UsageError, match=r"from 0 to 100\)"):
        spec.read({"INPUT_THRESHOLD": "100.1"})
    with pytest.raises(UsageError, match=r"at most 2\.5"):
        NumberInput("x", maximum=2.5).read({"INPUT_X": "3"})


def test_range_default_must_be_in_range():
    with pytest.raises(ValueError, match="outside its range"):
        IntegerInput("n", minimum=1, default=0)


@pytest.mark.parametrize("path", ["src", "./a/b", "a/../b", "a\\b", "a/./../c/.."])
def test_path_relative_inside_workspace(path):
    assert PathInput("dir").read({"INPUT_DIR": path}) == path


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
def test_path_outside_workspace_is_an_error(path, why):
    with pytest.raises(UsageError, match=why):
        PathInput("dir").read({"INPUT_DIR": path})


def test_path_outside_allowed():
    assert PathInput("dir", allow_outside=True).read({"INPUT_DIR": "../x"}) == "../x"


def test_read_inputs_returns_typed_values():
    retries = IntegerInput("retries", default=1)
    flag = BooleanInput("fail-fast", default=True)
    inputs = read_inputs([retries, flag], {"INPUT_RETRIES": "4"})
    assert inputs.value(retries) == 4
    assert inputs.value(flag) is True
    assert dict(inputs) == {"retries": 4, "fail-fast": True}


def test_read_inputs_single_problem_is_that_error():
    with pytest.raises(UsageError) as caught:
        read_inputs([BooleanInput("flag")], {"INPUT_FLAG": "yes"})
    assert not isinstance(caught.value, InputsError)
    assert caught.value.name == "flag"


def test_read_inputs_lists_every_bad_input_at_once():
    specs = [
        StringInput("token"),
        BooleanInput("flag"),
        EnumInput("mode", choices=("a", "b")),
        IntegerInput("n", maximum=3),
        PathInput("dir"),
        StringInput("fine", default="x"),
    ]
    environ = {"INPUT_FLAG": "y", "INPUT_MODE": "c", "INPUT_N": "4", "INPUT_DIR": "/x"}
    with pytest.raises(InputsError) as caught:
        read_inputs(specs, environ)
    error = caught.value
    assert isinstance(error, UsageError)
    lines = str(error).splitlines()
    assert lines[0] == "5 inputs are not valid:"
    assert [line.split(":")[0] for line in lines[1:]] == [
        "  - token",
        "  - flag",
        "  - mode",
        "  - n",
        "  - dir",
    ]
    assert [problem.name for problem in error.problems] == ["token", "flag", "mode", "n", "dir"]


def test_read_inputs_rejects_repeated_names():
    with pytest.raises(ValueError, match="repeat"):
        read_inputs([StringInput("a"), StringInput("a")], {})


def test_long_bad_value_is_shortened_in_the_message():
    with pytest.raises(UsageError) as caught:
        BooleanInput("flag").read({"INPUT_FLAG": "x" * 500})
    assert "x" * 60 + "...'" in str(caught.value)
    assert "x" * 61 not in str(caught.value)


def test_given_inputs_become_flag_equals_value_and_multiline_inputs_repeat_the_flag():
    command = StringInput("test-command", default="")
    junit = StringInput("junit-file", default="")
    tags = MultilineInput("tags", default=())
    environ = {"INPUT_TEST_COMMAND": "-x", "INPUT_TAGS": "main\nsha-abc1234\n"}
    inputs = read_inputs([command, junit, tags], environ)

    # "-x" stays glued to its flag, and an input left empty adds nothing.
    assert inputs.flags((("--test-command", command), ("--junit-file", junit))) == [
        "--test-command=-x"
    ]
    assert inputs.repeated((("--tag", tags),)) == ["--tag=main", "--tag=sha-abc1234"]
