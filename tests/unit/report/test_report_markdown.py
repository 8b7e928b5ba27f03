import pytest
from paved.report import markdown as md


def test_a_pipe_in_a_cell_does_not_split_the_row():
    assert md.escape_cell("test_x[a|b]") == "test_x[a\\|b]"


def test_a_backslash_before_a_pipe_cannot_unescape_it():
    assert md.escape_cell("C:\\|x") == "C:\\\\\\|x"


def test_html_in_a_cell_is_shown_not_rendered():
    assert md.escape_cell("<script>alert('x')</script> & more") == (
        "&lt;script&gt;alert('x')&lt;/script&gt; &amp; more"
    )


def test_line_breaks_in_a_cell_stay_inside_the_row():
    assert md.escape_cell("first line\n  second line\r\nthird\n") == (
        "first line<br>second line<br>third"
    )


def test_non_text_cells_are_shown_as_text():
    assert md.escape_cell(42) == "42"
    assert md.escape_cell("") == ""


def test_running_text_escapes_emphasis_html_and_line_breaks():
    assert md.escape_text("**bold** _it_ [link](x) #1 <b>\nnext") == (
        "\\*\\*bold\\*\\* \\_it\\_ \\[link\\](x) \\#1 &lt;b&gt; next"
    )


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ("pytest -q", "`pytest -q`"),
        ("echo `id`", "`` echo `id` ``"),
        ("a``b", "```a``b```"),
        ("`tick`", "`` `tick` ``"),
        ("grep a|b", "`grep a\\|b`"),
        ("two\nlines", "`two lines`"),
    ],
)
def test_code_spans_survive_backticks_pipes_and_newlines(value, span):
    assert md.code(value) == span


def test_table_aligns_columns_as_asked_and_defaults_to_left():
    table = md.table(["Name", "Count", "Mid", "Extra"], [["a", 1, "m", "x"]], "lrc")
    assert table.splitlines() == [
        "| Name | Count | Mid | Extra |",
        "| --- | ---: | :---: | --- |",
        "| a | 1 | m | x |",
    ]


def test_table_escapes_cells_but_keeps_raw_markdown():
    table = md.table(["Cmd", "Note"], [[md.Raw(md.code("a|b")), "x|y"]])
    assert table.splitlines()[2] == "| `a\\|b` | x\\|y |"


def test_code_block_fence_is_longer_than_any_fence_inside():
    block = md.code_block("before\n````\ninside\n````\nafter", "text")
    assert block.startswith("`````text\n")
    assert block.endswith("\n`````")


def test_details_escapes_its_title():
    assert md.details("Output of <b>", "body").startswith(
        "<details><summary>Output of &lt;b&gt;</summary>"
    )


@pytest.mark.parametrize(
    ("value", "text"), [(0.421, "0.42 s"), (12.34, "12.3 s"), (125, "2 min 05 s")]
)
def test_durations_read_naturally(value, text):
    assert md.seconds(value) == text


@pytest.mark.parametrize(
    ("value", "text"), [(None, "—"), (79.944, "79.94%"), (80.0, "80%"), (100.0, "100%")]
)
def test_percentages_show_at_most_two_decimals_or_a_dash(value, text):
    assert md.percent(value) == text
