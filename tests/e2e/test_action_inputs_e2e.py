"""Hostile and invalid inputs reach the build-test action as data, never as code."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e

HOSTILE = """\
name: hostile
on: push
permissions: {}
jobs:
  hostile:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@08eba0b27e820071cde6df949e0beb9ba4906955 # v4.3.0
        with:
          persist-credentials: false
      - id: bt
        uses: pavedhq/paved/actions/build-test@v1
        with:
          working-directory: app
          language: python
          formatter: none
          linter: none
          # The command writes no JUnit file: without this the run fails as "no test ran".
          allow-no-tests: "true"
          # No shell: split into arguments. sh then prints workflow commands and tries to
          # write our outputs file; $(...) and backticks are plain words handed to sh as $1...
          test-command: >-
            sh -c 'echo result=hacked >> "${GITHUB_OUTPUT:-/dev/null}";
            printf "%s\\n" "::set-output name=result::hacked" "::add-mask::passed"
            "::error file=x.py,line=1::injected" "ghadelimiter_00000000" "::endgroup::"'
            $(touch pwned) `touch pwned2` "it's \\"quoted\\""
      - env:
          RESULT: ${{ steps.bt.outputs.result }}
          LANGUAGE: ${{ steps.bt.outputs.language }}
          OUT: ${{ vars.E2E_RESULTS }}
        run: |
          printf 'result=%s\\nlanguage=%s\\n' "$RESULT" "$LANGUAGE" > "$OUT/outputs.txt"
          find . -name 'pwned*' > "$OUT/pwned.txt"
"""

BAD_INPUT = """\
name: bad-input
on: push
permissions: {}
jobs:
  bad:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@08eba0b27e820071cde6df949e0beb9ba4906955 # v4.3.0
        with:
          persist-credentials: false
      - id: bt
        uses: pavedhq/paved/actions/build-test@v1
        with:
          working-directory: app
          language: |-
            python
            ::set-output name=result::hacked
          coverage-threshold: "$(touch pwned)"
      - if: ${{ always() }}
        env:
          RESULT: ${{ steps.bt.outputs.result }}
          OUT: ${{ vars.E2E_RESULTS }}
        run: |
          printf 'result=%s\\n' "$RESULT" > "$OUT/outputs.txt"
          find . -name 'pwned*' > "$OUT/pwned.txt"
"""


def _read(results: Path, name: str) -> str:
    return (results / name).read_text(encoding="utf-8")


def test_hostile_inputs_and_tool_output_run_nothing_and_leave_outputs_intact(
    consumer, run_act, tmp_path: Path
):
    results = tmp_path / "results"
    results.mkdir()
    consumer.add_tree(ROOT / "tests" / "fixtures" / "no-tests-project", "app")
    consumer.write(".github/workflows/hostile.yml", HOSTILE)

    run = run_act(consumer, variables={"E2E_RESULTS": str(results)})

    assert run.returncode == 0, run.log[-4000:]
    assert _read(results, "outputs.txt") == "result=passed\nlanguage=python\n"
    assert _read(results, "pwned.txt") == ""
    # The tool's lines were printed inside a stop-commands fence: act shows none as an error.
    assert not [line for line in run.lines("injected") if "❗" in line]
    assert run.lines("ghadelimiter_00000000")


def test_invalid_inputs_give_one_error_naming_each_and_exit_2(consumer, run_act, tmp_path: Path):
    results = tmp_path / "results"
    results.mkdir()
    consumer.add_tree(ROOT / "tests" / "fixtures" / "failing-project", "app")
    consumer.write(".github/workflows/bad.yml", BAD_INPUT)

    run = run_act(consumer, variables={"E2E_RESULTS": str(results)})

    assert run.returncode != 0
    errors = [line for line in run.lines("::error") if "❗" in line]
    assert len(errors) == 1, errors
    assert "language" in errors[0]
    assert "auto, python, node, go" in errors[0]
    assert "coverage-threshold" in errors[0]
    assert "from 0 to 100" in errors[0]
    assert run.lines("exitcode '2'") or run.lines("exit status 2"), run.log[-3000:]
    assert _read(results, "outputs.txt") == "result=error\n"
    assert _read(results, "pwned.txt") == ""
