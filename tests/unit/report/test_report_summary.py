from dataclasses import replace

import pytest
from paved.buildtest import junit
from paved.buildtest.findings import CodeFinding
from paved.buildtest.junit import CaseStatus
from paved.buildtest.outcome import FailureKind, GateFailure, StepKind
from paved.model import StepStatus
from paved.report.buildtest import console, failure_message, summary


def section(markdown, title):
    """The text under a `### title` heading, up to the next section."""
    return markdown.split(f"### {title}\n", 1)[1].split("\n\n", 1)[0]


def test_failing_summary_heads_with_the_result_and_project(failing_outcome):
    text = summary(failing_outcome)
    assert text.startswith("## ❌ build-test failed: `examples/svc` (python)\n")


def test_failing_summary_says_why_in_one_line_per_reason(failing_outcome):
    assert section(summary(failing_outcome), "Why it failed").splitlines() == [
        "- the lint step failed (exit code 1)",
        "- 1 test failed",
        "- coverage 70% is below the threshold 80%",
    ]


def test_failing_test_is_located_relative_to_the_repository(failing_outcome):
    rows = section(summary(failing_outcome), "Failing tests").splitlines()
    assert rows[2] == "| tests.test_x::test_sum | examples/svc/tests/test_x.py:15 | assert 1 == 2 |"


def test_lint_findings_are_located_relative_to_the_repository(failing_outcome):
    rows = section(summary(failing_outcome), "Format and lint findings").splitlines()
    assert rows[2] == "| lint | examples/svc/app.py:3:8 | F401 | `os` imported but unused |"


def test_totals_show_counts_duration_and_coverage_against_the_gate(failing_outcome):
    totals = summary(failing_outcome).split("\n\n")[1].splitlines()
    assert totals[0].startswith("| Tests | Passed | Failed | Skipped | XFailed | XPassed | Errors")
    assert totals[1] == "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    assert totals[2] == "| 2 | 1 | 1 | 0 | 0 | 0 | 0 | 7.50 s | 70% (gate 80%) |"


def test_steps_show_their_commands_as_code(failing_outcome):
    rows = section(summary(failing_outcome), "Steps").splitlines()
    assert rows[1] == "| --- | --- | ---: | --- |"
    assert rows[5] == "| lint | failed | 1.50 s | `ruff check .` |"


def test_output_of_a_failed_step_without_findings_is_folded_in(failing_outcome):
    text = summary(failing_outcome)
    assert "<details><summary>Output of the test step (last lines)</summary>" in text
    assert "```\n1 failed\n```" in text
    assert "Output of the lint step" not in text


def test_lowest_coverage_lists_the_least_covered_file_first(failing_outcome):
    rows = section(summary(failing_outcome), "Lowest coverage").splitlines()
    assert rows[2:] == ["| service/app.py | 5 | 2 | 40% |", "| service/db.py | 5 | 5 | 100% |"]


def test_passing_summary_has_no_failure_sections(passing_outcome):
    text = summary(passing_outcome)
    assert text.startswith("## ✅ build-test passed: `examples/svc` (python)\n")
    assert "Why it failed" not in text
    assert "Failing tests" not in text


def test_hostile_test_names_and_messages_cannot_break_the_table(failing_outcome, make_case):
    hostile = make_case(
        "test_x[a|b]",
        CaseStatus.FAILED,
        message="<img src=x onerror=alert(1)> | injected",
    )
    outcome = replace(failing_outcome, tests=junit.TestReport(cases=(hostile,), time=0.1))
    row = section(summary(outcome), "Failing tests").splitlines()[2]
    assert row == (
        "| tests.test_x::test_x[a\\|b] | examples/svc/tests/test_x.py:4 "
        "| &lt;img src=x onerror=alert(1)&gt; \\| injected |"
    )


