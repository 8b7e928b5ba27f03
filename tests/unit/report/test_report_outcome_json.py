import json

from paved.errors import ExitCode, ToolNotFoundError, UsageError
from paved.model import Result
from paved.report.buildtest import render
from paved.report.outcome_json import dump, error_document, outputs_from


def test_outputs_are_the_scalar_fields_in_kebab_case():
    fields = {
        "result": "failed",
        "coverage_percent": 81.25,
        "total": 12,
        "junit_path": None,
        "allow_no_tests": True,
        "cache_hit": False,
        "failures": [{"kind": "no-tests"}],
        "steps": {"test": "passed"},
        "pair": (1, 2),
    }
    assert outputs_from(fields) == {
        "result": "failed",
        "coverage-percent": "81.25",
        "total": "12",
        "junit-path": "",
        "allow-no-tests": "true",
        "cache-hit": "false",
    }


def test_the_document_names_its_schema_and_capability_first():
    document = json.loads(dump("build-test", {"result": "passed"}))
    assert list(document) == ["schema", "capability", "result"]
    assert document["schema"] == "paved/build-test/v1"
    assert document["capability"] == "build-test"


def test_a_rendered_failing_outcome_carries_result_exit_code_and_locations(failing_outcome):
    rendered = render(failing_outcome)
    assert (rendered.result, rendered.exit_code) == (Result.FAILED, ExitCode.CHECK_FAILED)
    document = json.loads(rendered.json_document)
    assert document["schema"] == "paved/build-test/v1"
    assert document["result"] == "failed"
    assert document["failing_tests"] == [
        {
            "name": "tests.test_x::test_sum",
            "status": "failed",
            "file": "examples/svc/tests/test_x.py",
            "line": 15,
            "message": "assert 1 == 2\n +  where 1 = total()",
        }
    ]
    assert [f["kind"] for f in document["failures"]] == [
        "step-failed",
        "tests-failed",
        "coverage-below-threshold",
    ]


def test_rendered_outputs_mirror_the_document(failing_outcome):
    outputs = render(failing_outcome).outputs
    assert outputs["result"] == "failed"
    assert outputs["coverage-percent"] == "70.0"
    assert outputs["failed"] == "1"
    assert outputs["junit-path"] == "/repo/examples/svc/.paved/build-test/junit.xml"
    assert "failing-tests" not in outputs


def test_a_passing_outcome_exits_zero_with_branch_coverage(passing_outcome):
    rendered = render(passing_outcome)
    assert rendered.exit_code is ExitCode.OK
    document = json.loads(rendered.json_document)
    assert (document["coverage_percent"], document["branch_coverage_percent"]) == (90.0, 75.0)
    assert rendered.outputs["skipped"] == "1"


def test_an_error_document_says_error_with_the_exit_code():
    document = json.loads(error_document("build-test", UsageError("bad", name="--language")))
    assert document == {
        "schema": "paved/build-test/v1",
        "capability": "build-test",
        "result": "error",
        "exit_code": 2,
        "error": {"message": "--language: bad"},
    }


def test_an_environment_error_document_has_exit_code_3():
    document = json.loads(error_document("build-test", ToolNotFoundError("npm")))
    assert (document["result"], document["exit_code"]) == ("error", 3)
    assert "'npm' was not found on PATH" in document["error"]["message"]
