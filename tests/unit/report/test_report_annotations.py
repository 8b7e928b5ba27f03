from dataclasses import replace

from paved.buildtest import junit
from paved.buildtest.findings import CodeFinding
from paved.buildtest.junit import CaseStatus
from paved.buildtest.outcome import StepKind
from paved.model import Annotation, Level
from paved.report.buildtest import annotations_for


def test_the_first_annotation_is_the_summary_error_with_every_reason(failing_outcome):
    first = annotations_for(failing_outcome)[0]
    assert first == Annotation(
        level=Level.ERROR,
        title="build-test failed",
        message="the lint step failed (exit code 1); 1 test failed; "
        "coverage 70% is below the threshold 80%",
    )


def test_each_failing_test_gets_an_error_at_its_repository_file_and_line(failing_outcome):
    second = annotations_for(failing_outcome)[1]
    assert second == Annotation(
        level=Level.ERROR,
        title="failed: tests.test_x::test_sum",
        message="assert 1 == 2\n +  where 1 = total()",
        file="examples/svc/tests/test_x.py",
        line=15,
    )


def test_lint_findings_are_warnings_at_their_column(failing_outcome):
    annotations = annotations_for(failing_outcome)
    assert len(annotations) == 3
    assert annotations[2] == Annotation(
        level=Level.WARNING,
        title="lint: F401",
        message="`os` imported but unused",
        file="examples/svc/app.py",
        line=3,
        column=8,
    )


def test_a_passing_run_has_no_annotations(passing_outcome):
    assert annotations_for(passing_outcome) == ()


def test_a_project_at_the_repository_root_keeps_tool_paths(failing_outcome):
    flake8 = CodeFinding("./app.py", 3, 1, "F401", "'os' imported but unused")
    lint = replace(failing_outcome.step(StepKind.LINT), findings=(flake8,))
    steps = tuple(lint if s.kind is StepKind.LINT else s for s in failing_outcome.steps)
    outcome = replace(failing_outcome, project=".", steps=steps)
    files = [a.file for a in annotations_for(outcome)]
    assert files == [None, "tests/test_x.py", "app.py"]


def test_a_failure_without_a_message_is_annotated_with_its_text(failing_outcome, make_case):
    jest = make_case("divides", CaseStatus.ERROR, detail="Error: boom\n    at math.test.js:3")
    outcome = replace(failing_outcome, tests=junit.TestReport(cases=(jest,), time=0.1))
    error = annotations_for(outcome)[1]
    assert error.title == "error: tests.test_x::divides"
    assert error.message == "Error: boom\n    at math.test.js:3"


def test_a_huge_failure_message_is_capped(failing_outcome, make_case):
    huge = make_case("test_big", CaseStatus.FAILED, message="x" * 50_000)
    outcome = replace(failing_outcome, tests=junit.TestReport(cases=(huge,), time=0.1))
    assert len(annotations_for(outcome)[1].message) == 2000