def test_many_failing_tests_are_cut_with_a_count_of_the_rest(failing_outcome, make_case):
    cases = tuple(make_case(f"test_{i}", CaseStatus.FAILED) for i in range(30))
    outcome = replace(failing_outcome, tests=junit.TestReport(cases=cases, time=1.0))
    text = summary(outcome)
    assert "…and 5 more in the JUnit report." in text
    assert "test_24 |" in text
    assert "test_25 |" not in text.split("### Failing tests", 1)[1].split("### ", 1)[0]


def test_a_failure_without_a_message_attribute_shows_its_text(failing_outcome, make_case):
    jest = make_case("divides", CaseStatus.FAILED, detail="Error: expect(received).toBe(2)")
    outcome = replace(failing_outcome, tests=junit.TestReport(cases=(jest,), time=0.1))
    assert "Error: expect(received).toBe(2)" in section(summary(outcome), "Failing tests")


def test_console_lists_failing_tests_with_their_location(failing_outcome):
    lines = console(failing_outcome).splitlines()
    assert lines[0] == "build-test failed: examples/svc (python)"
    assert "  FAILED examples/svc/tests/test_x.py:15 tests.test_x::test_sum: assert 1 == 2" in lines
    assert (
        "  tests: 2 total, 1 passed, 1 failed, 0 skipped, 0 xfailed, 0 xpassed, 0 errors" in lines
    )
    assert "  - 1 test failed" in lines


@pytest.mark.parametrize(
    ("failure", "sentence"),
    [
        (
            GateFailure(FailureKind.STEP_FAILED, step=StepKind.INSTALL, count=1),
            "the install step failed (exit code 1)",
        ),
        (GateFailure(FailureKind.TESTS_FAILED, count=3), "3 tests failed"),
        (
            GateFailure(FailureKind.NO_TESTS),
            "no tests were collected: add tests, or set allow-no-tests if that is intended",
        ),
        (
            GateFailure(FailureKind.TEST_RUN_BROKEN, count=2),
            "the test run stopped before it finished (exit code 2)",
        ),
        (
            GateFailure(FailureKind.JUNIT_MISSING, detail="/p/reports/junit.xml"),
            "the test command wrote no JUnit report at /p/reports/junit.xml",
        ),
        (
            GateFailure(FailureKind.REPORT_INVALID, detail="junit.xml: has root element <html>"),
            "a report could not be read: junit.xml: has root element <html>",
        ),
        (
            GateFailure(FailureKind.COVERAGE_MISSING, threshold=80.0),
            "no coverage report, so the 80% coverage gate cannot pass",
        ),
        (
            GateFailure(FailureKind.COVERAGE_BELOW, actual=79.99, threshold=80.0),
            "coverage 79.99% is below the threshold 80%",
        ),
    ],
    ids=lambda value: value.kind.value if isinstance(value, GateFailure) else "",
)
def test_every_failure_kind_reads_as_one_sentence(failure, sentence):
    assert failure_message(failure) == sentence


def test_every_gate_failure_kind_has_its_sentence():
    from paved.buildtest.outcome import FailureKind, GateFailure  # noqa: PLC0415
    from paved.report.buildtest import failure_message  # noqa: PLC0415

    for kind in FailureKind:
        sentence = failure_message(GateFailure(kind, count=2, threshold=80, actual=70.5))
        assert sentence
        assert "None" not in sentence.replace("(None)", "")


def test_findings_of_paveds_own_checker_are_warnings_and_say_how_to_pin_one(passing_outcome):
    finding = CodeFinding("app.py", 3, 8, "F401", "`os` imported but unused")
    lint = replace(
        passing_outcome.step(StepKind.LINT),
        status=StepStatus.WARNED,
        findings=(finding,),
        paved_checker="ruff==0.17.6",
    )
    outcome = replace(
        passing_outcome,
        steps=tuple(lint if s.kind is StepKind.LINT else s for s in passing_outcome.steps),
    )
    text = summary(outcome)
    assert text.startswith("## ✅ build-test passed")
    note = section(text, "Warnings only")
    assert "lint: 1 finding(s) from ruff==0.17.6, paved's version" in note
    assert "ruff==VERSION in the test requirements" in note
    assert "note: lint: 1 finding(s) from ruff==0.17.6" in console(outcome)
