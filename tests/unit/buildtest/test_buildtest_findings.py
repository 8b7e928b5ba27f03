from paved.buildtest.findings import (
    CodeFinding,
    parse_format_output,
    parse_lint_output,
    parse_ruff_json,
)

RUFF_CONCISE = """\
app.py:3:8: F401 [*] `os` imported but unused
pkg/models.py:12:89: E501 Line too long (104 > 88)
pkg/models.py:20:5: PLR2004 Magic value used in comparison, consider replacing `3` with a constant
Found 3 errors.
[*] 1 fixable with the `--fix` option.
"""

FLAKE8 = """\
./app.py:3:1: F401 'os' imported but unused
./pkg/models.py:10:80: E501 line too long (88 > 79 characters)
"""


def test_ruff_concise_lines_become_located_findings():
    findings = parse_lint_output(RUFF_CONCISE)
    assert [(f.file, f.line, f.column, f.code) for f in findings] == [
        ("app.py", 3, 8, "F401"),
        ("pkg/models.py", 12, 89, "E501"),
        ("pkg/models.py", 20, 5, "PLR2004"),
    ]
    assert findings[1].message == "Line too long (104 > 88)"


def test_ruff_fixable_finding_keeps_its_location_and_rule():
    (finding,) = parse_lint_output("app.py:3:8: F401 [*] `os` imported but unused")
    assert (finding.file, finding.line, finding.column, finding.code) == ("app.py", 3, 8, "F401")
    assert finding.message.endswith("`os` imported but unused")


def test_ruff_fixable_marker_is_not_part_of_the_message():
    (finding,) = parse_lint_output("app.py:3:8: F401 [*] `os` imported but unused")
    assert finding.message == "`os` imported but unused"


def test_flake8_lines_become_located_findings():
    assert parse_lint_output(FLAKE8) == (
        CodeFinding("./app.py", 3, 1, "F401", "'os' imported but unused"),
        CodeFinding("./pkg/models.py", 10, 80, "E501", "line too long (88 > 79 characters)"),
    )


def test_lines_that_are_not_findings_are_ignored():
    noise = """\
All checks passed!
error: Failed to parse app.py:1:5: Expected an expression
warning: `one-blank-line-before-class` (D203) and (D211) are incompatible.
Found 1 error.
"""
    assert parse_lint_output(noise) == ()


def test_ruff_format_check_names_each_file_it_would_reformat():
    output = (
        "Would reformat: app.py\n"
        "Would reformat: pkg/models.py\n"
        "2 files would be reformatted, 3 files already formatted\n"
    )
    findings = parse_format_output(output)
    assert [f.file for f in findings] == ["app.py", "pkg/models.py"]
    assert {(f.code, f.message, f.line) for f in findings} == {
        ("format", "would be reformatted", None)
    }


def test_black_check_names_each_file_it_would_reformat():
    output = (
        "would reformat app.py\n"
        "\n"
        "Oh no! 💥 💔 💥\n"
        "1 file would be reformatted, 2 files would be left unchanged.\n"
    )
    assert [f.file for f in parse_format_output(output)] == ["app.py"]


def test_a_clean_format_check_has_no_findings():
    assert parse_format_output("3 files already formatted\n") == ()


RUFF_JSON = """[
  {"code": "F401", "message": "`os` imported but unused", "filename": "/srv/svc/app.py",
   "location": {"row": 1, "column": 8}, "end_location": {"row": 1, "column": 10}},
  {"code": null, "message": "SyntaxError: Expected an expression", "filename": "/elsewhere/x.py",
   "location": {"row": 3, "column": 1}},
  "not a finding"
]"""


def test_ruff_json_findings_are_located_relative_to_the_project():
    assert parse_ruff_json(RUFF_JSON, "/srv/svc") == (
        CodeFinding("app.py", 1, 8, "F401", "`os` imported but unused"),
        CodeFinding("/elsewhere/x.py", 3, 1, "syntax", "SyntaxError: Expected an expression"),
    )


def test_ruff_json_that_is_not_json_gives_no_findings():
    assert parse_ruff_json("error: unknown option", "/srv/svc") == ()


def test_every_format_checker_output_form_gives_one_finding_per_file():
    # ruff 0.9+ concise, ruff 0.9+ full, ruff before 0.9, black --check; then summaries
    output = """\
a.py:2:1: unformatted: File would be reformatted
unformatted: File would be reformatted
  --> b.py:1:7
Would reformat: c.py
would reformat d/e.py
a.py:9:1: unformatted: File would be reformatted
2 files would be reformatted, 15 files already formatted
Oh no! 💥 💔 💥
"""
    findings = parse_format_output(output)
    assert [(f.file, f.line, f.column) for f in findings] == [
        ("a.py", 2, 1),
        ("b.py", 1, 7),
        ("c.py", None, None),
        ("d/e.py", None, None),
    ]
    assert {f.code for f in findings} == {"format"}
