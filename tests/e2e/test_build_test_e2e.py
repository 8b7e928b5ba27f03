"""build-test end to end: a consumer workflow calls paved's reusable workflow under act."""

from __future__ import annotations

from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e

CALLER = """\
name: ci
on: push
permissions: {}
jobs:
  build:
    uses: pavedhq/paved/.github/workflows/build-and-test.yml@v1
    with:
      working-directory: %(project)s
      coverage-threshold: "80"
      results-dir: ${{ vars.E2E_RESULTS }}
  report:
    needs: build
    if: ${{ always() }}
    runs-on: ubuntu-latest
    steps:
      - env:
          RESULT: ${{ needs.build.outputs.result }}
          PASSED: ${{ needs.build.outputs.passed }}
          FAILED: ${{ needs.build.outputs.failed }}
          TOTAL: ${{ needs.build.outputs.total }}
          COVERAGE: ${{ needs.build.outputs.coverage-percent }}
          JUNIT: ${{ needs.build.outputs.junit-path }}
          OUT: ${{ vars.E2E_RESULTS }}
        run: |
          printf 'result=%%s\\npassed=%%s\\nfailed=%%s\\ntotal=%%s\\ncoverage=%%s\\njunit=%%s\\n' \\
            "$RESULT" "$PASSED" "$FAILED" "$TOTAL" "$COVERAGE" "$JUNIT" > "$OUT/outputs.txt"
"""


def _outputs(results: Path) -> dict[str, str]:
    text = (results / "outputs.txt").read_text(encoding="utf-8")
    return dict(line.split("=", 1) for line in text.splitlines())


def test_reusable_workflow_builds_and_tests_the_example_service(consumer, run_act, tmp_path: Path):
    results = tmp_path / "results"
    results.mkdir()
    consumer.add_tree(ROOT / "examples" / "python-service", "service")
    consumer.write(".github/workflows/ci.yml", CALLER % {"project": "service"})

    run = run_act(consumer, variables={"E2E_RESULTS": str(results)})

    assert run.returncode == 0, run.log[-4000:]
    outputs = _outputs(results)
    junit = SafeET.parse(results / "junit.xml").getroot()
    cases = list(junit.iter("testcase"))
    assert outputs["result"] == "passed"
    assert int(outputs["total"]) == len(cases) > 50
    assert int(outputs["passed"]) == len(cases)
    assert outputs["failed"] == "0"
    assert float(outputs["coverage"]) >= 80
    assert outputs["junit"] == str(results / "junit.xml")
    assert (results / "coverage.xml").is_file()
    # act drops job summaries; paved echoes them to the log so a local run shows them.
    assert run.lines("build-test passed: `service` (python)")


def test_a_failing_test_fails_the_job_and_is_annotated_at_its_line(
    consumer, run_act, tmp_path: Path
):
    results = tmp_path / "results"
    results.mkdir()
    consumer.add_tree(ROOT / "tests" / "fixtures" / "failing-project", "app")
    consumer.write(".github/workflows/ci.yml", CALLER % {"project": "app"})

    run = run_act(consumer, variables={"E2E_RESULTS": str(results)})

    assert run.returncode != 0
    # act runs no later job after a failed one, even with always(); paved echoes its outputs.
    for output in ("result=failed", "total=2", "passed=1", "failed=1"):
        assert run.lines(f"| output {output}"), output
    assert (results / "junit.xml").is_file()
    annotation = [
        line
        for line in run.lines("::error file=app/tests/test_calc.py,line=9")
        if "test_add_is_wrong" in line
    ]
    assert annotation, run.log[-4000:]
    assert run.lines("[error] app/tests/test_calc.py:9:")
