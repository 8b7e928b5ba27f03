import io

import pytest
from paved.gha.outputs import write_outputs

HOSTILE = {
    "shell": "$(touch pwned)",
    "backticks": "`touch pwned`",
    "quotes": "it's \"quoted\" '",
    "set_output": "ok\n::set-output name=x::y",
    "add-mask": "ok\n::add-mask::a",
    "delimiter": "ghadelimiter_00000000-0000-0000-0000-000000000000\nEOF",
    "multi_line": "one\ntwo\n\nthree\n",
    "empty": "",
    "percent": "100%0A",
}


@pytest.fixture
def output_file(tmp_path):
    path = tmp_path / "output"
    path.write_text("", encoding="utf-8")
    return path


def test_hostile_values_round_trip(output_file, parse_outputs):
    out = io.StringIO()
    assert write_outputs(HOSTILE, {"GITHUB_OUTPUT": str(output_file)}, out)
    assert parse_outputs(output_file.read_text(encoding="utf-8")) == HOSTILE
    assert out.getvalue() == ""


def test_each_output_has_its_own_random_delimiter(output_file):
    write_outputs({"a": "1", "b": "2"}, {"GITHUB_OUTPUT": str(output_file)})
    headers = [
        line for line in output_file.read_text(encoding="utf-8").splitlines() if "<<" in line
    ]
    assert len(headers) == 2
    delimiters = {header.split("<<")[1] for header in headers}
    assert len(delimiters) == 2
    assert all(delimiter.startswith("ghadelimiter_") for delimiter in delimiters)


def test_appends_to_what_is_there(output_file, parse_outputs):
    output_file.write_text("earlier=1\n", encoding="utf-8")
    write_outputs({"later": "2"}, {"GITHUB_OUTPUT": str(output_file)})
    assert parse_outputs(output_file.read_text(encoding="utf-8")) == {"earlier": "1", "later": "2"}


def test_unset_github_output_writes_nothing(tmp_path):
    out = io.StringIO()
    assert not write_outputs({"a": "1"}, {}, out)
    assert out.getvalue() == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["", "1abc", "a b", "a<<b", "a=b", "a\nb", "ä"])
def test_bad_output_name_is_a_bug(name, output_file):
    with pytest.raises(ValueError, match="output name"):
        write_outputs({name: "x"}, {"GITHUB_OUTPUT": str(output_file)})
    assert output_file.read_text(encoding="utf-8") == ""


def test_act_echoes_outputs_inside_a_fence(output_file, parse_outputs, commands_seen):
    out = io.StringIO()
    environ = {"GITHUB_OUTPUT": str(output_file), "ACT": "true"}
    write_outputs({"result": "passed", "evil": "x\n::error::pwned"}, environ, out)
    log = out.getvalue()
    assert "output result=passed" in log
    assert "::error::pwned" in log
    assert commands_seen(log) == []
    assert parse_outputs(output_file.read_text(encoding="utf-8"))["evil"] == "x\n::error::pwned"
